package bot_test

import (
	"math/rand"
	"strings"
	"sync"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/emulator"
)

// strangerText is issue 10's input: 4,095 characters (Telegram's
// longest text is 4,096) of random three-letter words.
func strangerText() string {
	rng := rand.New(rand.NewSource(10))
	var b strings.Builder
	for b.Len()+4 <= 4095 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		for range 3 {
			b.WriteByte(byte('a' + rng.Intn(26)))
		}
	}
	return b.String()
}

// firstLine is the start of a catalogue text, enough to recognise it.
func firstLine(key catalog.Key, args ...any) string {
	s := catalog.T(key, args...)
	return s[:min(len(s), 40)]
}

// TestStranger_TooLongSearch is issue 10's example: an unsubscribed
// person sends 4,095 characters of random three-letter words (once 20 s
// of database time for the forgiving search over all of Indonesia). They
// get a short answer saying what to type instead.
func TestStranger_TooLongSearch(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	u := emulator.User{ID: 9101, FirstName: "Orang"}
	r.Emu.SendText(u, strangerText())
	m := r.WaitText(u.ID, "terlalu panjang untuk nama kelurahan/desa")
	bottest.Button(t, m, "Pilih dari daftar")
	if len(m.Text) > 400 {
		t.Fatalf("the answer is not short: %d bytes", len(m.Text))
	}
}

// TestStranger_EveryInputAnswered is the kind: every input a stranger
// (unsubscribed, no staff role) can send in a private chat is answered
// within the rig's generous wait, with the answer it deserves and
// without costing what its length would let it.
func TestStranger_EveryInputAnswered(t *testing.T) {
	r := bottest.New(t, bottest.Options{Aspirations: func(*aspirations.Config) {}})
	long := strangerText()
	digits := strings.Repeat("3573051003", 400)
	tests := []struct {
		name string
		send func(u emulator.User)
		want string
	}{
		{"long text, no flow", func(u emulator.User) { r.Emu.SendText(u, long) }, "terlalu panjang untuk nama"},
		{"long text in the open picker", func(u emulator.User) {
			r.Emu.SendText(u, "/start")
			waitText(t, r, u.ID, "Pilih provinsi")
			r.Emu.SendText(u, long)
		}, "terlalu panjang untuk nama"},
		{"long text of long words", func(u emulator.User) { r.Emu.SendText(u, strings.Repeat("tlogomas", 500)) }, "terlalu panjang untuk nama"},
		{"a name with a long tail", func(u emulator.User) { r.Emu.SendText(u, "tlogomas "+strings.Repeat("x ", 40)) }, "terlalu panjang untuk nama"},
		{"long /start payload", func(u emulator.User) { r.Emu.SendText(u, "/start "+digits) }, firstLine("res.deeplink_invalid")},
		{"long /aspirasi", func(u emulator.User) { r.Emu.SendText(u, "/aspirasi "+long) }, firstLine("asp.need_village")},
		{"long /daftar", func(u emulator.User) { r.Emu.SendText(u, "/daftar "+long) }, firstLine("operator.daftar.invalid")},
		{"long /tautkan", func(u emulator.User) { r.Emu.SendText(u, "/tautkan "+long) }, ""},
		{"staff command", func(u emulator.User) { r.Emu.SendText(u, "/siaran "+long) }, firstLine("res.unknown_command")},
		{"unknown command", func(u emulator.User) { r.Emu.SendText(u, "/"+strings.Repeat("x", 30)+" "+long) }, firstLine("res.unknown_command")},
		{"photo with a long caption", func(u emulator.User) { r.Emu.SendPhoto(u, u.ID, long[:1024]) }, firstLine("res.unexpected")},
		{"location", func(u emulator.User) { r.Emu.SendLocation(u, u.ID, -7.93, 112.6) }, firstLine("res.unexpected")},
		{"sticker", func(u emulator.User) { r.Emu.SendSticker(u) }, firstLine("res.unexpected")},
		{"long forward", func(u emulator.User) { r.Emu.Forward(u, long, "Grup Warga") }, firstLine("asp.hoax_offer")},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := emulator.User{ID: 9200 + int64(i), FirstName: "Orang"}
			tt.send(u)
			waitText(t, r, u.ID, tt.want) // every input gets an answer
			if st, _ := r.Status(u.ID); st != "" {
				t.Fatalf("a stranger's input subscribed them: %s", st)
			}
		})
	}
	t.Run("forged long button", func(t *testing.T) {
		u := emulator.User{ID: 9300, FirstName: "Orang"}
		r.Emu.PressButton(u, u.ID, 1, "res:v:"+digits)
		r.WaitCallback(catalog.T("res.stale_button"), false)
	})
}

// TestStranger_LongSearchesHoldNoOne: issue 10 saw eight such strangers
// keep all eight workers busy for minutes while everyone else waited.
// Now a resident's /start is answered while eight strangers send the
// long text at once.
func TestStranger_LongSearchesHoldNoOne(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	long := strangerText()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Emu.SendText(emulator.User{ID: 9400 + int64(i), FirstName: "Orang"}, long)
		}()
	}
	wg.Wait()
	u := emulator.User{ID: 9500, FirstName: "Sari"}
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitText(u.ID, "Tlogomas, Kec. Lowokwaru, Kota Malang")
	for i := range 8 {
		r.WaitText(9400+int64(i), "terlalu panjang untuk nama")
	}
}

// waitText is Rig.WaitText for a subtest.
func waitText(t *testing.T, r *bottest.Rig, chat int64, part string) emulator.Sent {
	t.Helper()
	return r.Emu.WaitFor(t, chat, bottest.Wait, func(m emulator.Sent) bool { return strings.Contains(m.Text, part) })
}

// TestStranger_SlowSearchAnswered: a search the database cannot answer
// in time (here the regions table is locked) is given up after
// region.SearchTimeout, and the person hears that it is slow instead of
// waiting on a held worker.
func TestStranger_SlowSearchAnswered(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	tx, err := r.DB.Beginx()
	r.Must(err)
	defer func() { _ = tx.Rollback() }()
	_, err = tx.Exec(`LOCK TABLE regions IN ACCESS EXCLUSIVE MODE`)
	r.Must(err)
	u := emulator.User{ID: 9600, FirstName: "Orang"}
	r.Emu.SendText(u, "tlogomas")
	r.WaitText(u.ID, catalog.T("res.search.slow"))
}
