package broadcast

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
)

func TestLimiter_CountsReplicasForItsFallbackShare(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	cfg := LimiterConfig{Rate: 30, KeyPrefix: prefix}
	a := NewLimiter(rdb, cfg, slog.New(slog.DiscardHandler))
	b := NewLimiter(rdb, cfg, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	a.heartbeat(ctx)
	b.heartbeat(ctx)
	a.lastBeat = a.lastBeat.Add(-heartbeatEvery)
	a.heartbeat(ctx)
	if got := a.members.Load(); got != 2 {
		t.Fatalf("replicas seen = %d, want 2", got)
	}
}

func TestLocalGCRA_SharesTheRateAmongReplicas(t *testing.T) {
	t.Parallel()
	l := bulkLimit(30)
	g := newLocalGCRA(l)
	now := time.Unix(1_800_000_000, 0)
	granted := 0
	// Ten simulated seconds, asking every millisecond, as one of 3 replicas.
	for ms := 0; ms < 10_000; ms++ {
		if g.take(now, l.Burst, 3) == 0 {
			granted++
		}
		now = now.Add(1e6)
	}
	if granted < 95 || granted > 100 {
		t.Fatalf("one of three replicas got %d tokens in 10 s at 30/s, want about 99", granted)
	}
}

// A late answer holds back the send a window after it: Telegram saw the
// late send no earlier than its answer, so the next send that would share
// its second waits until a second after that answer.
func TestSendWindow_LateAnswerHoldsTheSendAWindowLater(t *testing.T) {
	t.Parallel()
	w := newSendWindow(3)
	ctx := context.Background()
	start := time.Now()
	enter := func() func() {
		answered, err := w.enter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return answered
	}
	late := enter()
	enter()()
	enter()()
	go func() { time.Sleep(300 * time.Millisecond); late() }()
	enter()() // takes the late send's slot
	if got := time.Since(start); got < 1300*time.Millisecond {
		t.Fatalf("the 4th send went out %s after the 1st, whose answer came at 300 ms; want ≥ 1.3 s", got)
	}
	enter()() // the 2nd send's slot, answered at once: free since ~1 s, no further wait
	if got := time.Since(start); got > 1800*time.Millisecond {
		t.Fatalf("the 5th send waited until %s; its slot was free at 1 s", got)
	}
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := w.enter(ctx); err == nil {
		t.Fatal("enter with a cancelled context waited for a slot instead of giving up")
	}
}
