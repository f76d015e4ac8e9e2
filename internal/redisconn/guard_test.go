package redisconn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// TestGuard_RestsAfterAFailure: after a failure nobody asks Redis until the
// rest is over, then one caller does; an answer ends the outage. Down and
// back are logged once each.
func TestGuard_RestsAfterAFailure(t *testing.T) {
	var logs bytes.Buffer
	clock := &fakeClock{t: time.Unix(1000, 0)}
	g := NewGuard("conversation state", slog.New(slog.NewJSONHandler(&logs, nil)))
	g.now = clock.now
	ctx := context.Background()
	calls := 0
	down := func(context.Context) error { calls++; return errors.New("i/o timeout") }
	up := func(context.Context) error { calls++; return nil }

	for range 5 {
		g.Do(ctx, down)
	}
	if calls != 1 {
		t.Fatalf("Redis asked %d times within the rest, want 1", calls)
	}
	if err := g.Do(ctx, up); !errors.Is(err, ErrResting) {
		t.Fatalf("during the rest: %v, want ErrResting", err)
	}
	clock.t = clock.t.Add(RestAfterFailure)
	g.probing.Store(true) // another caller is probing
	if err := g.Do(ctx, up); !errors.Is(err, ErrResting) {
		t.Fatalf("while another caller probes: %v, want ErrResting", err)
	}
	g.probing.Store(false)
	if err := g.Do(ctx, up); err != nil || calls != 2 {
		t.Fatalf("after the rest: %v (%d calls), want the probe to reach Redis", err, calls)
	}
	if err := g.Do(ctx, up); err != nil || calls != 3 {
		t.Fatalf("after Redis answered: %v (%d calls), want every call to reach it", err, calls)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "unavailable") || !strings.Contains(lines[1], "answers again") {
		t.Fatalf("logs:\n%s\nwant one line for down and one for back", logs.String())
	}
}

// TestRouteLogs_StructuredAndOncePerMinute: go-redis's lines come out as
// slog JSON with component=redis, one per kind a minute; the next says how
// many were left out.
func TestRouteLogs_StructuredAndOncePerMinute(t *testing.T) {
	var logs bytes.Buffer
	clock := &fakeClock{t: time.Unix(1000, 0)}
	a := newSlogAdapter(slog.New(slog.NewJSONHandler(&logs, nil)), clock.now)
	const dial = "redis: connection pool: failed to dial after %d attempts: %v"
	for range 121 { // a minute at twice a second, and one more
		a.Printf(context.Background(), dial, 5, errors.New("connection refused"))
		clock.t = clock.t.Add(500 * time.Millisecond)
	}
	a.Printf(context.Background(), "redis: other %s", "trouble")
	var got []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		got = append(got, m)
	}
	if len(got) != 3 {
		t.Fatalf("%d lines, want 3 (first dial failure, the next a minute later, the other kind):\n%s", len(got), logs.String())
	}
	for _, m := range got {
		if m["component"] != "redis" || m["level"] != "WARN" {
			t.Errorf("line %v: want component=redis at WARN", m)
		}
	}
	if got[0]["msg"] != "redis: connection pool: failed to dial after 5 attempts: connection refused" || got[0]["repeats"] != 0.0 {
		t.Errorf("first line %v", got[0])
	}
	if got[1]["repeats"] != 119.0 {
		t.Errorf("second line %v: want repeats 119", got[1])
	}
}
