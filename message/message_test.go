package message

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestBackoff_GrowsWithJitterAndCap(t *testing.T) {
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		attempt int
		base    time.Duration
	}{{1, 2 * time.Second}, {2, 4 * time.Second}, {5, 32 * time.Second}, {20, 10 * time.Minute}}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.attempt), func(t *testing.T) {
			for range 50 {
				d := Backoff(now, tt.attempt).Sub(now)
				lo, hi := time.Duration(float64(tt.base)*0.8), time.Duration(float64(tt.base)*1.2)
				if d < lo || d > hi {
					t.Fatalf("attempt %d waits %v, want within [%v, %v]", tt.attempt, d, lo, hi)
				}
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	flood := fmt.Errorf("sending: %w", &SendError{Kind: RetryAfter, RetryAfter: 7 * time.Second, Err: errors.New("429")})
	if KindOf(flood) != RetryAfter || RetryAfterOf(flood) != 7*time.Second {
		t.Fatalf("wrapped 429: %v %v", KindOf(flood), RetryAfterOf(flood))
	}
	if KindOf(errors.New("dial tcp: refused")) != Transient || RetryAfterOf(errors.New("x")) != 0 {
		t.Fatal("unclassified errors must count as transient, with no wait")
	}
	if Blocked.String() != "blocked" || Kind(99).String() != "kind(99)" {
		t.Fatal("kind names")
	}
}

func TestManualClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	c.Advance(time.Hour)
	if !c.Now().Equal(start.Add(time.Hour)) {
		t.Fatalf("now = %v", c.Now())
	}
}
