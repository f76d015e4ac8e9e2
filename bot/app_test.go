package bot_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// TestApp_ShutdownFinishesUpdatesInHand cancels Run while a handler is
// busy: the handler still answers, its update is marked done, and Run
// returns only then.
func TestApp_ShutdownFinishesUpdatesInHand(t *testing.T) {
	started := make(chan struct{})
	route := func(rt *chat.Router) {
		rt.Command("lambat", func(ctx context.Context, r *chat.Request) error {
			close(started)
			time.Sleep(300 * time.Millisecond)
			_, err := r.Reply(ctx, message.Message{Text: "selesai"})
			return err
		})
	}
	r := newRig(t, rigOpts{routes: route})
	u := emulator.User{ID: 9500, FirstName: "S"}
	id := r.emu.SendText(u, "/lambat")
	<-started
	r.stop() // cancels Run and waits for it
	if msgs := r.emu.Messages(u.ID); len(msgs) != 1 || msgs[0].Text != "selesai" {
		t.Fatalf("after shutdown the chat has %+v, want the handler's answer", msgs)
	}
	var status string
	if err := r.db.Get(&status, "SELECT status FROM bot_updates WHERE update_id = $1", id); err != nil || status != "done" {
		t.Fatalf("update %d is %q, %v; want done", id, status, err)
	}
}

// TestApp_RedisDown: commands work without Redis; a message that may
// belong to a flow gets "try again".
func TestApp_RedisDown(t *testing.T) {
	r := newRig(t, rigOpts{root: "35.73"})
	r.stop()
	r.rdb = redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	r.start(rigOpts{root: "35.73"})
	u := emulator.User{ID: 9501, FirstName: "R"}
	r.emu.SendText(u, "/start")
	m := r.waitText(u.ID, "Pilih kecamatan")
	r.emu.PressButton(u, u.ID, m.MessageID, button(t, m, "Lowokwaru")) // buttons carry their own state
	r.waitText(u.ID, "Kecamatan Lowokwaru")
	r.emu.SendText(u, "tlogomas")
	r.waitText(u.ID, "Coba lagi sebentar lagi")
	r.emu.SendText(u, "/start 3573051003")
	r.waitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")
}

// TestApp_TwoReplicas: two Apps on one database share the work; one polls
// at a time, every update is answered once, and when the polling one
// stops the other takes over.
func TestApp_TwoReplicas(t *testing.T) {
	r := newRig(t, rigOpts{})
	first := r.stop
	r.start(rigOpts{}) // a second replica on the same database and Redis
	const users = 12
	for i := range users {
		r.emu.SendText(emulator.User{ID: 9600 + int64(i), FirstName: "A"}, "/bantuan")
	}
	for i := range users {
		r.waitText(9600+int64(i), "Cara memakai")
	}
	first()
	for i := range users {
		r.emu.SendText(emulator.User{ID: 9600 + int64(i), FirstName: "A"}, "/bantuan")
	}
	for i := range users {
		r.waitCount(9600+int64(i), 2, "Cara memakai")
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would arrive by now
	for i := range users {
		if n := len(r.emu.Messages(9600 + int64(i))); n != 2 {
			t.Fatalf("chat %d got %d answers to 2 updates", 9600+i, n)
		}
	}
}

// TestApp_UndecodableUpdateSetAside: an update the library cannot decode
// is marked failed and the chat's next update still runs.
func TestApp_UndecodableUpdateSetAside(t *testing.T) {
	r := newRig(t, rigOpts{})
	u := emulator.User{ID: 9700, FirstName: "D"}
	r.emu.RegisterUser(u)
	_, err := r.db.Exec(`INSERT INTO bot_updates (update_id, chat_id, payload) VALUES
		(1, 9700, '{"update_id":1,"message":{"message_id":1,"date":"yesterday","chat":{"id":9700,"type":"private"}}}')`)
	if err != nil {
		t.Fatal(err)
	}
	// The emulator numbers updates from 1: its first one collides with the
	// stored row and is dropped as a redelivery; the second comes after it.
	r.emu.SendText(u, "/wilayah")
	r.emu.SendText(u, "/bantuan")
	r.waitText(u.ID, "Cara memakai")
	var status string
	r.db.Get(&status, "SELECT status FROM bot_updates WHERE update_id = 1")
	if status != "failed" {
		t.Fatalf("undecodable update is %q, want failed", status)
	}
}

type countingLimiter struct{ n atomic.Int64 }

func (l *countingLimiter) TakeInteractive(context.Context) error { l.n.Add(1); return nil }

// TestApp_MetricsAndPacing: replies take interactive tokens; the metrics
// count updates by kind and subscribers by status.
func TestApp_MetricsAndPacing(t *testing.T) {
	r := newRig(t, rigOpts{})
	r.stop()
	reg := prometheus.NewRegistry()
	lim := &countingLimiter{}
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: r.emu.URL(), PollTimeout: 2 * time.Second},
		bot.Deps{DB: r.db, Redis: r.rdb, RedisPrefix: r.prefix, Regions: region.NewStore(r.db), Subscribers: r.subs,
			Interactive: lim, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); app.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()
	u := emulator.User{ID: 9800, FirstName: "M"}
	r.emu.SendText(u, "/start 3573051003")
	r.waitText(u.ID, "Tlogomas")
	r.emu.SendSticker(u)
	r.waitText(u.ID, "belum bisa")
	if lim.n.Load() < 2 {
		t.Fatalf("replies took %d interactive tokens, want ≥ 2", lim.n.Load())
	}
	deadline := time.Now().Add(testWait)
	for metric(t, reg, "kimbot_bot_updates_total", "kind", "message", "result", "ok") < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"kimbot_bot_updates_total", []string{"kind", "command", "result", "ok"}, 1},
		{"kimbot_bot_updates_total", []string{"kind", "message", "result", "ok"}, 1},
		{"kimbot_subscribers", []string{"status", "active"}, 1},
		{"kimbot_subscribers", []string{"status", "blocked"}, 0},
		{"kimbot_telegram_sends_total", []string{"method", "sendMessage", "outcome", "ok"}, 2},
		{"kimbot_bot_handler_seconds", []string{"kind", "command"}, 1}, // sample count
	}
	for _, c := range checks {
		if got := metric(t, reg, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}

// metric reads one series (counter, gauge, or a histogram's count) from
// reg; -1 when there is no such series.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue series
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return -1
}

// TestApp_DatabaseAwayMidHandling: while an update is being handled,
// PostgreSQL drops every connection and refuses new ones for 1.5 s. The
// update is handled once, its outcome is recorded once the database is
// back, and the bot goes on taking updates.
func TestApp_DatabaseAwayMidHandling(t *testing.T) {
	var handled atomic.Int32
	var r *rig
	route := func(rt *chat.Router) {
		rt.Command("putus", func(ctx context.Context, req *chat.Request) error {
			handled.Add(1)
			testenv.DatabaseAway(t, r.db, 1500*time.Millisecond)
			_, err := req.Reply(ctx, message.Message{Text: "tetap jalan"})
			return err
		})
	}
	r = newRig(t, rigOpts{routes: route})
	u := emulator.User{ID: 9502, FirstName: "P"}
	id := r.emu.SendText(u, "/putus")
	r.waitText(u.ID, "tetap jalan")
	r.emu.SendText(u, "/bantuan")
	r.waitText(u.ID, "/wilayah")
	var status string
	if err := r.db.Get(&status, "SELECT status FROM bot_updates WHERE update_id = $1", id); err != nil || status != "done" {
		t.Fatalf("update %d is %q, %v; want done", id, status, err)
	}
	if n := handled.Load(); n != 1 {
		t.Fatalf("the update was handled %d times, want once", n)
	}
}
