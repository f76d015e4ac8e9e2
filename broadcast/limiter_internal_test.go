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
