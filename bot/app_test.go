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
	"github.com/kimbot/kimbot/bot/internal/bottest"
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
	r := bottest.New(t, bottest.Options{Before: withRoutes(route)})
	u := emulator.User{ID: 9500, FirstName: "S"}
	id := r.Emu.SendText(u, "/lambat")
	<-started
	r.Stop() // cancels Run and waits for it
	if msgs := r.Emu.Messages(u.ID); len(msgs) != 1 || msgs[0].Text != "selesai" {
		t.Fatalf("after shutdown the chat has %+v, want the handler's answer", msgs)
	}
	var status string
	if err := r.DB.Get(&status, "SELECT status FROM bot_updates WHERE update_id = $1", id); err != nil || status != "done" {
		t.Fatalf("update %d is %q, %v; want done", id, status, err)
	}
}

// TestApp_RedisDown: commands work without Redis; a message that may
// belong to a flow gets "try again".
func TestApp_RedisDown(t *testing.T) {
	r := bottest.New(t, bottest.Options{Root: "35.73"})
	r.Stop()
	r.Redis = redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	r.Start(bottest.Options{Root: "35.73"})
	u := emulator.User{ID: 9501, FirstName: "R"}
	r.Emu.SendText(u, "/start")
	m := r.WaitText(u.ID, "Pilih kecamatan")
	r.Emu.PressButton(u, u.ID, m.MessageID, bottest.Button(t, m, "Lowokwaru")) // buttons carry their own state
	r.WaitText(u.ID, "Kecamatan Lowokwaru")
	r.Emu.SendText(u, "tlogomas")
	r.WaitText(u.ID, "Coba lagi sebentar lagi")
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")
}

// TestApp_TwoReplicas: two Apps on one database share the work; one polls
// at a time, every update is answered once, and when the polling one
// stops the other takes over.
func TestApp_TwoReplicas(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	first := r.Stop
	r.Start(bottest.Options{}) // a second replica on the same database and Redis
	const users = 12
	for i := range users {
		r.Emu.SendText(emulator.User{ID: 9600 + int64(i), FirstName: "A"}, "/bantuan")
	}
	for i := range users {
		r.WaitText(9600+int64(i), "Cara memakai")
	}
	first()
	for i := range users {
		r.Emu.SendText(emulator.User{ID: 9600 + int64(i), FirstName: "A"}, "/bantuan")
	}
	for i := range users {
		r.WaitCount(9600+int64(i), 2, "Cara memakai")
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would arrive by now
	for i := range users {
		if n := len(r.Emu.Messages(9600 + int64(i))); n != 2 {
			t.Fatalf("chat %d got %d answers to 2 updates", 9600+i, n)
		}
	}
}

// TestApp_UndecodableUpdateSetAside: an update the library cannot decode
// is marked failed and the chat's next update still runs.
func TestApp_UndecodableUpdateSetAside(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	u := emulator.User{ID: 9700, FirstName: "D"}
	r.Emu.RegisterUser(u)
	_, err := r.DB.Exec(`INSERT INTO bot_updates (update_id, chat_id, payload) VALUES
		(1, 9700, '{"update_id":1,"message":{"message_id":1,"date":"yesterday","chat":{"id":9700,"type":"private"}}}')`)
	if err != nil {
		t.Fatal(err)
	}
	// The emulator numbers updates from 1: its first one collides with the
	// stored row and is dropped as a redelivery; the second comes after it.
	r.Emu.SendText(u, "/wilayah")
	r.Emu.SendText(u, "/bantuan")
	r.WaitText(u.ID, "Cara memakai")
	var status string
	r.DB.Get(&status, "SELECT status FROM bot_updates WHERE update_id = 1")
	if status != "failed" {
		t.Fatalf("undecodable update is %q, want failed", status)
	}
}

type countingLimiter struct{ n atomic.Int64 }

func (l *countingLimiter) TakeReply(context.Context, int64) error { l.n.Add(1); return nil }

// TestApp_MetricsAndPacing: replies take interactive tokens; the metrics
// count updates by kind and subscribers by status.
func TestApp_MetricsAndPacing(t *testing.T) {
	r := bottest.New(t, bottest.Options{})
	r.Stop()
	reg := prometheus.NewRegistry()
	lim := &countingLimiter{}
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: r.Emu.URL(), PollTimeout: 2 * time.Second},
		bot.Deps{DB: r.DB, Redis: r.Redis, RedisPrefix: r.Prefix, Regions: region.NewStore(r.DB), Subscribers: r.Subs,
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
	r.Emu.SendText(u, "/start 3573051003")
	r.WaitText(u.ID, "Tlogomas")
	r.Emu.SendSticker(u)
	r.WaitText(u.ID, "belum bisa")
	if lim.n.Load() < 2 {
		t.Fatalf("replies took %d interactive tokens, want ≥ 2", lim.n.Load())
	}
	deadline := time.Now().Add(bottest.Wait)
	for metric(t, reg, "kimbot_bot_updates_total", "kind", "message", "result", "ok") < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := app.RefreshGauges(ctx); err != nil { // serve's snapshot.Refresher does this in the background
		t.Fatal(err)
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
	var r *bottest.Rig
	route := func(rt *chat.Router) {
		rt.Command("putus", func(ctx context.Context, req *chat.Request) error {
			handled.Add(1)
			testenv.DatabaseAway(t, r.DB, 1500*time.Millisecond)
			_, err := req.Reply(ctx, message.Message{Text: "tetap jalan"})
			return err
		})
	}
	r = bottest.New(t, bottest.Options{Before: withRoutes(route)})
	u := emulator.User{ID: 9502, FirstName: "P"}
	id := r.Emu.SendText(u, "/putus")
	r.WaitText(u.ID, "tetap jalan")
	r.Emu.SendText(u, "/bantuan")
	r.WaitText(u.ID, "/wilayah")
	var status string
	if err := r.DB.Get(&status, "SELECT status FROM bot_updates WHERE update_id = $1", id); err != nil || status != "done" {
		t.Fatalf("update %d is %q, %v; want done", id, status, err)
	}
	if n := handled.Load(); n != 1 {
		t.Fatalf("the update was handled %d times, want once", n)
	}
}

// TestApp_ReplyFollowsAMovedGroup: the group becomes a supergroup while a
// command typed there is being answered; the answer, refused at the old id
// with migrate_to_chat_id, arrives in the supergroup.
func TestApp_ReplyFollowsAMovedGroup(t *testing.T) {
	const old, super = int64(-4500000077), int64(-1002400000077)
	var r *bottest.Rig
	route := func(rt *chat.Router) {
		rt.Command("pindah", func(ctx context.Context, req *chat.Request) error {
			r.Emu.MigrateGroup(old, super, emulator.User{ID: 9700, FirstName: "Admin"})
			_, err := req.Reply(ctx, message.Message{Text: "jawaban untuk grup"})
			return err
		})
	}
	r = bottest.New(t, bottest.Options{Before: withRoutes(route)})
	r.Emu.SendGroupText(emulator.Chat{ID: old, Type: "group", Title: "KIM"}, emulator.User{ID: 9700, FirstName: "Admin"}, "/pindah")
	r.WaitText(super, "jawaban untuk grup")
	if st := r.Emu.Stats(); st.ToMigrated != 1 {
		t.Fatalf("the old id was tried %d times, want once", st.ToMigrated)
	}
}
