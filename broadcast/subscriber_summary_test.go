package broadcast_test

import (
	"context"
	"testing"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// The counters follow every way a subscriber changes (subscribe, stop,
// resume, blocked in a batch, erase, move village) and a scope reads only
// its own villages; today's growth is today's net change.
func TestSubscribers_SummaryFollowsEveryChange(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	ctx := context.Background()
	subs := broadcast.NewSubscribers(db, message.SystemClock{})
	for id := int64(1); id <= 5; id++ {
		if _, err := subs.Subscribe(ctx, id, "35.73.05.1003"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := subs.Subscribe(ctx, 6, "35.07.01.2001"); err != nil { // Kab. Malang
		t.Fatal(err)
	}
	must(t, subs.Stop(ctx, 1))
	must(t, subs.MarkBlocked(ctx, 2))
	must(t, subs.Erase(ctx, 3))
	if _, err := subs.Subscribe(ctx, 4, "35.73.05.1002"); err != nil { // moves to Merjosari
		t.Fatal(err)
	}
	execSQL(t, db, `UPDATE subscribers SET status = 'blocked' WHERE chat_id IN (4, 5)`) // the engine's batch
	must(t, subs.Stop(ctx, 1))

	check := func(scope string, active, stopped, blocked int64) broadcast.Summary {
		t.Helper()
		s, err := subs.Summary(ctx, region.Code(scope), 30)
		if err != nil {
			t.Fatal(err)
		}
		if s.Active != active || s.Stopped != stopped || s.Blocked != blocked {
			t.Errorf("%q: %d/%d/%d active/stopped/blocked, want %d/%d/%d", scope, s.Active, s.Stopped, s.Blocked, active, stopped, blocked)
		}
		var counted struct{ Active, Stopped, Blocked int64 }
		must(t, db.QueryRow(`SELECT count(*) FILTER (WHERE status = 'active'), count(*) FILTER (WHERE status = 'stopped'),
count(*) FILTER (WHERE status = 'blocked') FROM subscribers WHERE village_code = $1 OR village_code LIKE $2`,
			scope, region.Code(scope).LikePattern()).Scan(&counted.Active, &counted.Stopped, &counted.Blocked))
		if counted.Active != s.Active || counted.Stopped != s.Stopped || counted.Blocked != s.Blocked {
			t.Errorf("%q: counters %d/%d/%d disagree with the table %+v", scope, s.Active, s.Stopped, s.Blocked, counted)
		}
		return s
	}
	city := check("35.73", 0, 1, 3)
	check("35.73.05.1002", 0, 0, 1)
	check("35.07", 1, 0, 0)
	all := check("", 1, 1, 3)
	if len(city.Daily) != 30 || city.Daily[29].Count != 0 || city.Daily[28].Count != 0 {
		t.Errorf("city growth %+v: nobody was active yesterday or is today", city.Daily[28:])
	}
	if all.Daily[29].Count != 1 || all.Daily[28].Count != 0 {
		t.Errorf("growth %+v: one active today, none yesterday", all.Daily[28:])
	}
	if _, err := subs.Summary(ctx, "35.73", 0); err == nil {
		t.Error("a summary of 0 days was accepted")
	}
}
