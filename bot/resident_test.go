package bot_test

import (
	"context"
	"strings"
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

func TestResident_DeepLink(t *testing.T) {
	r := newRig(t, rigOpts{})
	u := emulator.User{ID: 7002, FirstName: "Budi"}
	r.emu.SendText(u, "/start 3573051003")
	r.waitText(u.ID, "Tlogomas, Kec. Lowokwaru, Kota Malang", "/berhenti")
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")

	tests := []struct {
		name, payload, want string
	}{
		{"unknown code", "/start 3573059999", "tidak dikenal"},
		{"garbage", "/start abc", "tidak dikenal"},
		{"district opens its villages", "/start 357305", "Kecamatan Lowokwaru"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := emulator.User{ID: 7100 + int64(i), FirstName: "Warga"}
			r.emu.SendText(v, tt.payload)
			m := r.waitText(v.ID, tt.want)
			if len(m.Buttons) == 0 {
				t.Fatalf("no menu with %q", m.Text)
			}
			if st, _ := r.status(v.ID); st != "" {
				t.Fatalf("subscribed: %s", st)
			}
		})
	}
}

func TestResident_RegionRoot(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	u := emulator.User{ID: 7003, FirstName: "Ani"}
	r.emu.SendText(u, "/start 3507012001") // Tulungrejo, Kabupaten Malang, outside Kota Malang
	m := r.waitText(u.ID, "hanya untuk wilayah <b>Kota Malang</b>")
	if st, _ := r.status(u.ID); st != "" {
		t.Fatalf("subscribed outside the root: %s", st)
	}
	// A forged button for a village outside the root is refused too.
	r.emu.PressButton(u, u.ID, m.MessageID, "res:v:35.07.01.2001")
	r.waitText(u.ID, "hanya untuk wilayah")
	// Search only finds villages under the root.
	r.emu.SendText(u, "tlogomas")
	found := r.waitText(u.ID, "cocok dengan")
	for _, row := range found.Buttons[:len(found.Buttons)-1] {
		if !strings.Contains(row[0].Text, "Kota Malang") {
			t.Fatalf("result outside the root: %+v", row)
		}
	}
	// Listing above the root falls back to the root.
	r.emu.PressButton(u, u.ID, found.MessageID, "res:l:-:0")
	r.waitText(u.ID, "Pilih kecamatan di <b>Kota Malang</b>")
}

func TestResident_NoRootStartsAtProvinces(t *testing.T) {
	r := newRig(t, rigOpts{})
	u := emulator.User{ID: 7004, FirstName: "Eko"}
	r.emu.SendText(u, "/start")
	m := r.waitText(u.ID, "Pilih provinsi")
	r.emu.PressButton(u, u.ID, m.MessageID, button(t, m, "Jawa Timur"))
	m = r.waitText(u.ID, "kabupaten/kota di <b>Jawa Timur</b>")
	r.emu.PressButton(u, u.ID, m.MessageID, button(t, m, "Berikutnya"))
	m = r.waitText(u.ID, "kabupaten/kota di <b>Jawa Timur</b>", "halaman 2")
	r.emu.PressButton(u, u.ID, m.MessageID, button(t, m, "Kembali"))
	r.waitText(u.ID, "Pilih provinsi")
}

func TestResident_SearchByName(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	u := emulator.User{ID: 7005, FirstName: "Dewi"}
	r.emu.SendText(u, "/start")
	r.waitText(u.ID, "Pilih kecamatan")
	r.emu.SendText(u, "tlogo mas")
	m := r.waitText(u.ID, "cocok dengan")
	r.emu.PressButton(u, u.ID, m.MessageID, button(t, m, "Tlogomas"))
	r.waitText(u.ID, "Anda terdaftar di <b>Tlogomas")
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")

	v := emulator.User{ID: 7006, FirstName: "Rudi"}
	r.emu.SendText(v, "xq") // no /start at all: a newcomer's text searches too
	r.waitText(v.ID, "minimal 3 huruf")
	r.emu.SendText(v, "zzzzqqq")
	r.waitText(v.ID, "tidak ada kelurahan/desa bernama")
}

func TestResident_ChangeStopResume(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	u := emulator.User{ID: 7007, FirstName: "Tono"}
	r.emu.SendText(u, "/start 3573051003")
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")
	r.emu.SendText(u, "/wilayah")
	r.waitText(u.ID, "Saat ini Anda terdaftar di <b>Tlogomas")
	r.emu.SendText(u, "merjosari")
	m := r.waitText(u.ID, "cocok dengan")
	r.emu.PressButton(u, u.ID, m.MessageID, button(t, m, "Merjosari"))
	r.waitText(u.ID, "Anda terdaftar di <b>Merjosari")
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1002")

	r.emu.SendText(u, "/berhenti")
	r.waitText(u.ID, "tidak akan menerima pengumuman lagi")
	r.waitStatus(u.ID, broadcast.StatusStopped, "35.73.05.1002")
	r.emu.SendText(u, "/start")
	r.waitText(u.ID, "Selamat datang kembali", "Merjosari")
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1002")
	r.emu.SendText(u, "/start")
	r.waitText(u.ID, "sudah terdaftar di <b>Merjosari")

	w := emulator.User{ID: 7008, FirstName: "Baru"}
	r.emu.SendText(w, "/berhenti")
	r.waitText(w.ID, "belum terdaftar")
}

func TestResident_RestartMidFlow(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	u := emulator.User{ID: 7009, FirstName: "Lia"}
	r.emu.SendText(u, "/start 3573051003")
	r.waitStatus(u.ID, broadcast.StatusActive, "")
	r.emu.SendText(u, "/wilayah")
	districts := r.waitText(u.ID, "Pilih kecamatan")
	r.stop()

	r.start(rigOpts{root: "35.73"}) // a new process: same database and Redis
	// The typed name is still read as a search (state in Redis) ...
	r.emu.SendText(u, "merjosari")
	m := r.waitText(u.ID, "cocok dengan")
	// ... and the old keyboard still works.
	r.emu.PressButton(u, u.ID, districts.MessageID, button(t, districts, "Lowokwaru"))
	r.waitText(u.ID, "Kecamatan Lowokwaru")
	r.emu.PressButton(u, u.ID, m.MessageID, button(t, m, "Merjosari"))
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1002")
}

func TestResident_Blocked(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	u := emulator.User{ID: 7010, FirstName: "Joko"}
	r.emu.SendText(u, "/start 3573051003")
	r.waitStatus(u.ID, broadcast.StatusActive, "")
	r.emu.Block(u) // queues my_chat_member "kicked"
	r.waitStatus(u.ID, broadcast.StatusBlocked, "")

	v := emulator.User{ID: 7011, FirstName: "Siti"}
	r.emu.SendText(v, "/start 3573051003")
	r.waitStatus(v.ID, broadcast.StatusActive, "")
	r.emu.AddFault(emulator.Fault{ChatID: v.ID, Code: 403, Times: 1})
	r.emu.SendText(v, "/bantuan") // the reply gets 403
	r.waitStatus(v.ID, broadcast.StatusBlocked, "")
	r.emu.SendText(v, "/start") // unblocked and back
	r.waitText(v.ID, "Selamat datang kembali")
	r.waitStatus(v.ID, broadcast.StatusActive, "")
}

func TestResident_Unexpected(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	u := emulator.User{ID: 7012, FirstName: "Wati"}
	r.emu.SendText(u, "/start 3573051003")
	r.waitStatus(u.ID, broadcast.StatusActive, "")
	r.emu.SendSticker(u)
	r.waitText(u.ID, "belum bisa saya proses")
	r.emu.SendText(u, "/entahlah")
	r.waitText(u.ID, "perintah itu tidak dikenal")
	r.emu.SendText(u, "/BANTUAN@kimbot_test_bot")
	r.waitText(u.ID, "Cara memakai")
	r.emu.SendText(u, "/start@other_bot")
	m := r.waitText(u.ID, "Cara memakai")
	stale := []string{"res:v", "zz:whatever", "res:l:35.73.99:0", "res:l:35.73:-4", "\xff\xfe"}
	for i, data := range stale {
		r.emu.PressButton(u, u.ID, m.MessageID, data)
		r.waitCount(u.ID, i+1, "kedaluwarsa")
	}
	r.emu.PressButton(u, u.ID, m.MessageID, "res:v:35.73.05.9999") // well-formed, but no such village
	r.waitText(u.ID, "tidak ada dalam daftar")
	if got := len(r.emu.Callbacks()); got < len(stale) {
		t.Fatalf("answered %d of %d presses", got, len(stale))
	}
	if n := len(r.emu.Messages(u.ID)); n > 20 {
		t.Fatalf("%d messages: the bot answered too much", n)
	}
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003") // nothing changed
}

func TestResident_EraseData(t *testing.T) {
	erased := make(chan int64, 1)
	r := newRig(t, rigOpts{root: "35.73", erasers: []func(context.Context, int64) error{
		func(_ context.Context, chat int64) error { erased <- chat; return nil }}})
	u := emulator.User{ID: 7013, FirstName: "Yanti"}
	r.emu.SendText(u, "/start 3573051003")
	r.waitStatus(u.ID, broadcast.StatusActive, "")
	r.emu.SendText(u, "/hapusdata")
	ask := r.waitText(u.ID, "Yakin")
	r.emu.PressButton(u, u.ID, ask.MessageID, button(t, ask, "Batal"))
	r.waitText(u.ID, "tidak dihapus")
	r.waitStatus(u.ID, broadcast.StatusActive, "")
	r.emu.SendText(u, "/hapusdata")
	ask = r.waitText(u.ID, "Yakin")
	r.emu.PressButton(u, u.ID, ask.MessageID, button(t, ask, "Ya, hapus"))
	r.waitText(u.ID, "sudah dihapus")
	if st, _ := r.status(u.ID); st != "" {
		t.Fatalf("subscriber still there: %s", st)
	}
	if got := <-erased; got != u.ID {
		t.Fatalf("eraser got chat %d", got)
	}
}
