package bot_test

import (
	"context"
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
)

// opRig is the whole path of an announcement: the bot (operator chat),
// the dispatcher and the delivery engine, against the emulator.
type opRig struct {
	t   *testing.T
	emu *emulator.Server
	ops *broadcast.Operators
}

func newOpRig(t *testing.T) *opRig {
	t.Helper()
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	db := testenv.DB(t)
	rdb, prefix := testenv.Redis(t)
	clock := message.SystemClock{}
	sender, err := bot.NewSender("123:TEST", emu.URL(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	subs := broadcast.NewSubscribers(db, clock)
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: emu.URL(), PollTimeout: 2 * time.Second}, bot.Deps{
		DB: db, Redis: rdb, RedisPrefix: prefix, Regions: region.NewStore(db), Subscribers: subs,
		Operators: broadcast.NewOperators(db, clock), Schedules: broadcast.NewSchedules(db, clock), Invites: broadcast.NewInvites(db, clock)})
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
	return &opRig{t: t, emu: emu, ops: broadcast.NewOperators(db, clock)}
}

func (r *opRig) wait(chat int64, part string) emulator.Sent {
	r.t.Helper()
	return r.emu.WaitFor(r.t, chat, 15*time.Second, func(m emulator.Sent) bool { return strings.Contains(m.Text, part) })
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
	r := newOpRig(t)
	ctx := context.Background()
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	residents := []emulator.User{{ID: 601, FirstName: "Sari"}, {ID: 602, FirstName: "Budi"}}
	outsider := emulator.User{ID: 603, FirstName: "Tono"}
	if _, err := r.ops.Add(ctx, broadcast.Admin, operator.ID, "35.73"); err != nil {
		t.Fatal(err)
	}
	for _, u := range append(residents, outsider) {
		village := "3573051003" // Tlogomas, Lowokwaru
		if u.ID == outsider.ID {
			village = "357301" // Blimbing: opens a picker, no subscription
		}
		r.emu.SendText(u, "/start "+village)
	}
	for _, u := range residents {
		r.wait(u.ID, "Tlogomas")
	}

	// A resident trying an operator command gets the ordinary answer.
	r.emu.SendText(residents[0], "/siaran")
	r.wait(residents[0].ID, "perintah itu tidak dikenal")

	r.emu.SendText(operator, "/siaran")
	r.wait(operator.ID, "Siaran baru")
	r.emu.SendText(operator, "Pemadaman listrik besok 08.00 & 12.00")
	targets := r.wait(operator.ID, "Ke mana")
	opButton(t, targets, "op:tv:35.73.05")
	r.emu.PressButton(operator, operator.ID, targets.MessageID, "op:tv:35.73.05")
	r.emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool { return hasData(m, "op:tp:1") })
	r.emu.PressButton(operator, operator.ID, targets.MessageID, "op:tp:1") // Tlogomas is on the second page
	villages := r.emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool {
		return m.MessageID == targets.MessageID && strings.Contains(m.Text, "Ke mana") && hasData(m, "op:tg:35.73.05.1003")
	})
	r.emu.PressButton(operator, operator.ID, villages.MessageID, "op:tg:35.73.05.1003")
	r.emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool { return strings.Contains(m.Text, "Terpilih: Tlogomas") })
	r.emu.PressButton(operator, operator.ID, villages.MessageID, "op:td")
	timing := r.wait(operator.ID, "Kapan dikirim")
	r.emu.PressButton(operator, operator.ID, timing.MessageID, "op:w:now")
	urgent := r.wait(operator.ID, "peringatan darurat")
	r.emu.PressButton(operator, operator.ID, urgent.MessageID, "op:u:0")
	summary := r.wait(operator.ID, "Kirim?")
	if !strings.Contains(summary.Text, "Tlogomas") || !strings.Contains(summary.Text, "2 pelanggan") {
		t.Fatalf("summary = %q", summary.Text)
	}
	previews := r.emu.Messages(operator.ID)
	if p := previews[len(previews)-2]; p.Text != "Pemadaman listrik besok 08.00 &amp; 12.00" || p.ParseMode != "HTML" {
		t.Fatalf("preview = %+v, want the announcement exactly as residents get it", p)
	}
	r.emu.PressButton(operator, operator.ID, summary.MessageID, "op:ok")
	r.wait(operator.ID, "sedang dikirim")

	for _, u := range residents {
		got := r.wait(u.ID, "Pemadaman listrik")
		if got.Text != "Pemadaman listrik besok 08.00 &amp; 12.00" {
			t.Fatalf("resident %d got %q", u.ID, got.Text)
		}
	}
	// The engine records outcomes in batches: ask until the report has them.
	var report string
	for i := 0; i < 50 && !strings.Contains(report, "Sasaran 2 · terkirim 2 · gagal 0 · memblokir 0 · menunggu 0"); i++ {
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		n := len(r.emu.Messages(operator.ID))
		r.emu.SendText(operator, "/laporan")
		msgs := r.emu.WaitMessages(t, operator.ID, n+1, 15*time.Second)
		report = msgs[len(msgs)-1].Text
	}
	if !strings.Contains(report, "Sasaran 2 · terkirim 2") || !strings.Contains(report, "selesai") {
		t.Fatalf("/laporan = %q", report)
	}
	for _, m := range r.emu.Messages(outsider.ID) {
		if strings.Contains(m.Text, "Pemadaman") {
			t.Fatal("a resident outside the targets got the announcement")
		}
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
