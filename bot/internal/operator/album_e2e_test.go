package operator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/emulator"
)

// TestOperator_SiaranAlbum: an album at /siaran's content step is one
// announcement of its first photo and caption; the operator is told so
// once, and the preview shows that photo once.
func TestOperator_SiaranAlbum(t *testing.T) {
	r := newRig(t, 5*time.Second)
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	r.Operator(operator, "35.73")
	r.Emu.SendText(operator, "/siaran")
	wait(r, operator.ID, "Siaran baru")

	before := len(r.Emu.Messages(operator.ID))
	r.Emu.SendAlbum(operator, operator.ID, "Kerja bakti Minggu pagi di balai RW", "", "")
	links := wait(r, operator.ID, "tombol tautan")
	if !strings.Contains(links.Text, "yang <b>pertama</b>") {
		t.Errorf("the answer to the album does not say only the first is used: %q", links.Text)
	}
	press(r, operator, links, "op:b:skip")
	targets := wait(r, operator.ID, "Ke mana")
	// The links question became the targets one; the album's other items
	// were answered with nothing.
	if got := r.Emu.Messages(operator.ID)[before:]; len(got) != 1 || got[0].MessageID != links.MessageID {
		t.Errorf("answers to the album: %+v, want only the links question", got)
	}
	press(r, operator, targets, "op:tg:35.73")
	r.Emu.PressButton(operator, operator.ID, targets.MessageID, "op:td")
	press(r, operator, wait(r, operator.ID, "Kapan dikirim"), "op:w:now")
	press(r, operator, wait(r, operator.ID, "peringatan darurat"), "op:u:0")
	wait(r, operator.ID, "Kirim?")
	var photos []emulator.Sent
	for _, m := range r.Emu.Messages(operator.ID) {
		if m.PhotoFileID != "" {
			photos = append(photos, m)
		}
	}
	if len(photos) != 1 || photos[0].Text != "Kerja bakti Minggu pagi di balai RW" {
		t.Fatalf("previews %+v, want one: the album's first photo with its caption", photos)
	}
}
