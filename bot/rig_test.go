package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// rig is a running bot against the emulator, a test database and Redis.
type rig struct {
	t      *testing.T
	emu    *emulator.Server
	db     *sqlx.DB
	rdb    *redis.Client
	prefix string
	subs   *broadcast.Subscribers
	app    *bot.App
	stop   func()
}

type rigOpts struct {
	root    region.Code
	cfg     bot.Config
	erasers []func(context.Context, int64) error
	routes  func(*chat.Router) // extra test routes, added before Run
}

const testWait = 10 * time.Second

func newRig(t *testing.T, o rigOpts) *rig {
	t.Helper()
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	db := testenv.DB(t)
	rdb, prefix := testenv.Redis(t)
	r := &rig{t: t, emu: emu, db: db, rdb: rdb, prefix: prefix, subs: broadcast.NewSubscribers(db, message.SystemClock{})}
	r.start(o)
	return r
}

// start runs a new App on the rig's emulator, database and Redis.
func (r *rig) start(o rigOpts) {
	r.t.Helper()
	cfg := o.cfg
	cfg.Token, cfg.APIURL = "123:TEST", r.emu.URL()
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 2 * time.Second
	}
	app, err := bot.New(cfg, bot.Deps{DB: r.db, Redis: r.rdb, RedisPrefix: r.prefix,
		Regions: region.NewStore(r.db), Subscribers: r.subs, RegionRoot: o.root, DataErasers: o.erasers})
	if err != nil {
		r.t.Fatal(err)
	}
	if o.routes != nil {
		o.routes(bot.RouterOf(app))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); app.Run(ctx) }()
	var once sync.Once
	r.app = app
	r.stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	r.t.Cleanup(r.stop)
}

// waitText waits for a message to chat containing all of parts.
func (r *rig) waitText(chat int64, parts ...string) emulator.Sent {
	r.t.Helper()
	return r.emu.WaitFor(r.t, chat, testWait, func(m emulator.Sent) bool {
		for _, p := range parts {
			if !strings.Contains(m.Text, p) {
				return false
			}
		}
		return true
	})
}

// button returns the callback data of the button whose text contains
// label on message m.
func button(t testing.TB, m emulator.Sent, label string) string {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q on %q (buttons %+v)", label, m.Text, m.Buttons)
	return ""
}

// status is the chat's subscription status and village ("" when none).
func (r *rig) status(chat int64) (broadcast.SubscriberStatus, region.Code) {
	r.t.Helper()
	sub, err := r.subs.Get(context.Background(), chat)
	if err != nil {
		return "", ""
	}
	return sub.Status, sub.VillageCode
}

// waitStatus polls until the chat's subscription has want.
func (r *rig) waitStatus(chat int64, want broadcast.SubscriberStatus, village region.Code) {
	r.t.Helper()
	deadline := time.Now().Add(testWait)
	for time.Now().Before(deadline) {
		if st, v := r.status(chat); st == want && (village == "" || v == village) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	st, v := r.status(chat)
	r.t.Fatalf("chat %d subscription = %s %s, want %s %s", chat, st, v, want, village)
}

// waitCount waits until n messages to chat contain part.
func (r *rig) waitCount(chat int64, n int, part string) {
	r.t.Helper()
	deadline := time.Now().Add(testWait)
	got := 0
	for time.Now().Before(deadline) {
		got = 0
		for _, m := range r.emu.Messages(chat) {
			if strings.Contains(m.Text, part) {
				got++
			}
		}
		if got >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatalf("chat %d: %d messages with %q, want %d", chat, got, part, n)
}
