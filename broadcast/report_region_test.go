package broadcast_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// reportedRun is a Kota Malang run of 10 deliveries in two kecamatan: 4
// sent, 2 failed, 1 blocked, 1 cancelled by its resident erasing their
// data (chat 102), 2 pending (chats 6 and 103).
func reportedRun(t *testing.T) (e *schedEnv, sc broadcast.Schedule, runID int64, exec func(string, ...any)) {
	t.Helper()
	e = newSchedEnv(t)
	e.subscribeRange(t, "35.73.02", 1, 6, "active")
	e.subscribeRange(t, "35.73.05", 100, 4, "active")
	sc = e.create(t, staff.Admin(), textDraft("x", broadcast.Timing{Kind: broadcast.KindNow}, "35.73"))
	e.tick(t)
	runID = e.runIDs(t, sc.ID)[0]
	exec = func(q string, args ...any) {
		t.Helper()
		if _, err := e.db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE deliveries SET status = 'sent' WHERE chat_id BETWEEN 1 AND 4`)
	exec(`UPDATE deliveries SET status = 'failed', last_error = 'Bad Request: chat not found' WHERE chat_id IN (5, 100)`)
	exec(`UPDATE deliveries SET status = 'blocked', last_error = 'Forbidden: bot was blocked by the user' WHERE chat_id = 101`)
	if err := broadcast.NewSubscribers(e.db, e.clock).Erase(context.Background(), 102); err != nil {
		t.Fatal(err)
	}
	return e, sc, runID, exec
}

// A run's counts per kecamatan and per village add up to the run; a
// resident who erased their data counts under the unknown region; the
// failure reasons come most frequent first.
func TestSchedules_RunByRegion(t *testing.T) {
	e, sc, runID, _ := reportedRun(t)
	ctx := context.Background()

	districts, err := e.schedules.RunByRegion(ctx, opMalang, sc.ID, runID, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []broadcast.RegionCounts{
		{Region: "35.73.02", Targeted: 6, Sent: 4, Failed: 1, Pending: 1},
		{Region: "35.73.05", Targeted: 3, Failed: 1, Blocked: 1, Pending: 1},
		{Region: "", Targeted: 1, Cancelled: 1}, // erasing cancels what was still to send
	}
	if len(districts) != len(want) {
		t.Fatalf("per kecamatan = %+v", districts)
	}
	for i := range want {
		if districts[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, districts[i], want[i])
		}
	}
	villages, err := e.schedules.RunByRegion(ctx, opMalang, sc.ID, runID, true)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, v := range villages {
		if v.Region != "" && v.Region.Level() != region.Village {
			t.Errorf("per village row %q is not a village", v.Region)
		}
		total += v.Targeted
	}
	if total != 10 {
		t.Errorf("villages add up to %d, want 10", total)
	}
	reasons, err := e.schedules.RunFailures(ctx, opMalang, sc.ID, runID, 5)
	if err != nil || len(reasons) != 2 || reasons[0] != (broadcast.FailureReason{Reason: "Bad Request: chat not found", Count: 2}) {
		t.Fatalf("reasons = %+v, %v", reasons, err)
	}
	rep, err := e.schedules.Run(ctx, opMalang, sc.ID, runID)
	if err != nil || rep.Targeted != 10 || rep.Sent != 4 || rep.Pending != 2 || rep.Cancelled != 1 {
		t.Fatalf("Run = %+v, %v", rep, err)
	}
}

// Another regency's operator, and a run id of another schedule, get
// ErrNotFound from every run report.
func TestSchedules_RunReportsScope(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	e.subscribeRange(t, "35.73.02", 1, 3, "active")
	a := e.create(t, opMalang, textDraft("a", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.02"))
	b := e.create(t, opMalang, textDraft("b", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.02"))
	e.tick(t)
	runA := e.runIDs(t, a.ID)[0]
	if _, err := e.schedules.Run(ctx, opKabMalang, a.ID, runA); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("Run by another regency: %v", err)
	}
	if _, err := e.schedules.RunByRegion(ctx, opKabMalang, a.ID, runA, false); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("RunByRegion by another regency: %v", err)
	}
	if _, err := e.schedules.RunFailures(ctx, opKabMalang, a.ID, runA, 3); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("RunFailures by another regency: %v", err)
	}
	if _, err := e.schedules.Run(ctx, opMalang, b.ID, runA); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("a run under another schedule's id: %v", err)
	}
	if rows, err := e.schedules.RunByRegion(ctx, opMalang, b.ID, runA, false); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("RunByRegion of a run under another schedule's id: %v, %v", rows, err)
	}
	if rows, err := e.schedules.RunFailures(ctx, opMalang, b.ID, runA, 3); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("RunFailures of a run under another schedule's id: %v, %v", rows, err)
	}
}

// Subscribers per village: every village in scope (zeros too), counts
// by status, nothing outside the scope; the .xlsx holds numeric cells.
func TestSubscribers_ByVillage(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	e.subscribeRange(t, "35.73.05", 1, 24, "active")
	e.subscribeRange(t, "35.73.05", 100, 3, "stopped")
	e.subscribeRange(t, "35.73.05", 200, 2, "blocked")
	e.subscribeRange(t, "35.07.01", 300, 5, "active")
	subs := broadcast.NewSubscribers(e.db, e.clock)
	var rows []broadcast.VillageCounts
	collect := func(v broadcast.VillageCounts) error { rows = append(rows, v); return nil }
	if err := subs.SubscribersByVillage(ctx, opMalang, "35.73.05", collect); err != nil {
		t.Fatal(err)
	}
	active, stopped, blocked := 0, 0, 0
	for _, r := range rows {
		if !region.Code("35.73.05").Contains(r.Code) || r.District == "" || r.Village == "" {
			t.Errorf("row %+v", r)
		}
		active, stopped, blocked = active+r.Active, stopped+r.Stopped, blocked+r.Blocked
	}
	if active != 24 || stopped != 3 || blocked != 2 || len(rows) < 12 {
		t.Errorf("%d villages: %d active, %d stopped, %d blocked", len(rows), active, stopped, blocked)
	}
	if err := subs.SubscribersByVillage(ctx, opMalang, "35.07", collect); !errors.Is(err, broadcast.ErrForbidden) {
		t.Errorf("another regency: %v", err)
	}
	if err := subs.SubscribersByVillage(ctx, staff.Actor{}, "", collect); !errors.Is(err, broadcast.ErrForbidden) {
		t.Errorf("a resident: %v", err)
	}

	var buf bytes.Buffer
	if err := subs.WriteVillagesXLSX(ctx, opMalang, "35.73.05", mustZone(t, "WIB"), &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheetName := f.GetSheetName(0)
	got, _ := f.GetRows(sheetName)
	if len(got) != len(rows)+1 || got[0][3] != "aktif" || got[1][0] != string(rows[0].Code) {
		t.Fatalf("sheet rows = %v", got[:2])
	}
	if typ, _ := f.GetCellType(sheetName, "D2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("D2 is %v, want a number", typ)
	}
}

// A finished run's report is read from its summary, counted once when
// nothing of it is left in flight, and says exactly what counting its
// deliveries said; a run with deliveries still queued is not summarised.
func TestSummarizeFinished_SameReportAsCounting(t *testing.T) {
	e, sc, runID, exec := reportedRun(t)
	ctx := context.Background()
	exec(`UPDATE runs SET status = 'done' WHERE id = $1`, runID) // chats 6 and 103 are still pending
	if did, err := broadcast.SummarizeFinished(ctx, e.db, e.clock.Now()); did || err != nil {
		t.Fatalf("summarised a run with deliveries left: %v %v", did, err)
	}
	exec(`UPDATE deliveries SET status = 'uncertain', last_error = 'timeout' WHERE chat_id IN (6, 103)`)

	type report struct {
		run       broadcast.RunReport
		districts []broadcast.RegionCounts
		villages  []broadcast.RegionCounts
		failures  []broadcast.FailureReason
		list      []broadcast.RunReport
	}
	read := func() report {
		t.Helper()
		var r report
		var err error
		if r.run, err = e.schedules.Run(ctx, opMalang, sc.ID, runID); err != nil {
			t.Fatal(err)
		}
		if r.districts, err = e.schedules.RunByRegion(ctx, opMalang, sc.ID, runID, false); err != nil {
			t.Fatal(err)
		}
		if r.villages, err = e.schedules.RunByRegion(ctx, opMalang, sc.ID, runID, true); err != nil {
			t.Fatal(err)
		}
		if r.failures, err = e.schedules.RunFailures(ctx, opMalang, sc.ID, runID, 5); err != nil {
			t.Fatal(err)
		}
		if r.list, err = e.schedules.Runs(ctx, opMalang, sc.ID, 10); err != nil {
			t.Fatal(err)
		}
		return r
	}
	counted := read()
	if did, err := broadcast.SummarizeFinished(ctx, e.db, e.clock.Now()); !did || err != nil {
		t.Fatalf("a finished run was not summarised: %v %v", did, err)
	}
	if did, _ := broadcast.SummarizeFinished(ctx, e.db, e.clock.Now()); did {
		t.Fatal("a run was summarised twice")
	}
	exec(`DELETE FROM deliveries WHERE run_id = $1`, runID) // from now on only the summary can answer
	summarized := read()
	if !reflect.DeepEqual(counted, summarized) {
		t.Fatalf("counted:\n%+v\nsummarised:\n%+v", counted, summarized)
	}
	if counted.run.Sent != 4 || counted.run.Uncertain != 2 || len(counted.failures) != 3 || len(counted.districts) != 3 {
		t.Fatalf("report %+v: not the run this test made", counted)
	}
}
