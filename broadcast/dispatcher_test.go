package broadcast_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// subscribeRange inserts n subscribers with chat ids from first, spread over
// the villages of district, all with status.
func (e *schedEnv) subscribeRange(t testing.TB, district string, first int64, n int, status string) {
	t.Helper()
	const q = `
INSERT INTO subscribers (chat_id, village_code, status)
SELECT $1 + i, v.codes[1 + i % cardinality(v.codes)], $4
FROM generate_series(0, $3 - 1) AS i,
     (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 4 AND code LIKE $2 || '.%') AS v`
	if _, err := e.db.Exec(q, first, district, n, status); err != nil {
		t.Fatalf("seeding subscribers: %v", err)
	}
}

func (e *schedEnv) runIDs(t testing.TB, scheduleID int64) []int64 {
	t.Helper()
	var ids []int64
	if err := e.db.Select(&ids, `SELECT id FROM runs WHERE schedule_id = $1 ORDER BY fire_at`, scheduleID); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestDispatcher_TargetsExactly(t *testing.T) {
	e := newSchedEnv(t)
	// 2,000 active subscribers over Blimbing, Klojen and Lowokwaru...
	e.subscribeRange(t, "35.73.01", 1_000_000, 700, "active")
	e.subscribeRange(t, "35.73.02", 2_000_000, 600, "active")
	e.subscribeRange(t, "35.73.05", 3_000_000, 700, "active")
	// ...and residents who must not get it: Sukun, and the ones who left.
	e.subscribeRange(t, "35.73.04", 4_000_000, 300, "active")
	e.subscribeRange(t, "35.73.05", 5_000_000, 50, "stopped")
	e.subscribeRange(t, "35.73.01", 6_000_000, 50, "blocked")
	sc := e.create(t, opMalang, textDraft("Siaran TV analog berhenti", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.01", "35.73.02", "35.73.05"))
	if n := e.tick(t); n != 1 {
		t.Fatalf("fired %d, want 1", n)
	}
	runs := e.runIDs(t, sc.ID)
	if len(runs) != 1 {
		t.Fatalf("runs = %v", runs)
	}
	var want, got []int64
	if err := e.db.Select(&want, `SELECT chat_id FROM subscribers WHERE status = 'active'
AND (village_code LIKE '35.73.01.%' OR village_code LIKE '35.73.02.%' OR village_code LIKE '35.73.05.%') ORDER BY chat_id`); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Select(&got, `SELECT chat_id FROM deliveries WHERE run_id = $1 AND status = 'pending' ORDER BY chat_id`, runs[0]); err != nil {
		t.Fatal(err)
	}
	if len(want) != 2000 || !slices.Equal(got, want) {
		t.Fatalf("run has %d deliveries, want exactly the %d active subscribers of the three districts", len(got), len(want))
	}
	reports, err := e.schedules.Runs(context.Background(), opMalang, sc.ID, 10)
	if err != nil || len(reports) != 1 || reports[0].Targeted != 2000 || reports[0].Pending != 2000 || reports[0].Status != broadcast.RunSending {
		t.Fatalf("report = %+v, %v", reports, err)
	}
	if s, _ := e.schedules.Get(context.Background(), opMalang, sc.ID); s.Status != broadcast.ScheduleFinished || s.NextRunAt != nil {
		t.Fatalf("a fired 'now' schedule is %s next %v, want finished", s.Status, s.NextRunAt)
	}
}

func TestDispatcher_NoSubscribersRunIsDone(t *testing.T) {
	e := newSchedEnv(t)
	sc := e.create(t, staff.Admin(), textDraft("Halo", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.03"))
	e.tick(t)
	reports, err := e.schedules.Runs(context.Background(), staff.Admin(), sc.ID, 10)
	if err != nil || len(reports) != 1 || reports[0].Status != broadcast.RunDone || reports[0].Targeted != 0 || reports[0].FinishedAt == nil {
		t.Fatalf("report = %+v, %v; want one done run with 0 targeted", reports, err)
	}
}

func TestDispatcher_CronInZoneWithEndDate(t *testing.T) {
	e := newSchedEnv(t)
	wit := mustZone(t, "Asia/Jayapura")
	// 23:00 WIT daily is 14:00 UTC; ends on the 24th local, so fires on the 22nd, 23rd, 24th.
	until := time.Date(2026, 11, 24, 23, 59, 59, 0, wit)
	sc := e.create(t, staff.Admin(), textDraft("Malam", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 23 * * *", Zone: wit, Until: &until}, "35.73"))
	if want := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC); !sc.NextRunAt.Equal(want) {
		t.Fatalf("first fire %s, want %s", sc.NextRunAt.UTC(), want)
	}
	if n := e.tick(t); n != 0 {
		t.Fatalf("fired %d before it was due", n)
	}
	for day := 0; day < 5; day++ {
		e.clock.Set(time.Date(2026, 11, 22+day, 14, 0, 0, 0, time.UTC))
		e.tick(t)
		e.clock.Advance(time.Minute)
		if n := e.tick(t); n != 0 {
			t.Fatalf("day %d: fired again a minute later", day)
		}
	}
	var fires []time.Time
	if err := e.db.Select(&fires, `SELECT fire_at FROM runs WHERE schedule_id = $1 ORDER BY fire_at`, sc.ID); err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC),
	}
	if !slices.EqualFunc(fires, want, time.Time.Equal) {
		t.Fatalf("fires = %v, want %v", fires, want)
	}
	if s, _ := e.schedules.Get(context.Background(), staff.Admin(), sc.ID); s.Status != broadcast.ScheduleFinished || s.NextRunAt != nil {
		t.Fatalf("after its end date the schedule is %s (next %v), want finished", s.Status, s.NextRunAt)
	}
}

func TestDispatcher_Weekly(t *testing.T) {
	e := newSchedEnv(t)
	wib := mustZone(t, "WIB")
	sc := e.create(t, staff.Admin(), textDraft("Minggu", broadcast.Timing{Kind: broadcast.KindCron, Cron: "@weekly", Zone: wib}, "35.73"))
	for week := 0; week < 3; week++ {
		e.clock.Set(sc.NextRunAt.Add(time.Duration(week) * 7 * 24 * time.Hour).Add(time.Second))
		if n := e.tick(t); n != 1 {
			t.Fatalf("week %d: fired %d, want 1", week, n)
		}
	}
	got, _ := e.schedules.Get(context.Background(), staff.Admin(), sc.ID)
	// Fired 29 Nov, 6 and 13 Dec; next Sunday 20 December 2026 00:00 WIB.
	if want := time.Date(2026, 12, 20, 0, 0, 0, 0, wib); !got.NextRunAt.Equal(want) {
		t.Fatalf("next = %s, want %s", got.NextRunAt.In(wib), want)
	}
}

func TestDispatcher_TwoDispatchersFireOnce(t *testing.T) {
	e := newSchedEnv(t)
	e.subscribeRange(t, "35.73.05", 1, 200, "active")
	other := newSchedEnvOn(e)
	at := schedStart.Add(time.Hour)
	var ids []int64
	for i := 0; i < 5; i++ {
		sc := e.create(t, staff.Admin(), textDraft("Sekali", broadcast.Timing{Kind: broadcast.KindOnce, At: at, Zone: mustZone(t, "WIB")}, "35.73.05"))
		ids = append(ids, sc.ID)
	}
	e.clock.Set(at)
	var wg sync.WaitGroup
	fired := make([]int, 2)
	errs := make([]error, 2)
	for i, d := range []*broadcast.Dispatcher{e.disp, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				n, err := d.Tick(context.Background())
				fired[i] += n
				errs[i] = errors.Join(errs[i], err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if fired[0]+fired[1] != 5 {
		t.Fatalf("dispatchers fired %v, want 5 in total", fired)
	}
	for _, id := range ids {
		if runs := e.runIDs(t, id); len(runs) != 1 {
			t.Fatalf("schedule %d has %d runs, want 1", id, len(runs))
		}
	}
	if n := e.count(t, `SELECT count(*) FROM deliveries`); n != 5*200 {
		t.Fatalf("%d deliveries, want %d", n, 5*200)
	}
}

// newSchedEnvOn is a second replica's dispatcher on e's database and clock.
func newSchedEnvOn(e *schedEnv) *broadcast.Dispatcher {
	d := *e.disp
	return &d
}

func TestDispatcher_MissedFirePolicy(t *testing.T) {
	e := newSchedEnv(t)
	wib := mustZone(t, "WIB")
	at8 := func(day int) time.Time { return time.Date(2026, 11, day, 8, 0, 0, 0, wib) }
	daily := e.create(t, staff.Admin(), textDraft("Harian", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * *", Zone: wib}, "35.73"))
	once := e.create(t, staff.Admin(), textDraft("Sekali", broadcast.Timing{Kind: broadcast.KindOnce, At: at8(23), Zone: wib}, "35.73"))

	// Down from before 08:00 on the 23rd until 08:40: late by less than the grace, fires once.
	e.clock.Set(at8(23).Add(40 * time.Minute))
	if n := e.tick(t); n != 2 {
		t.Fatalf("40 minutes late: fired %d, want both", n)
	}
	// Down from the 24th 07:00 until the 27th 08:30: the 24th-26th are skipped; the 27th is 30 min late and goes out.
	e.clock.Set(at8(27).Add(30 * time.Minute))
	if n := e.tick(t); n != 1 {
		t.Fatalf("after three days down: fired %d, want only the latest fire", n)
	}
	// Down until the 28th 10:00: two hours late, skipped; continues on the 29th.
	e.clock.Set(at8(28).Add(2 * time.Hour))
	if n := e.tick(t); n != 0 {
		t.Fatalf("two hours late: fired %d, want 0", n)
	}
	var fires []time.Time
	if err := e.db.Select(&fires, `SELECT fire_at FROM runs WHERE schedule_id = $1 ORDER BY fire_at`, daily.ID); err != nil {
		t.Fatal(err)
	}
	if want := []time.Time{at8(23), at8(27)}; !slices.EqualFunc(fires, want, time.Time.Equal) {
		t.Fatalf("daily fired at %v, want %v", fires, want)
	}
	if got, _ := e.schedules.Get(context.Background(), staff.Admin(), daily.ID); !got.NextRunAt.Equal(at8(29)) {
		t.Fatalf("daily next = %v, want %s", got.NextRunAt, at8(29))
	}
	if got := e.runIDs(t, once.ID); len(got) != 1 {
		t.Fatalf("once runs = %v", got)
	}

	// A one-off missed by more than the grace finishes without a run; a "now" always goes out.
	late := e.create(t, staff.Admin(), textDraft("Terlambat", broadcast.Timing{Kind: broadcast.KindOnce, At: e.clock.Now().Add(time.Minute), Zone: wib}, "35.73"))
	now := e.create(t, staff.Admin(), textDraft("Sekarang", broadcast.Timing{Kind: broadcast.KindNow}, "35.73"))
	e.clock.Advance(3 * time.Hour)
	if n := e.tick(t); n != 1 {
		t.Fatalf("fired %d, want only the 'now' schedule", n)
	}
	if got := e.runIDs(t, now.ID); len(got) != 1 {
		t.Fatalf("now schedule runs = %v", got)
	}
	got, _ := e.schedules.Get(context.Background(), staff.Admin(), late.ID)
	if runs := e.runIDs(t, late.ID); len(runs) != 0 || got.Status != broadcast.ScheduleFinished {
		t.Fatalf("missed one-off: runs %v status %s, want none and finished", runs, got.Status)
	}
}

func TestDispatcher_GraceIsConfigurable(t *testing.T) {
	e := newSchedEnv(t)
	e.disp.Grace = 10 * time.Minute
	sc := e.create(t, staff.Admin(), textDraft("x", broadcast.Timing{Kind: broadcast.KindOnce, At: schedStart.Add(time.Hour), Zone: mustZone(t, "WIB")}, "35.73"))
	e.clock.Set(schedStart.Add(time.Hour + 11*time.Minute))
	if n := e.tick(t); n != 0 || len(e.runIDs(t, sc.ID)) != 0 {
		t.Fatalf("fired %d 11 minutes late with a 10-minute grace", n)
	}
}

func TestDispatcher_Run(t *testing.T) {
	e := newSchedEnv(t)
	e.disp.Interval = 10 * time.Millisecond
	sc := e.create(t, staff.Admin(), textDraft("x", broadcast.Timing{Kind: broadcast.KindNow}, region.Code("35.73")))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.disp.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(e.runIDs(t, sc.ID)) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(e.runIDs(t, sc.ID)) != 1 {
		t.Fatal("Run never fired the due schedule")
	}
}
