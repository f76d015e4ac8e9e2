package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/message"
)

// The console's uploads reach Telegram as multipart files in the
// operator's private chat, and the returned file_id is the one the
// message carries, so a broadcast can send it again to residents.
func TestSender_Uploads(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	op := emulator.User{ID: 7001, FirstName: "Operator"}
	emu.SendText(op, "/start")
	s, err := bot.NewSender("123:TEST", emu.URL(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	photo, err := s.UploadPhoto(ctx, op.ID, "poster.png", []byte("\x89PNG\r\n\x1a\nnot really"), "<b>Pratinjau siaran</b>")
	if err != nil || photo == "" {
		t.Fatalf("UploadPhoto = %q, %v", photo, err)
	}
	doc, err := s.UploadDocument(ctx, op.ID, "edaran.pdf", []byte("%PDF-1.4\n"), "Pratinjau siaran")
	if err != nil || doc == "" || doc == photo {
		t.Fatalf("UploadDocument = %q, %v", doc, err)
	}
	got := emu.Messages(op.ID)
	if len(got) != 2 || got[0].Method != "sendPhoto" || got[0].PhotoFileID != photo || got[0].Text != "<b>Pratinjau siaran</b>" ||
		got[1].Method != "sendDocument" || got[1].DocumentFileID != doc {
		t.Fatalf("emulator recorded %+v", got)
	}
	// The file_id works for a resident's copy, as a broadcast sends it.
	res := emulator.User{ID: 501, FirstName: "Sari"}
	emu.SendText(res, "halo")
	if _, err := s.Send(ctx, res.ID, message.Message{PhotoFileID: photo, Caption: "Siaran"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UploadPhoto(ctx, 999999, "x.png", []byte("x"), ""); message.KindOf(err) != message.ChatNotFound {
		t.Fatalf("upload to a chat that never wrote: %v", err)
	}
}
