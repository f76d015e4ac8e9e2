package resident_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
)

func TestResident_MenuSubscription(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 7001, FirstName: "Sari"}
	r.Emu.SendText(u, "/start")
	r.WaitText(u.ID, "selamat datang")
	districts := r.WaitText(u.ID, "Pilih kecamatan di <b>Kota Malang</b>")
	r.Emu.PressButton(u, u.ID, districts.MessageID, bottest.Button(t, districts, "Lowokwaru"))
	villages := r.WaitText(u.ID, "Kecamatan Lowokwaru")
	if villages.MessageID != districts.MessageID {
		t.Fatalf("the village list should replace the district list in place")
	}
	r.Emu.PressButton(u, u.ID, villages.MessageID, bottest.Button(t, villages, "Tlogomas"))
	done := r.WaitText(u.ID, "Tlogomas, Kec. Lowokwaru, Kota Malang", "/berhenti")
	if len(done.Buttons) != 0 {
		t.Fatalf("confirmation keeps buttons: %+v", done.Buttons)
	}
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")
	if cmds := r.Emu.Commands(); len(cmds) < 5 || cmds[0].Command != "start" {
		t.Fatalf("command menu = %+v", cmds)
	}
}

func TestResident_DeepLink(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	u := emulator.User{ID: 7002, FirstName: "Budi"}
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitText(u.ID, "Tlogomas, Kec. Lowokwaru, Kota Malang", "/berhenti")
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")

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
			r.Emu.SendText(v, tt.payload)
			m := r.WaitText(v.ID, tt.want)
			if len(m.Buttons) == 0 {
				t.Fatalf("no menu with %q", m.Text)
			}
			if st, _ := r.Status(v.ID); st != "" {
				t.Fatalf("subscribed: %s", st)
			}
		})
	}
}

func TestResident_RegionRoot(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 7003, FirstName: "Ani"}
	r.Emu.SendText(u, "/start 3507012001") // Tulungrejo, Kabupaten Malang, outside Kota Malang
	m := r.WaitText(u.ID, "hanya untuk wilayah <b>Kota Malang</b>")
	if st, _ := r.Status(u.ID); st != "" {
		t.Fatalf("subscribed outside the Root: %s", st)
	}
	// A forged button for a village outside the root is refused too.
	r.Emu.PressButton(u, u.ID, m.MessageID, "res:v:35.07.01.2001")
	r.WaitText(u.ID, "hanya untuk wilayah")
	// Search only finds villages under the root.
	r.Emu.SendText(u, "tlogomas")
	found := r.WaitText(u.ID, "cocok dengan")
	for _, row := range found.Buttons[:len(found.Buttons)-1] {
		if !strings.Contains(row[0].Text, "Kota Malang") {
			t.Fatalf("result outside the Root: %+v", row)
		}
	}
	// Listing above the root falls back to the root.
	r.Emu.PressButton(u, u.ID, found.MessageID, "res:l:-:0")
	r.WaitText(u.ID, "Pilih kecamatan di <b>Kota Malang</b>")
}

func TestResident_NoRootStartsAtProvinces(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	u := emulator.User{ID: 7004, FirstName: "Eko"}
	r.Emu.SendText(u, "/start")
	m := r.WaitText(u.ID, "Pilih provinsi")
	r.Emu.PressButton(u, u.ID, m.MessageID, bottest.Button(t, m, "Jawa Timur"))
	m = r.WaitText(u.ID, "kabupaten/kota di <b>Jawa Timur</b>")
	r.Emu.PressButton(u, u.ID, m.MessageID, bottest.Button(t, m, "Berikutnya"))
	m = r.WaitText(u.ID, "kabupaten/kota di <b>Jawa Timur</b>", "halaman 2")
	r.Emu.PressButton(u, u.ID, m.MessageID, bottest.Button(t, m, "Kembali"))
	r.WaitText(u.ID, "Pilih provinsi")
}

func TestResident_SearchByName(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 7005, FirstName: "Dewi"}
	r.Emu.SendText(u, "/start")
	r.WaitText(u.ID, "Pilih kecamatan")
	r.Emu.SendText(u, "tlogo mas")
	m := r.WaitText(u.ID, "cocok dengan")
	r.Emu.PressButton(u, u.ID, m.MessageID, bottest.Button(t, m, "Tlogomas"))
	r.WaitText(u.ID, "Anda terdaftar di <b>Tlogomas")
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")

	v := emulator.User{ID: 7006, FirstName: "Rudi"}
	r.Emu.SendText(v, "xq") // no /start at all: a newcomer's text searches too
	r.WaitText(v.ID, "minimal 3 huruf")
	r.Emu.SendText(v, "zzzzqqq")
	r.WaitText(v.ID, "tidak ada kelurahan/desa bernama")
}

func TestResident_ChangeStopResume(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 7007, FirstName: "Tono"}
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")
	r.Emu.SendText(u, "/wilayah")
	r.WaitText(u.ID, "Saat ini Anda terdaftar di <b>Tlogomas")
	r.Emu.SendText(u, "merjosari")
	m := r.WaitText(u.ID, "cocok dengan")
	r.Emu.PressButton(u, u.ID, m.MessageID, bottest.Button(t, m, "Merjosari"))
	r.WaitText(u.ID, "Anda terdaftar di <b>Merjosari")
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1002")

	r.Emu.SendText(u, "/berhenti")
	r.WaitText(u.ID, "tidak akan menerima pengumuman lagi")
	r.WaitStatus(u.ID, broadcast.StatusStopped, "35.73.05.1002")
	r.Emu.SendText(u, "/start")
	r.WaitText(u.ID, "Selamat datang kembali", "Merjosari")
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1002")
	r.Emu.SendText(u, "/start")
	r.WaitText(u.ID, "sudah terdaftar di <b>Merjosari")

	w := emulator.User{ID: 7008, FirstName: "Baru"}
	r.Emu.SendText(w, "/berhenti")
	r.WaitText(w.ID, "belum terdaftar")
}

func TestResident_RestartMidFlow(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 7009, FirstName: "Lia"}
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitStatus(u.ID, broadcast.StatusActive, "")
	r.Emu.SendText(u, "/wilayah")
	districts := r.WaitText(u.ID, "Pilih kecamatan")
	r.Stop()

	r.Start(bottest.Options{Root: "35.73"}) // a new process: same database and Redis
	// The typed name is still read as a search (state in Redis) ...
	r.Emu.SendText(u, "merjosari")
	m := r.WaitText(u.ID, "cocok dengan")
	// ... and the old keyboard still works.
	r.Emu.PressButton(u, u.ID, districts.MessageID, bottest.Button(t, districts, "Lowokwaru"))
	r.WaitText(u.ID, "Kecamatan Lowokwaru")
	r.Emu.PressButton(u, u.ID, m.MessageID, bottest.Button(t, m, "Merjosari"))
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1002")
}

func TestResident_Blocked(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 7010, FirstName: "Joko"}
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitStatus(u.ID, broadcast.StatusActive, "")
	r.Emu.Block(u) // queues my_chat_member "kicked"
	r.WaitStatus(u.ID, broadcast.StatusBlocked, "")

	v := emulator.User{ID: 7011, FirstName: "Siti"}
	r.Emu.SendText(v, "/start 3573051003")
	r.WaitStatus(v.ID, broadcast.StatusActive, "")
	r.Emu.AddFault(emulator.Fault{ChatID: v.ID, Code: 403, Times: 1})
	r.Emu.SendText(v, "/bantuan") // the reply gets 403
	r.WaitStatus(v.ID, broadcast.StatusBlocked, "")
	r.Emu.SendText(v, "/start") // unblocked and back
	r.WaitText(v.ID, "Selamat datang kembali")
	r.WaitStatus(v.ID, broadcast.StatusActive, "")
}

func TestResident_Unexpected(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 7012, FirstName: "Wati"}
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitStatus(u.ID, broadcast.StatusActive, "")
	r.Emu.SendSticker(u)
	r.WaitText(u.ID, "belum bisa saya proses")
	r.Emu.SendText(u, "/entahlah")
	r.WaitText(u.ID, "perintah itu tidak dikenal")
	r.Emu.SendText(u, "/BANTUAN@kimbot_test_bot")
	r.WaitText(u.ID, "Cara memakai")
	r.Emu.SendText(u, "/start@other_bot")
	r.WaitText(u.ID, "Cara memakai")
	// Stale and forged data on a picker (only a message that carries the
	// resident's buttons lets them reach the picker's own checks).
	r.Emu.SendText(u, "/wilayah")
	m := r.WaitText(u.ID, "Saat ini Anda terdaftar")
	stale := []string{"res:v", "zz:whatever", "res:l:35.73.99:0", "res:l:35.73:-4", "\xff\xfe"}
	for i, data := range stale {
		r.Emu.PressButton(u, u.ID, m.MessageID, data)
		r.WaitCount(u.ID, i+1, "kedaluwarsa")
	}
	r.Emu.PressButton(u, u.ID, m.MessageID, "res:v:35.73.05.9999") // well-formed, but no such village
	r.WaitText(u.ID, "tidak ada dalam daftar")
	if got := len(r.Emu.Callbacks()); got < len(stale) {
		t.Fatalf("answered %d of %d presses", got, len(stale))
	}
	if n := len(r.Emu.Messages(u.ID)); n > 20 {
		t.Fatalf("%d messages: the bot answered too much", n)
	}
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003") // nothing changed
}

func TestResident_EraseData(t *testing.T) {
	erased := make(chan int64, 1)
	r := bottest.New(t, bottest.Options{Root: "35.73", Erasers: []func(context.Context, int64) error{
		func(_ context.Context, chat int64) error { erased <- chat; return nil }}})
	u := emulator.User{ID: 7013, FirstName: "Yanti"}
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitStatus(u.ID, broadcast.StatusActive, "")
	r.Emu.SendText(u, "/hapusdata")
	ask := r.WaitText(u.ID, "Yakin")
	r.Emu.PressButton(u, u.ID, ask.MessageID, bottest.Button(t, ask, "Batal"))
	r.WaitText(u.ID, "tidak dihapus")
	r.WaitStatus(u.ID, broadcast.StatusActive, "")
	r.Emu.SendText(u, "/hapusdata")
	ask = r.WaitText(u.ID, "Yakin")
	r.Emu.PressButton(u, u.ID, ask.MessageID, bottest.Button(t, ask, "Ya, hapus"))
	r.WaitText(u.ID, "sudah dihapus")
	if st, _ := r.Status(u.ID); st != "" {
		t.Fatalf("subscriber still there: %s", st)
	}
	if got := <-erased; got != u.ID {
		t.Fatalf("eraser got chat %d", got)
	}
}
