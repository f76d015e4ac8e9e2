package console_test

import (
	"context"
	"fmt"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/region"
)

// jpegBytes starts like a JPEG, so the console serves it inline.
var jpegBytes = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00 foto jalan berlubang")

// fileTicket files a ticket of a resident (chat id from) in village,
// with att when not nil, as chat would.
func (r *rig) fileTicket(from int64, village region.Code, text string, att *aspirations.Attachment) aspirations.Ticket {
	r.t.Helper()
	t, err := r.asp.File(context.Background(), aspirations.NewTicket{ResidentChat: from, ResidentName: "Siti Aminah",
		VillageCode: village, Category: aspirations.CategoryInfrastructure, Text: text, Attachment: att})
	if err != nil {
		r.t.Fatal(err)
	}
	return t
}

// telegramPhoto puts data on the emulator as a photo (an upload, as a
// resident's photo is on Telegram) and returns its file_id.
func (r *rig) telegramPhoto(data []byte) string {
	r.t.Helper()
	r.emu.RegisterUser(emulator.User{ID: 1, FirstName: "Arsip"})
	id, err := r.up.UploadPhoto(context.Background(), 1, "foto.jpg", data, "")
	if err != nil {
		r.t.Fatal(err)
	}
	r.emu.SetFileContent(id, data)
	return id
}

// telegramDocument is telegramPhoto for a document.
func (r *rig) telegramDocument(data []byte) string {
	r.t.Helper()
	r.emu.RegisterUser(emulator.User{ID: 1, FirstName: "Arsip"})
	id, err := r.up.UploadDocument(context.Background(), 1, "surat.pdf", data, "")
	if err != nil {
		r.t.Fatal(err)
	}
	r.emu.SetFileContent(id, data)
	return id
}

func ticketPath(t aspirations.Ticket, rest ...string) string {
	p := fmt.Sprintf("/aspirasi/%d", t.ID)
	for _, s := range rest {
		p += "/" + s
	}
	return p
}

func itoa(n int64) string { return fmt.Sprint(n) }
