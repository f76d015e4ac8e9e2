package redisconn

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrResting is what Guard.Do returns without asking Redis, while Redis
// rests after a failure.
var ErrResting = errors.New("redis: not asked, it failed moments ago")

// Guard puts a deadline on each call to Redis and, once a call failed,
// answers ErrResting at once for Rest instead of letting every caller wait
// for its own deadline; then one caller at a time tries Redis again. For
// what works without Redis (it falls back), so an outage costs an update
// at most one deadline per Rest, not one per call. The zero value is not
// usable: use NewGuard.
type Guard struct {
	name    string // what is off while Redis is away, for the log
	timeout time.Duration
	rest    time.Duration
	log     *slog.Logger
	now     func() time.Time

	failedAt atomic.Int64 // unix nanoseconds of the last failure; 0 while Redis answers
	probing  atomic.Bool  // a caller is trying Redis again after a rest
}

// Interactive deadlines: a call on an update's path gets CallTimeout, and
// after a failure Redis rests for RestAfterFailure.
const (
	CallTimeout      = 300 * time.Millisecond
	RestAfterFailure = 2 * time.Second
)

// NewGuard returns a Guard that logs on logger, once when Redis fails and
// once when it is back, naming what (e.g. "conversation state").
func NewGuard(what string, logger *slog.Logger) *Guard {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Guard{name: what, timeout: CallTimeout, rest: RestAfterFailure, log: logger, now: time.Now}
}

// Do runs call with a deadline of the Guard's timeout, unless Redis is
// resting (ErrResting). redis.Nil and the caller's own cancellation are
// answers, not failures.
func (g *Guard) Do(ctx context.Context, call func(ctx context.Context) error) error {
	probe, ok := g.enter()
	if !ok {
		return ErrResting
	}
	if probe {
		defer g.probing.Store(false)
	}
	cctx, cancel := context.WithTimeout(ctx, g.timeout)
	err := call(cctx)
	cancel()
	switch {
	case err == nil || errors.Is(err, redis.Nil):
		g.succeeded()
	case ctx.Err() == nil:
		g.failed(err)
	}
	return err
}

// enter says whether a call may go to Redis, and whether it is the one
// probe after a rest.
func (g *Guard) enter() (probe, ok bool) {
	failed := g.failedAt.Load()
	if failed == 0 {
		return false, true
	}
	if g.now().UnixNano()-failed < int64(g.rest) {
		return false, false
	}
	if !g.probing.CompareAndSwap(false, true) {
		return false, false
	}
	return true, true
}

func (g *Guard) failed(err error) {
	if g.failedAt.Swap(g.now().UnixNano()) == 0 {
		g.log.Warn("redis unavailable: "+g.name+" off until it answers", "component", "redis",
			"retry_every_s", g.rest.Seconds(), "err", err)
	}
}

func (g *Guard) succeeded() {
	if g.failedAt.Load() != 0 && g.failedAt.Swap(0) != 0 {
		g.log.Info("redis answers again: "+g.name+" on", "component", "redis")
	}
}
