package broadcast_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/staff"
)

func TestSchedules_PauseResumeCron(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	wib := mustZone(t, "WIB")
	sc := e.create(t, opMalang, textDraft("Senin", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1", Zone: wib}, "35.73.05"))

	steps := []struct {
		name   string
		op     func(context.Context, staff.Actor, int64) (broadcast.Schedule, error)
		status broadcast.ScheduleStatus
		err    error
	}{
		{"pause", e.schedules.Pause, broadcast.SchedulePaused, nil},
		{"pause again", e.schedules.Pause, "", broadcast.ErrScheduleState},
		{"resume", e.schedules.Resume, broadcast.ScheduleActive, nil},
		{"resume again", e.schedules.Resume, "", broadcast.ErrScheduleState},
		{"cancel", e.schedules.Cancel, broadcast.ScheduleCancelled, nil},
		{"cancel again", e.schedules.Cancel, "", broadcast.ErrScheduleState},
		{"resume cancelled", e.schedules.Resume, "", broadcast.ErrScheduleState},
		{"pause cancelled", e.schedules.Pause, "", broadcast.ErrScheduleState},
	}
	for _, s := range steps {
		got, err := s.op(ctx, opMalang, sc.ID)
		if !errors.Is(err, s.err) || (s.err == nil && got.Status != s.status) {
			t.Fatalf("%s: status %s, err %v; want %s, %v", s.name, got.Status, err, s.status, s.err)
		}
	}
	if got, _ := e.schedules.Get(ctx, opMalang, sc.ID); got.NextRunAt != nil {
		t.Fatalf("cancelled schedule still has next run %v", got.NextRunAt)
	}
}

func TestSchedules_ResumeSkipsFiresMissedWhilePaused(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	wib := mustZone(t, "WIB")
	sc := e.create(t, staff.Admin(), textDraft("Senin", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1", Zone: wib}, "35.73"))
	if _, err := e.schedules.Pause(ctx, staff.Admin(), sc.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, wib)) // a Wednesday, two Mondays later
	if n := e.tick(t); n != 0 {
		t.Fatalf("a paused schedule fired %d", n)
	}
	got, err := e.schedules.Resume(ctx, staff.Admin(), sc.ID)
	if want := time.Date(2026, 12, 7, 8, 0, 0, 0, wib); err != nil || !got.NextRunAt.Equal(want) {
		t.Fatalf("resumed next = %v, %v; want %s", got.NextRunAt, err, want)
	}
	if n := e.tick(t); n != 0 {
		t.Fatalf("resume made up %d missed fires", n)
	}
}

func TestSchedules_PauseResumeCancelRun(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	e.subscribeRange(t, "35.73.05", 1, 30, "active")
	sc := e.create(t, opMalang, textDraft("Sekarang", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05"))
	e.tick(t)
	runStatus := func() broadcast.RunStatus {
		r, err := e.schedules.Runs(ctx, opMalang, sc.ID, 1)
		if err != nil || len(r) != 1 {
			t.Fatalf("runs: %v %v", r, err)
		}
		return r[0].Status
	}
	// The schedule has finished firing; pausing it pauses the run still sending.
	if _, err := e.schedules.Pause(ctx, opMalang, sc.ID); err != nil || runStatus() != broadcast.RunPaused {
		t.Fatalf("pause: %v, run %s", err, runStatus())
	}
	if got, _ := e.schedules.Get(ctx, opMalang, sc.ID); got.Status != broadcast.ScheduleFinished {
		t.Fatalf("schedule %s, want still finished", got.Status)
	}
	if _, err := e.schedules.Resume(ctx, opMalang, sc.ID); err != nil || runStatus() != broadcast.RunSending {
		t.Fatalf("resume: %v, run %s", err, runStatus())
	}
	if _, err := e.db.Exec(`UPDATE deliveries SET status = 'sent' WHERE chat_id <= 10`); err != nil {
		t.Fatal(err)
	}
	got, err := e.schedules.Cancel(ctx, opMalang, sc.ID)
	if err != nil || got.Status != broadcast.ScheduleCancelled || runStatus() != broadcast.RunCancelled {
		t.Fatalf("cancel: %v, schedule %s, run %s", err, got.Status, runStatus())
	}
	r, _ := e.schedules.Runs(ctx, opMalang, sc.ID, 1)
	if r[0].Sent != 10 || r[0].Cancelled != 20 || r[0].Pending != 0 || r[0].FinishedAt == nil {
		t.Fatalf("report after cancel = %+v, want 10 sent, 20 cancelled", r[0])
	}
}
