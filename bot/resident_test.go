package bot_test

import (
	"testing"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
)

func TestResident_MenuSubscription(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	u := emulator.User{ID: 7001, FirstName: "Sari"}
	r.emu.SendText(u, "/start")
	r.waitText(u.ID, "selamat datang")
	districts := r.waitText(u.ID, "Pilih kecamatan di <b>Kota Malang</b>")
	r.emu.PressButton(u, u.ID, districts.MessageID, button(t, districts, "Lowokwaru"))
	villages := r.waitText(u.ID, "Kecamatan Lowokwaru")
	if villages.MessageID != districts.MessageID {
		t.Fatalf("the village list should replace the district list in place")
	}
	r.emu.PressButton(u, u.ID, villages.MessageID, button(t, villages, "Tlogomas"))
	done := r.waitText(u.ID, "Tlogomas, Kec. Lowokwaru, Kota Malang", "/berhenti")
	if len(done.Buttons) != 0 {
		t.Fatalf("confirmation keeps buttons: %+v", done.Buttons)
	}
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")
	if cmds := r.emu.Commands(); len(cmds) < 5 || cmds[0].Command != "start" {
		t.Fatalf("command menu = %+v", cmds)
	}
}
