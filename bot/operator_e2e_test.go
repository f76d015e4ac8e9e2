package bot_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// opRig is the whole path of an announcement: the bot (operator chat),
// the dispatcher and the delivery engine, against the emulator.
type opRig struct {
	t     *testing.T
	emu   *emulator.Server
	staff *staff.Directory
}

// newOpRig starts the rig; the delivery engine's sends time out after
// sendTimeout.
func newOpRig(t *testing.T, sendTimeout time.Duration) *opRig {
	t.Helper()
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	db := testenv.DB(t)
	rdb, prefix := testenv.Redis(t)
	clock := message.SystemClock{}
	sender, err := bot.NewSender("123:TEST", emu.URL(), sendTimeout)
	if err != nil {
		t.Fatal(err)
	}
	subs := broadcast.NewSubscribers(db, clock)
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: emu.URL(), PollTimeout: 2 * time.Second}, bot.Deps{
		DB: db, Redis: rdb, RedisPrefix: prefix, Regions: region.NewStore(db), Subscribers: subs,
		Staff: staff.New(db, clock), Schedules: broadcast.NewSchedules(db, clock)})
	if err != nil {
		t.Fatal(err)
	}
	disp := broadcast.NewDispatcher(db, clock, nil)
	disp.Interval = 50 * time.Millisecond
	engine := broadcast.NewEngine(db, sender, nil, clock, nil, broadcast.EngineConfig{PollInterval: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, run := range []func(context.Context) error{app.Run, disp.Run, engine.Run} {
		wg.Add(1)
		go func() { defer wg.Done(); run(ctx) }()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	return &opRig{t: t, emu: emu, staff: staff.New(db, clock)}
}

func (r *opRig) wait(chat int64, part string) emulator.Sent {
	r.t.Helper()
	return r.emu.WaitFor(r.t, chat, 15*time.Second, func(m emulator.Sent) bool { return strings.Contains(m.Text, part) })
}

// press presses the button with data on m, which must carry it.
func (r *opRig) press(u emulator.User, m emulator.Sent, data string) {
	r.t.Helper()
	opButton(r.t, m, data)
	r.emu.PressButton(u, u.ID, m.MessageID, data)
}

// subscribe makes residents subscribers of Tlogomas (Lowokwaru, Malang).
func (r *opRig) subscribe(residents ...emulator.User) {
	r.t.Helper()
	for _, u := range residents {
		r.emu.SendText(u, "/start 3573051003")
	}
	for _, u := range residents {
		r.wait(u.ID, "Tlogomas")
	}
}

// addOperator makes u an operator for Kota Malang.
func (r *opRig) addOperator(u emulator.User) {
	r.t.Helper()
	if _, err := r.staff.Add(context.Background(), staff.Admin(), u.ID, staff.RoleOperator, "35.73", nil); err != nil {
		r.t.Fatal(err)
	}
}

// laporan asks /laporan until its answer holds want (the engine records
// outcomes in batches) and returns the last answer.
// textToCity starts /siaran with a text announcement without link buttons
// for all of Kota Malang, and returns the timing question.
func (r *opRig) textToCity(operator emulator.User, text string) emulator.Sent {
	r.t.Helper()
	r.emu.SendText(operator, "/siaran")
	r.wait(operator.ID, "Siaran baru")
	r.emu.SendText(operator, text)
	r.press(operator, r.wait(operator.ID, "tombol tautan"), "op:b:skip")
	targets := r.wait(operator.ID, "Ke mana")
	r.press(operator, targets, "op:tg:35.73")
	r.emu.PressButton(operator, operator.ID, targets.MessageID, "op:td")
	return r.wait(operator.ID, "Kapan dikirim")
}

func (r *opRig) laporan(operator emulator.User, want string) string {
	r.t.Helper()
	var report string
	for i := 0; i < 50 && !strings.Contains(report, want); i++ {
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		n := len(r.emu.Messages(operator.ID))
		r.emu.SendText(operator, "/laporan")
		msgs := r.emu.WaitMessages(r.t, operator.ID, n+1, 15*time.Second)
		report = msgs[len(msgs)-1].Text
	}
	if !strings.Contains(report, want) {
		r.t.Fatalf("/laporan = %q, want %q", report, want)
	}
	return report
}

func opButton(t *testing.T, m emulator.Sent, data string) {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.CallbackData == data {
				return
			}
		}
	}
	t.Fatalf("no button %q on %q (%+v)", data, m.Text, m.Buttons)
}

func TestOperator_ComposeAndSend(t *testing.T) {
	r := newOpRig(t, 5*time.Second)
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	residents := []emulator.User{{ID: 601, FirstName: "Sari"}, {ID: 602, FirstName: "Budi"}}
	outsider := emulator.User{ID: 603, FirstName: "Tono"}
	r.addOperator(operator)
	r.subscribe(residents...)
	r.emu.SendText(outsider, "/start 357301") // Blimbing: opens a picker, no subscription

	// A resident trying an operator command gets the ordinary answer.
	r.emu.SendText(residents[0], "/siaran")
	r.wait(residents[0].ID, "perintah itu tidak dikenal")

	r.emu.SendText(operator, "/siaran")
	r.wait(operator.ID, "Siaran baru")
	r.emu.SendText(operator, "Pemadaman listrik besok 08.00 & 12.00")
	r.press(operator, r.wait(operator.ID, "tombol tautan"), "op:b:add")
	r.wait(operator.ID, "Ketik tombolnya")
	r.emu.SendText(operator, "Jadwal lengkap - malangkota.go.id") // neither a bar nor https://
	r.wait(operator.ID, "belum bisa dibaca")
	r.emu.SendText(operator, "Jadwal lengkap | https://malangkota.go.id/padam")
	targets := r.wait(operator.ID, "Ke mana")
	r.press(operator, targets, "op:tv:35.73.05")
	r.emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool { return hasData(m, "op:tp:1") })
	r.emu.PressButton(operator, operator.ID, targets.MessageID, "op:tp:1") // Tlogomas is on the second page
	villages := r.emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool {
		return m.MessageID == targets.MessageID && strings.Contains(m.Text, "Ke mana") && hasData(m, "op:tg:35.73.05.1003")
	})
	r.emu.PressButton(operator, operator.ID, villages.MessageID, "op:tg:35.73.05.1003")
	r.emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool { return strings.Contains(m.Text, "Terpilih: Tlogomas") })
	r.emu.PressButton(operator, operator.ID, villages.MessageID, "op:td")
	r.press(operator, r.wait(operator.ID, "Kapan dikirim"), "op:w:now")
	r.press(operator, r.wait(operator.ID, "peringatan darurat"), "op:u:0")
	summary := r.wait(operator.ID, "Kirim?")
	if !strings.Contains(summary.Text, "Tlogomas") || !strings.Contains(summary.Text, "2 pelanggan") {
		t.Fatalf("summary = %q", summary.Text)
	}
	links := [][]emulator.Button{{{Text: "Jadwal lengkap", URL: "https://malangkota.go.id/padam"}}}
	previews := r.emu.Messages(operator.ID)
	preview := previews[len(previews)-2]
	if preview.Text != "Pemadaman listrik besok 08.00 &amp; 12.00" || preview.ParseMode != "HTML" || !reflect.DeepEqual(preview.Buttons, links) {
		t.Fatalf("preview = %+v, want the announcement exactly as residents get it", preview)
	}
	r.press(operator, summary, "op:ok")
	r.wait(operator.ID, "sedang dikirim")

	for _, u := range residents {
		got := r.wait(u.ID, "Pemadaman listrik")
		if got.Text != preview.Text || got.ParseMode != preview.ParseMode || !reflect.DeepEqual(got.Buttons, preview.Buttons) {
			t.Fatalf("resident %d got %+v, the preview showed %+v", u.ID, got, preview)
		}
	}
	report := r.laporan(operator, "Sasaran 2 · terkirim 2 · gagal 0 · memblokir 0 · tak pasti 0 · menunggu 0")
	if !strings.Contains(report, "selesai") || strings.Contains(report, "Tak pasti:") {
		t.Fatalf("/laporan = %q", report)
	}
	for _, m := range r.emu.Messages(outsider.ID) {
		if strings.Contains(m.Text, "Pemadaman") {
			t.Fatal("a resident outside the targets got the announcement")
		}
	}
}

// TestOperator_RepeatingUntil: "every Monday 08.00 until the switch-off",
// from the chat to /jadwal.
func TestOperator_RepeatingUntil(t *testing.T) {
	r := newOpRig(t, 5*time.Second)
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	r.addOperator(operator)
	wib, _ := broadcast.ParseZone("WIB")
	end := time.Now().In(wib).AddDate(0, 2, 0).Format("02/01/2006")

	r.press(operator, r.textToCity(operator, "Siaran TV analog berhenti. Siapkan STB."), "op:w:monday")
	opButton(t, r.wait(operator.ID, "Sampai kapan"), "op:e:none")
	r.emu.SendText(operator, "sampai ASO")
	r.wait(operator.ID, "tidak bisa dibaca")
	r.emu.SendText(operator, end)
	r.press(operator, r.wait(operator.ID, "peringatan darurat"), "op:u:0")
	summary := r.wait(operator.ID, "Kirim?")
	want := "berulang (Tiap Senin 08.00 WIB), sampai " + end
	if !strings.Contains(summary.Text, want) {
		t.Fatalf("summary = %q, want %q", summary.Text, want)
	}
	r.press(operator, summary, "op:ok")
	if done := r.wait(operator.ID, "dijadwalkan"); !strings.Contains(done.Text, want) {
		t.Fatalf("created = %q", done.Text)
	}
	r.emu.SendText(operator, "/jadwal")
	if list := r.wait(operator.ID, "Jadwal siaran"); !strings.Contains(list.Text, want) {
		t.Fatalf("/jadwal = %q", list.Text)
	}
}

// TestOperator_LaporanUncertain: a send whose answer never came is
// reported as uncertain, not resent, and the counts add up.
func TestOperator_LaporanUncertain(t *testing.T) {
	r := newOpRig(t, time.Second)
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	sari, budi := emulator.User{ID: 601, FirstName: "Sari"}, emulator.User{ID: 602, FirstName: "Budi"}
	r.addOperator(operator)
	r.subscribe(sari, budi)
	// Budi's copy arrives, but the answer comes after the engine gave up.
	r.emu.AddFault(emulator.Fault{Method: "sendMessage", ChatID: budi.ID, Delay: 3 * time.Second, Deliver: true, Times: 1})

	r.press(operator, r.textToCity(operator, "Kerja bakti Minggu pagi"), "op:w:now")
	r.press(operator, r.wait(operator.ID, "peringatan darurat"), "op:u:0")
	r.press(operator, r.wait(operator.ID, "Kirim?"), "op:ok")

	report := r.laporan(operator, "Sasaran 2 · terkirim 1 · gagal 0 · memblokir 0 · tak pasti 1 · menunggu 0")
	if !strings.Contains(report, "Tak pasti: Telegram tidak menjawab") {
		t.Fatalf("/laporan does not explain uncertain: %q", report)
	}
	got := 0
	for _, m := range r.emu.Messages(budi.ID) {
		if strings.Contains(m.Text, "Kerja bakti") {
			got++
		}
	}
	if got != 1 {
		t.Fatalf("Budi got the announcement %d times, want once (uncertain is never resent)", got)
	}
}

func hasData(m emulator.Sent, data string) bool {
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.CallbackData == data {
				return true
			}
		}
	}
	return false
}
