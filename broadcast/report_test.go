package broadcast_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

func TestSchedules_Runs_Counts(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	e.subscribeRange(t, "35.73.02", 1, 12, "active")
	sc := e.create(t, staff.Admin(), textDraft("x", broadcast.Timing{Kind: broadcast.KindNow, Zone: nil}, "35.73.02"))
	e.tick(t)
	for status, ids := range map[string][2]int{"sent": {1, 5}, "failed": {6, 6}, "blocked": {7, 8}, "uncertain": {9, 9}, "sending": {10, 10}} {
		if _, err := e.db.Exec(`UPDATE deliveries SET status = $1 WHERE chat_id BETWEEN $2 AND $3`, status, ids[0], ids[1]); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(90 * time.Second)
	r, err := e.schedules.Runs(ctx, staff.Admin(), sc.ID, 10)
	if err != nil || len(r) != 1 {
		t.Fatalf("Runs = %v, %v", r, err)
	}
	got := r[0]
	if got.Targeted != 12 || got.Sent != 5 || got.Failed != 1 || got.Blocked != 2 || got.Uncertain != 1 || got.Pending != 3 || got.Cancelled != 0 {
		t.Fatalf("report = %+v", got)
	}
	if d := got.Duration(e.clock.Now()); d != 90*time.Second {
		t.Fatalf("duration of a run still sending = %s, want 90s", d)
	}
}

func TestSchedules_CountAudience(t *testing.T) {
	e := newSchedEnv(t)
	e.subscribeRange(t, "35.73.01", 1, 40, "active")
	e.subscribeRange(t, "35.73.02", 100, 30, "active")
	e.subscribeRange(t, "35.73.02", 200, 5, "stopped")
	n, err := e.schedules.CountAudience(context.Background(), []region.Code{"35.73.02", "35.73.02", "35.73.04"})
	if err != nil || n != 30 {
		t.Fatalf("CountAudience = %d, %v; want 30", n, err)
	}
}
