package broadcast_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
)

// Each chat's own limit, shared by every replica: a private chat takes a
// burst of 3, then about one a second; a group one every few seconds; two
// chats never share a budget; and replies wait for their chat's token.
func TestLimiter_ChatLimits(t *testing.T) {
	t.Parallel()
	rdb, prefix := testenv.Redis(t)
	a := broadcast.NewLimiter(rdb, broadcast.LimiterConfig{Rate: 25, KeyPrefix: prefix}, discard())
	b := broadcast.NewLimiter(rdb, broadcast.LimiterConfig{Rate: 25, KeyPrefix: prefix}, discard())
	ctx := context.Background()
	for i := range 3 {
		if d := a.ChatDelay(ctx, 42); d != 0 {
			t.Fatalf("private send %d waits %s, want a burst of 3", i+1, d)
		}
	}
	if d := b.ChatDelay(ctx, 42); d < 900*time.Millisecond || d > 1200*time.Millisecond {
		t.Fatalf("4th private send (other replica) waits %s, want about 1.1 s", d)
	}
	if d := a.ChatDelay(ctx, 43); d != 0 {
		t.Fatalf("another chat waits %s", d)
	}
	if d := a.ChatDelay(ctx, -100); d != 0 {
		t.Fatalf("first group send waits %s", d)
	}
	if d := b.ChatDelay(ctx, -100); d < 3*time.Second || d > 3500*time.Millisecond {
		t.Fatalf("second group send waits %s, want about 3.3 s (20 a minute, spaced)", d)
	}
	start := time.Now()
	if err := a.TakeReply(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 800*time.Millisecond {
		t.Fatalf("a reply into the busy chat left after %s", waited)
	}
}
