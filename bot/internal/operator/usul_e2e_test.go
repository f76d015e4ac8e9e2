package operator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
)

// TestUsul_ProposeApproveDeliver: a KIM moderator proposes by chat, the
// operator approves with the button, and only the residents of the KIM's
// kelurahan receive it, credited to the KIM; a second proposal is
// rejected with a reason the KIM reads. Nothing goes out before the
// approval.
func TestUsul_ProposeApproveDeliver(t *testing.T) {
	t.Parallel()
	r := bottest.New(t, bottest.Options{Broadcast: true, Aspirations: func(*aspirations.Config) {}})
	mod := emulator.User{ID: 6001, FirstName: "Sari"}
	op := emulator.User{ID: 7001, FirstName: "Dinas"}
	r.Moderator(mod, "35.73.05.1003", 0)
	r.Operator(op, "35.73")
	tlogomas := []emulator.User{{ID: 9001, FirstName: "Ani"}, {ID: 9002, FirstName: "Budi"}}
	subscribe(r, tlogomas...)
	other := emulator.User{ID: 9003, FirstName: "Citra"}
	r.Emu.SendText(other, "/start 3573051002")
	wait(r, other.ID, "Merjosari")

	r.Emu.SendText(mod, "/usul")
	wait(r, mod.ID, "KIM Tlogomas")
	r.Emu.SendText(mod, "Kerja bakti Minggu 7 Desember di Balai RW 3")
	ask := wait(r, mod.ID, "Untuk warga mana")
	if !strings.Contains(bottest.Button(t, ask, "Lowokwaru"), "wider") {
		t.Fatal("no wider audience offered")
	}
	press(r, mod, ask, bottest.Button(t, ask, "Warga Tlogomas"))
	wait(r, mod.ID, "menunggu persetujuan Diskominfo")

	wait(r, op.ID, "dari KIM Tlogomas untuk warga Tlogomas")
	proposal := wait(r, op.ID, "Kerja bakti Minggu")
	time.Sleep(300 * time.Millisecond) // the dispatcher polls every 50 ms: nothing may have gone out
	for _, u := range append(tlogomas, other) {
		if got := r.Texts(u.ID, "Kerja bakti"); len(got) != 0 {
			t.Fatalf("%s got the proposal before any approval", u.FirstName)
		}
	}
	press(r, op, proposal, bottest.Button(t, proposal, "Setujui"))
	wait(r, op.ID, "disetujui dan dijadwalkan")
	for _, u := range tlogomas {
		got := wait(r, u.ID, "Kerja bakti Minggu")
		if !strings.HasPrefix(got.Text, "<b>Dari KIM Tlogomas</b>\n\n") {
			t.Fatalf("%s got %q, not credited to the KIM", u.FirstName, got.Text)
		}
	}
	wait(r, mod.ID, "disetujui Diskominfo")
	// A second press of Setujui schedules nothing more.
	r.Emu.PressButton(op, op.ID, proposal.MessageID, bottest.Button(t, proposal, "Setujui"))
	wait(r, op.ID, "sudah diputuskan")

	// A photo without a caption is refused; a rejected proposal tells why.
	r.Emu.SendText(mod, "/usul")
	r.Emu.WaitFor(t, mod.ID, bottest.Wait, func(m emulator.Sent) bool { return strings.Count(m.Text, "KIM Tlogomas") > 0 && m.Rev > ask.Rev })
	r.Emu.SendPhoto(mod, mod.ID, "")
	wait(r, mod.ID, "Foto perlu keterangan")
	r.Emu.SendPhoto(mod, mod.ID, "Lomba 17-an dibatalkan")
	ask2 := r.Emu.WaitFor(t, mod.ID, bottest.Wait, func(m emulator.Sent) bool {
		return strings.Contains(m.Text, "Untuk warga mana") && m.Rev > ask.Rev
	})
	press(r, mod, ask2, bottest.Button(t, ask2, "Warga Tlogomas"))
	second := r.Emu.WaitFor(t, op.ID, bottest.Wait, func(m emulator.Sent) bool { return strings.Contains(m.Text, "Lomba 17-an") })
	press(r, op, second, bottest.Button(t, second, "Tolak"))
	wait(r, op.ID, "Tulis alasan")
	r.Emu.SendText(op, "ok")
	wait(r, op.ID, "5 sampai 500")
	r.Emu.SendText(op, "Jadwal lomba belum pasti dari kelurahan")
	wait(r, op.ID, "ditolak")
	wait(r, mod.ID, "Alasannya: Jadwal lomba belum pasti")
	for _, u := range tlogomas {
		if got := r.Texts(u.ID, "Lomba 17-an"); len(got) != 0 {
			t.Fatal("a rejected proposal reached residents")
		}
	}
	var actions string
	r.Must(r.DB.Get(&actions, `SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action LIKE 'usul_%'`))
	if actions != "usul_kirim,usul_setujui,usul_kirim,usul_tolak" {
		t.Fatalf("audit: %s", actions)
	}
}
