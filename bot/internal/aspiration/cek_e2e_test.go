package aspiration_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const cekHTML = "<b>📢 PENGUMUMAN</b>\nVaksinasi campak gratis untuk balita di Posyandu Melati, Kelurahan Tlogomas, " +
	"pada <b>Sabtu, 30 November 2026</b> pukul 08.00–12.00 WIB. Bawa buku KIA. 🙏"

// The check's three answers, as residents read them.
const (
	saysOfficial = "Cocok dengan siaran resmi"
	saysEdited   = "SUDAH DIUBAH"
	saysUnknown  = "tidak ada di antara siaran resmi"
)

// cekRig runs the bot with aspirations, the delivery engine and the
// archive, with Budi in Tlogomas and Tlogomas's moderator.
func cekRig(t *testing.T) *bottest.Rig {
	t.Helper()
	r := bottest.New(t, bottest.Options{Aspirations: func(*aspirations.Config) {}, Broadcast: true, Archive: true})
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, 0)
	r.Operator(operatorCity, city)
	return r
}

// announce sends d now as Kota Malang's operator and waits until Budi has
// it and it is indexed: sent (first_sent_at), its photo known.
func announce(t *testing.T, r *bottest.Rig, d broadcast.Draft) (broadcast.Schedule, emulator.Sent) {
	t.Helper()
	d.Targets, d.Timing = []region.Code{villageA}, broadcast.Timing{Kind: broadcast.KindNow}
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: operatorCity.ID, Scope: city}
	sc, err := broadcast.NewSchedules(r.DB, message.SystemClock{}).Create(r.Ctx, op, d)
	r.Must(err)
	got := r.Emu.WaitFor(t, residentBudi.ID, bottest.Wait, func(m emulator.Sent) bool {
		return m.Method != "sendMessage" || strings.Contains(m.Text, "PENGUMUMAN") || m.PhotoFileID != ""
	})
	deadline := time.Now().Add(bottest.Wait)
	for {
		var ready bool
		r.Must(r.DB.Get(&ready, `SELECT first_sent_at IS NOT NULL AND (photo_file_id = '' OR photo_unique_id IS NOT NULL)
			FROM announcements a JOIN schedules s ON s.announcement_id = a.id WHERE s.id = $1`, sc.ID))
		if ready {
			return sc, got
		}
		if time.Now().After(deadline) {
			t.Fatal("the announcement was never marked sent and indexed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Budi forwards the announcement as he got it, a copy without its
// formatting, one with the date changed, and an unrelated hoax: one
// answer each, official only for the first two; the doctored copy filed
// for the KIM reaches the moderator marked as such.
func TestCek_ForwardedTexts(t *testing.T) {
	r := cekRig(t)
	sc, got := announce(t, r, broadcast.Draft{Content: broadcast.Content{Text: cekHTML}})
	link := bottest.ArchiveURL + "/arsip/" + sc.ArchiveKey
	if len(got.Buttons) != 1 || got.Buttons[0][0].URL != link || got.Buttons[0][0].Text != "🔎 Cek keaslian" {
		t.Fatalf("the announcement's buttons: %+v, want Cek keaslian → %s", got.Buttons, link)
	}
	visible, _ := message.VisibleText(cekHTML)

	r.Emu.Forward(residentBudi, visible, "Grup RT 05")
	ans := r.WaitText(residentBudi.ID, saysOfficial, "Diskominfo Kota Malang", "Tlogomas", link)
	if len(ans.Buttons) != 0 {
		t.Errorf("an official forward is offered for a hoax check: %+v", ans.Buttons)
	}

	r.Emu.SendText(residentBudi, "PENGUMUMAN vaksinasi campak gratis untuk balita di Posyandu Melati Kelurahan Tlogomas pada "+
		"Sabtu 30 November 2026 pukul 08.00 - 12.00 WIB bawa buku KIA")
	r.WaitText(residentBudi.ID, saysOfficial, link)

	r.Emu.Forward(residentBudi, strings.Replace(visible, "30 November", "7 Desember", 1), "Grup RT 05")
	edited := r.WaitText(residentBudi.ID, saysEdited, "«30 November» → di pesan ini: «7 Desember»")
	if strings.Contains(edited.Text, saysOfficial) || len(edited.Buttons) != 1 {
		t.Fatalf("the doctored copy: %q %+v", edited.Text, edited.Buttons)
	}
	r.Emu.PressButton(residentBudi, residentBudi.ID, edited.MessageID, edited.Buttons[0][0].CallbackData)
	r.WaitText(residentBudi.ID, "ASP-")
	r.WaitText(modA.ID, "Cek hoaks · ⚠️ salinan siaran resmi yang DIUBAH", "7 Desember")

	r.Emu.Forward(residentBudi, "Segera daftar bantuan kuota internet 100GB gratis dari pemerintah lewat tautan bit.ly/kuota-gratis sebelum hari Jumat", "")
	unknown := r.WaitText(residentBudi.ID, saysUnknown)
	if len(unknown.Buttons) != 1 {
		t.Errorf("an unknown forward is not offered for a hoax check: %+v", unknown.Buttons)
	}
	var checked, doctored int
	r.Must(r.DB.QueryRow(`SELECT count(*), count(*) FILTER (WHERE result = 'edited') FROM archive_checks`).Scan(&checked, &doctored))
	if checked != 4 || doctored != 1 {
		t.Errorf("checks recorded: %d, %d edited; want 4 and 1", checked, doctored)
	}

	// The unknown forward's button, pressed after another message was
	// checked, files nothing in its name (the check of the later message
	// replaced what was remembered).
	r.Emu.Forward(residentBudi, visible, "Grup RT 05")
	r.Emu.WaitFor(t, residentBudi.ID, bottest.Wait, func(m emulator.Sent) bool {
		return strings.Contains(m.Text, saysOfficial) && m.Rev > unknown.Rev
	})
	var before int
	r.Must(r.DB.Get(&before, `SELECT count(*) FROM aspiration_tickets`))
	r.Emu.PressButton(residentBudi, residentBudi.ID, unknown.MessageID, unknown.Buttons[0][0].CallbackData)
	r.WaitText(residentBudi.ID, "Tawaran ini untuk pesan yang dicek sebelumnya")
	var after int
	r.Must(r.DB.Get(&after, `SELECT count(*) FROM aspiration_tickets`))
	if after != before {
		t.Fatalf("an old offer filed %d tickets in the name of a later message", after-before)
	}
}

// A forwarded photo of an official announcement is official, by its
// file (getFile's file_unique_id), even without its caption; another
// photo under the official caption is an edited copy; another photo
// alone is unknown.
func TestCek_ForwardedPhotos(t *testing.T) {
	r := cekRig(t)
	up, err := bot.NewSender("123:TEST", r.Emu.URL(), 5*time.Second)
	r.Must(err)
	fileID, err := up.UploadPhoto(context.Background(), operatorCity.ID, "peta.png", tinyPNG, "Pratinjau siaran")
	r.Must(err)
	caption := "Peta jalur evakuasi banjir Kelurahan Tlogomas. Simpan dan bagikan ke tetangga."
	sc, got := announce(t, r, broadcast.Draft{Content: broadcast.Content{Text: caption, PhotoFileID: fileID}})
	if got.PhotoFileID != fileID {
		t.Fatalf("Budi got %+v, want the photo", got)
	}
	// Forwarded without its caption: only the file can tell.
	r.Emu.ForwardPhoto(residentBudi, fileID, "", "Grup RT 05")
	r.WaitText(residentBudi.ID, saysOfficial, sc.ArchiveKey)
	r.Emu.ForwardPhoto(residentBudi, "", caption, "Grup RT 05")
	r.WaitText(residentBudi.ID, saysEdited, "fotonya bukan foto siaran resmi")
	r.Emu.ForwardPhoto(residentBudi, "", "", "Grup RT 05")
	r.WaitText(residentBudi.ID, saysUnknown)
}

// tinyPNG is a 1×1 PNG.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
