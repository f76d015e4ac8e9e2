package broadcast_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

const (
	tlogomas  region.Code = "35.73.05.1003"
	merjosari region.Code = "35.73.05.1002"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func newSubscribers(t *testing.T) (*broadcast.Subscribers, *message.ManualClock) {
	t.Helper()
	clock := message.NewManualClock(t0)
	return broadcast.NewSubscribers(testenv.DB(t), clock), clock
}

func TestSubscribers_Subscribe(t *testing.T) {
	s, clock := newSubscribers(t)
	ctx := context.Background()
	sub, err := s.Subscribe(ctx, 101, tlogomas)
	if err != nil {
		t.Fatal(err)
	}
	want := broadcast.Subscriber{ChatID: 101, VillageCode: tlogomas, Status: broadcast.StatusActive, CreatedAt: t0, UpdatedAt: t0}
	assertSubscriber(t, sub, want)
	got, err := s.Get(ctx, 101)
	if err != nil {
		t.Fatal(err)
	}
	assertSubscriber(t, got, want)

	// Moving a stopped subscription to another village makes it active
	// again and keeps its creation time.
	clock.Advance(time.Hour)
	if err := s.Stop(ctx, 101); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	sub, err = s.Subscribe(ctx, 101, merjosari)
	if err != nil {
		t.Fatal(err)
	}
	assertSubscriber(t, sub, broadcast.Subscriber{ChatID: 101, VillageCode: merjosari, Status: broadcast.StatusActive,
		CreatedAt: t0, UpdatedAt: t0.Add(2 * time.Hour)})

	for _, code := range []region.Code{"35.73.05.9999", "35.73.05", "35.73", "35", "", "nonsense"} {
		if _, err := s.Subscribe(ctx, 102, code); !errors.Is(err, broadcast.ErrUnknownVillage) {
			t.Errorf("Subscribe(%q) = %v, want ErrUnknownVillage", code, err)
		}
	}
	if _, err := s.Get(ctx, 102); !errors.Is(err, broadcast.ErrNotFound) {
		t.Fatalf("a refused subscription left a row: %v", err)
	}
	// A refused change keeps the old subscription.
	if _, err := s.Subscribe(ctx, 101, "35.73.05.9999"); !errors.Is(err, broadcast.ErrUnknownVillage) {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, 101); got.VillageCode != merjosari || got.Status != broadcast.StatusActive {
		t.Fatalf("after a refused change: %+v", got)
	}
}

// TestSubscribers_Transitions starts a chat in each state at t0, applies
// each operation at t0+1h and checks the row that results.
func TestSubscribers_Transitions(t *testing.T) {
	s, clock := newSubscribers(t)
	ctx := context.Background()
	t1 := t0.Add(time.Hour)
	type row struct {
		status    broadcast.SubscriberStatus // "" = no row
		updated   time.Time
		stoppedAt time.Time // zero = nil
	}
	ops := map[string]func(int64) error{
		"stop":    func(id int64) error { return s.Stop(ctx, id) },
		"resume":  func(id int64) error { _, err := s.Resume(ctx, id); return err },
		"blocked": func(id int64) error { return s.MarkBlocked(ctx, id) },
		"delete":  func(id int64) error { return s.Erase(ctx, id) },
	}
	tests := []struct {
		from    string
		op      string
		wantErr error
		want    row
	}{
		{"none", "stop", broadcast.ErrNotFound, row{}},
		{"none", "resume", broadcast.ErrNotFound, row{}},
		{"none", "blocked", nil, row{}},
		{"none", "delete", nil, row{}},
		{"active", "stop", nil, row{broadcast.StatusStopped, t1, t1}},
		{"active", "resume", nil, row{broadcast.StatusActive, t0, time.Time{}}},
		{"active", "blocked", nil, row{broadcast.StatusBlocked, t1, t1}},
		{"active", "delete", nil, row{}},
		{"stopped", "stop", nil, row{broadcast.StatusStopped, t0, t0}},
		{"stopped", "resume", nil, row{broadcast.StatusActive, t1, time.Time{}}},
		{"stopped", "blocked", nil, row{broadcast.StatusBlocked, t1, t0}},
		{"stopped", "delete", nil, row{}},
		{"blocked", "stop", nil, row{broadcast.StatusBlocked, t0, t0}},
		{"blocked", "resume", nil, row{broadcast.StatusActive, t1, time.Time{}}},
		{"blocked", "blocked", nil, row{broadcast.StatusBlocked, t0, t0}},
		{"blocked", "delete", nil, row{}},
	}
	for i, tt := range tests {
		t.Run(tt.from+"/"+tt.op, func(t *testing.T) {
			id := int64(1000 + i)
			clock.Set(t0)
			startIn(t, s, id, tt.from)
			clock.Set(t1)
			if err := ops[tt.op](id); !errors.Is(err, tt.wantErr) {
				t.Fatalf("%s = %v, want %v", tt.op, err, tt.wantErr)
			}
			got, err := s.Get(ctx, id)
			if tt.want.status == "" {
				if !errors.Is(err, broadcast.ErrNotFound) {
					t.Fatalf("row left behind: %+v, %v", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := broadcast.Subscriber{ChatID: id, VillageCode: tlogomas, Status: tt.want.status, CreatedAt: t0, UpdatedAt: tt.want.updated}
			if !tt.want.stoppedAt.IsZero() {
				want.StoppedAt = &tt.want.stoppedAt
			}
			assertSubscriber(t, got, want)
		})
	}
}

func TestSubscribers_ResumeReturnsRow(t *testing.T) {
	s, clock := newSubscribers(t)
	ctx := context.Background()
	startIn(t, s, 7, "stopped")
	clock.Advance(time.Minute)
	sub, err := s.Resume(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	assertSubscriber(t, sub, broadcast.Subscriber{ChatID: 7, VillageCode: tlogomas, Status: broadcast.StatusActive,
		CreatedAt: t0, UpdatedAt: t0.Add(time.Minute)})
	again, err := s.Resume(ctx, 7) // already active: returned as it is
	if err != nil {
		t.Fatal(err)
	}
	assertSubscriber(t, again, sub)
}

// TestSubscribers_GuardedRaces runs conflicting changes to one chat at the
// same time, as two replicas or a delivery worker and the chat flow would.
func TestSubscribers_GuardedRaces(t *testing.T) {
	s, clock := newSubscribers(t)
	ctx := context.Background()

	t.Run("stop and blocked end blocked in any order", func(t *testing.T) {
		for i := range 20 {
			id := int64(5000 + i)
			startIn(t, s, id, "active")
			race(t, func() error { return s.Stop(ctx, id) }, func() error { return s.MarkBlocked(ctx, id) })
			if got, _ := s.Get(ctx, id); got.Status != broadcast.StatusBlocked || got.StoppedAt == nil {
				t.Fatalf("round %d: %+v, want blocked with stopped_at", i, got)
			}
		}
	})
	t.Run("many stops apply once", func(t *testing.T) {
		startIn(t, s, 6000, "active")
		clock.Set(t0.Add(time.Hour))
		fns := make([]func() error, 8)
		for i := range fns {
			fns[i] = func() error { return s.Stop(ctx, 6000) }
		}
		race(t, fns...)
		clock.Set(t0.Add(2 * time.Hour))
		if err := s.Stop(ctx, 6000); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Get(ctx, 6000)
		if got.Status != broadcast.StatusStopped || got.StoppedAt == nil || !got.StoppedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("%+v, want stopped once at t0+1h", got)
		}
	})
	t.Run("concurrent subscribes leave one active row", func(t *testing.T) {
		clock.Set(t0)
		villages := []region.Code{tlogomas, merjosari, tlogomas, merjosari, tlogomas, merjosari}
		fns := make([]func() error, len(villages))
		for i, v := range villages {
			fns[i] = func() error { _, err := s.Subscribe(ctx, 7000, v); return err }
		}
		race(t, fns...)
		got, err := s.Get(ctx, 7000)
		if err != nil || got.Status != broadcast.StatusActive || (got.VillageCode != tlogomas && got.VillageCode != merjosari) {
			t.Fatalf("%+v, %v", got, err)
		}
	})
}

func TestSubscribers_CountByStatus(t *testing.T) {
	s, _ := newSubscribers(t)
	ctx := context.Background()
	counts, err := s.CountByStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[broadcast.SubscriberStatus]int{broadcast.StatusActive: 0, broadcast.StatusStopped: 0, broadcast.StatusBlocked: 0}
	assertCounts(t, counts, want)
	for id, state := range []string{"active", "active", "active", "stopped", "blocked", "blocked"} {
		startIn(t, s, int64(id+1), state)
	}
	counts, err = s.CountByStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want = map[broadcast.SubscriberStatus]int{broadcast.StatusActive: 3, broadcast.StatusStopped: 1, broadcast.StatusBlocked: 2}
	assertCounts(t, counts, want)
}

// startIn puts chat id into state ("none", "active", "stopped", "blocked")
// at the clock's current time.
func startIn(t *testing.T, s *broadcast.Subscribers, id int64, state string) {
	t.Helper()
	ctx := context.Background()
	if state == "none" {
		return
	}
	if _, err := s.Subscribe(ctx, id, tlogomas); err != nil {
		t.Fatal(err)
	}
	var err error
	switch state {
	case "stopped":
		err = s.Stop(ctx, id)
	case "blocked":
		err = s.MarkBlocked(ctx, id)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// race runs fns at the same moment and fails on any error.
func race(t *testing.T, fns ...func() error) {
	t.Helper()
	var start, done sync.WaitGroup
	start.Add(1)
	errs := make(chan error, len(fns))
	for _, fn := range fns {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			errs <- fn()
		}()
	}
	start.Done()
	done.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func assertSubscriber(t *testing.T, got, want broadcast.Subscriber) {
	t.Helper()
	ok := got.ChatID == want.ChatID && got.VillageCode == want.VillageCode && got.Status == want.Status &&
		got.CreatedAt.Equal(want.CreatedAt) && got.UpdatedAt.Equal(want.UpdatedAt) &&
		(got.StoppedAt == nil) == (want.StoppedAt == nil) &&
		(got.StoppedAt == nil || got.StoppedAt.Equal(*want.StoppedAt))
	if !ok {
		t.Fatalf("subscriber = %s, want %s", describe(got), describe(want))
	}
}

func describe(s broadcast.Subscriber) string {
	stopped := "nil"
	if s.StoppedAt != nil {
		stopped = s.StoppedAt.UTC().Format(time.RFC3339)
	}
	return s.VillageCode.String() + " " + string(s.Status) + " created " + s.CreatedAt.UTC().Format(time.RFC3339) +
		" updated " + s.UpdatedAt.UTC().Format(time.RFC3339) + " stopped " + stopped
}

func assertCounts(t *testing.T, got, want map[broadcast.SubscriberStatus]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("counts = %v, want %v", got, want)
		}
	}
}
