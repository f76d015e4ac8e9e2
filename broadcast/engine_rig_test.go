package broadcast_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

const testToken = "4242:engine-test"

// rig is one delivery engine's world: a fresh database, a Redis prefix, the
// Bot API emulator and a clock.
type rig struct {
	t      testing.TB
	db     *sqlx.DB
	dbURL  string
	emu    *emulator.Server
	clock  message.Clock
	rdb    *redis.Client
	prefix string
}

func newRig(t testing.TB, opts emulator.Options, clock message.Clock) *rig {
	t.Helper()
	db, dbURL := testenv.DBWithURL(t)
	rdb, prefix := testenv.Redis(t)
	if clock == nil {
		clock = message.SystemClock{}
	}
	return &rig{t: t, db: db, dbURL: dbURL, emu: emulator.NewTestServer(t, opts), clock: clock, rdb: rdb, prefix: prefix}
}

// subscribe seeds n active subscribers of village, known to the emulator
// as chats that once wrote to the bot.
func (r *rig) subscribe(village string, first int64, n int) []int64 {
	r.t.Helper()
	ids := seedSubscribers(r.t, r.db, village, first, n)
	for _, id := range ids {
		r.emu.RegisterUser(emulator.User{ID: id, FirstName: fmt.Sprintf("Warga %d", id)})
	}
	return ids
}

func (r *rig) limiter(rate int) *broadcast.Limiter {
	return broadcast.NewLimiter(r.rdb, broadcast.LimiterConfig{Rate: rate, KeyPrefix: r.prefix}, discard())
}

func (r *rig) sender(timeout time.Duration) message.Sender {
	return newSender(r.t, r.emu.URL(), timeout)
}

func (r *rig) engine(sender message.Sender, l *broadcast.Limiter, cfg broadcast.EngineConfig) *broadcast.Engine {
	return broadcast.NewEngine(r.db, sender, l, r.clock, discard(), cfg)
}

// newRun creates a sending run for targets at the rig's clock.
func (r *rig) newRun(text string, urgent bool, targets ...string) (int64, int) {
	r.t.Helper()
	return newRun(r.t, r.db, text, urgent, r.clock.Now(), targets...)
}

// drain calls ProcessOnce until it finds nothing due.
func (r *rig) drain(e *broadcast.Engine) int {
	r.t.Helper()
	total := 0
	for range 10_000 {
		n, err := e.ProcessOnce(context.Background())
		if err != nil {
			r.t.Fatalf("ProcessOnce: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
	r.t.Fatal("ProcessOnce never ran dry")
	return total
}

// waitDone polls until the run is done.
func (r *rig) waitDone(runID int64, timeout time.Duration) {
	r.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if runStatus(r.t, r.db, runID) == "done" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatalf("run %d not done after %s: %v", runID, timeout, deliveryCounts(r.t, r.db, runID))
}

// runEngine starts e; stop ends it and checks that Run returned cleanly.
func runEngine(t testing.TB, e *broadcast.Engine) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	return func() { cancel(); must(t, <-done) }
}

// expectEachOnce fails the test unless every chat got exactly one message.
func (r *rig) expectEachOnce(chats []int64) {
	r.t.Helper()
	for chat, got := range r.received(chats) {
		if got != 1 {
			r.t.Fatalf("chat %d got %d messages, want exactly 1", chat, got)
		}
	}
}

// received returns how many messages each chat got.
func (r *rig) received(chats []int64) map[int64]int {
	out := make(map[int64]int, len(chats))
	for _, c := range chats {
		out[c] = len(r.emu.Messages(c))
	}
	return out
}

func newSender(t testing.TB, apiURL string, timeout time.Duration) message.Sender {
	t.Helper()
	s, err := bot.NewSender(testToken, apiURL, timeout)
	if err != nil {
		t.Fatalf("bot.NewSender: %v", err)
	}
	return s
}

// orderSender remembers in which order chats were sent to.
type orderSender struct {
	message.Sender
	mu    sync.Mutex
	chats []int64
}

func (s *orderSender) Send(ctx context.Context, chatID int64, m message.Message) (int, error) {
	s.mu.Lock()
	s.chats = append(s.chats, chatID)
	s.mu.Unlock()
	return s.Sender.Send(ctx, chatID, m)
}

func (s *orderSender) order() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.chats)
}
