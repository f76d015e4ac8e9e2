package broadcast_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
)

// The bot paces its replies with the broadcast limiter.
var _ bot.InteractiveLimiter = (*broadcast.Limiter)(nil)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// grants runs workers goroutines per limiter calling WaitBulk until ctx
// ends and returns every grant time.
func grants(ctx context.Context, workers int, limiters ...*broadcast.Limiter) []time.Time {
	var mu sync.Mutex
	var out []time.Time
	var wg sync.WaitGroup
	for _, l := range limiters {
		for range workers {
			wg.Go(func() {
				for bulk(ctx, l) == nil {
					mu.Lock()
					out = append(out, time.Now())
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// bulk takes a bulk token for a send that Telegram answers at once.
func bulk(ctx context.Context, l *broadcast.Limiter) error {
	answered, err := l.WaitBulk(ctx)
	if err == nil {
		answered()
	}
	return err
}

// maxPerSecond is the most grants inside any half-open one-second window,
// counted the way the emulator (and Telegram) count.
func maxPerSecond(ts []time.Time) int {
	best, lo := 0, 0
	for hi := range ts {
		for !ts[lo].After(ts[hi].Add(-time.Second)) {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

func TestBulkLimit_PaceAndBurstNeverExceedTheRate(t *testing.T) {
	t.Parallel()
	for _, rate := range []int{1, 5, 25, 30, 49, 50, 100, 300, 999, 1000} {
		pace, early := broadcast.BulkLimitForTest(rate)
		if 1+pace+early > float64(rate)+1 {
			t.Errorf("rate %d: pace %.2f/s with sends %.2f intervals early could put more than %d sends in one second", rate, pace, early, rate)
		}
		if rate >= 25 && pace < 0.97*float64(rate) {
			t.Errorf("rate %d: pace %.2f/s is below 97%% of the rate", rate, pace)
		}
	}
}

func TestLimiter_BulkStaysUnderTheRate(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	l := broadcast.NewLimiter(rdb, broadcast.LimiterConfig{Rate: 50, KeyPrefix: prefix}, discard())
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	ts := grants(ctx, 4, l)
	if got := maxPerSecond(ts); got > 50 || got < 10 {
		t.Fatalf("max grants in one second = %d, want between 10 and 50 (%d grants)", got, len(ts))
	}
	if keys := testenv.KeysUnderPrefix(t, rdb, prefix); !slices.Contains(keys, prefix+"rate:limiter") {
		t.Fatalf("the shared pace is not at %q; keys under the prefix: %q", prefix+"rate:limiter", keys)
	}
}

func TestLimiter_TwoReplicasShareOneRate(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	cfg := broadcast.LimiterConfig{Rate: 40, KeyPrefix: prefix}
	a := broadcast.NewLimiter(rdb, cfg, discard())
	b := broadcast.NewLimiter(rdb, cfg, discard())
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	ts := grants(ctx, 3, a, b)
	if got := maxPerSecond(ts); got > 40 || got < 10 {
		t.Fatalf("two replicas: max grants in one second = %d, want between 10 and 40", got)
	}
}

func TestLimiter_InteractiveIsNotStarvedByBulk(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	// At 5/s a bulk send waits 200 ms for its turn; four bulk workers keep
	// the shared state saturated.
	l := broadcast.NewLimiter(rdb, broadcast.LimiterConfig{Rate: 5, KeyPrefix: prefix, InteractiveBurst: 4}, discard())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var bulk []time.Time
	var mu sync.Mutex
	wg.Go(func() {
		ts := grants(ctx, 4, l)
		mu.Lock()
		bulk = ts
		mu.Unlock()
	})
	time.Sleep(500 * time.Millisecond) // bulk saturates
	// Queued like bulk, four replies would take at least 4 × 200 ms behind
	// the four bulk waiters; with their own tolerance they go at once.
	rctx, rcancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer rcancel()
	for i := range 4 {
		if err := l.TakeInteractive(rctx); err != nil {
			t.Fatalf("reply %d waited behind bulk: %v", i+1, err)
		}
	}
	replied := time.Now()
	time.Sleep(time.Second)
	cancel()
	wg.Wait()
	// Bulk yields: in the second after the replies, it got fewer tokens than
	// its full pace (the replies used part of the rate).
	after := 0
	for _, ts := range bulk {
		if ts.After(replied) && !ts.After(replied.Add(time.Second)) {
			after++
		}
	}
	if after > 2 {
		t.Fatalf("bulk took %d tokens in the second after 4 replies at 5/s; it should have yielded", after)
	}
}

func TestLimiter_PauseAllHoldsEveryReplica(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	cfg := broadcast.LimiterConfig{Rate: 100, KeyPrefix: prefix}
	a := broadcast.NewLimiter(rdb, cfg, discard())
	b := broadcast.NewLimiter(rdb, cfg, discard())
	ctx := context.Background()
	if err := a.PauseAll(ctx, 700*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := bulk(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := b.TakeInteractive(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 600*time.Millisecond {
		t.Fatalf("the other replica sent after %s of a 700 ms pause", waited)
	}
	// A shorter pause never shortens a longer one.
	must(t, a.PauseAll(ctx, 2*time.Second))
	must(t, b.PauseAll(ctx, 10*time.Millisecond))
	if left, _ := rdb.PTTL(ctx, prefix+"limiter:pause").Result(); left < time.Second {
		t.Fatalf("pause left %s after a shorter pause was asked, want about 2 s", left)
	}
}

func TestLimiter_RedisDownFallsBackInProcessAndSaysSoOnce(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	defer dead.Close()
	l := broadcast.NewLimiter(dead, broadcast.LimiterConfig{Rate: 20, KeyPrefix: "x:"}, logger)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	ts := grants(ctx, 3, l)
	if got := maxPerSecond(ts); got > 20 || got < 5 {
		t.Fatalf("without Redis: max grants in one second = %d, want between 5 and 20", got)
	}
	if n := strings.Count(logs.String(), "Redis unavailable"); n != 1 {
		t.Fatalf("logged the fallback %d times, want once:\n%s", n, logs.String())
	}
	start := time.Now()
	if err := l.PauseAll(context.Background(), 300*time.Millisecond); err == nil {
		t.Fatal("PauseAll without Redis reported success; want an error saying the pause is local")
	}
	must(t, bulk(context.Background(), l))
	if time.Since(start) < 250*time.Millisecond {
		t.Fatal("the local pause was not honoured without Redis")
	}
}

func TestLimiter_RateZeroDisables(t *testing.T) {
	t.Parallel()
	l := broadcast.NewLimiter(nil, broadcast.LimiterConfig{Rate: 0}, discard())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range 100_000 {
		if err := bulk(ctx, l); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
}
