package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/message"
)

// DefaultGrace is how late a fire may be and still go out.
const DefaultGrace = time.Hour

// maxFiresPerTick bounds one Tick so that a backlog cannot starve the loop.
const maxFiresPerTick = 100

// Dispatcher turns due schedules into runs.
//
// Each due schedule is claimed in a transaction of its own with FOR UPDATE
// SKIP LOCKED; in that transaction the run is created (unique on schedule
// and fire time, so two replicas can never fire the same time twice), one
// delivery row per active subscriber of the targets is materialised with a
// single INSERT … SELECT, and next_run_at is advanced. A crash anywhere
// rolls all of it back and the next tick tries again.
//
// Missed fires (the service was down, or the database unreachable): only
// the latest fire that fell due during the outage can still go out, and
// only if it is late by at most Grace (default 1 hour); it goes out once,
// with its original fire time. Earlier missed fires are skipped, never sent
// in a burst, and logged ("missed_fire" with the schedule id and count). A
// fire later than Grace is skipped and logged too. A cron schedule then
// continues at its next fire after now; a one-off ("once") schedule whose
// fire was skipped ends as finished without a run. "now" schedules always
// go out, however late. No fire happens after a schedule's end date; the
// schedule finishes. A paused cron schedule, when resumed, continues at
// its next fire after the resume (fires while paused are not made up); a
// paused one-off whose time passed fires at the resume.
type Dispatcher struct {
	db     *sqlx.DB
	clock  message.Clock
	logger *slog.Logger
	// Grace is how late a fire may be and still go out.
	Grace time.Duration
	// Interval is how often Run ticks (default 1 s).
	Interval time.Duration
}

// NewDispatcher returns a Dispatcher with the default grace period. A nil
// logger discards.
func NewDispatcher(db *sqlx.DB, clock message.Clock, logger *slog.Logger) *Dispatcher {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{db: db, clock: clock, logger: logger, Grace: DefaultGrace, Interval: time.Second}
}

// Run ticks every Interval until ctx ends. Errors are logged and retried
// on the next tick.
func (d *Dispatcher) Run(ctx context.Context) error {
	t := time.NewTicker(d.Interval)
	defer t.Stop()
	for {
		if _, err := d.Tick(ctx); err != nil && ctx.Err() == nil {
			d.logger.Error("dispatcher tick failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Tick fires every schedule due at the clock's now (up to a bound) and
// returns how many runs it created.
func (d *Dispatcher) Tick(ctx context.Context) (fired int, err error) {
	for i := 0; i < maxFiresPerTick; i++ {
		did, ok, err := d.dispatchOne(ctx)
		if err != nil || !ok {
			return fired, err
		}
		if did {
			fired++
		}
	}
	return fired, nil
}

const sqlClaimDue = scheduleSelect + `
WHERE s.status = 'active' AND s.next_run_at <= $1
ORDER BY s.next_run_at, s.id
LIMIT 1
FOR UPDATE OF s SKIP LOCKED`

// dispatchOne handles one due schedule. ok is false when none is due;
// fired says whether it created a run.
func (d *Dispatcher) dispatchOne(ctx context.Context) (fired, ok bool, err error) {
	now := d.clock.Now().Truncate(time.Microsecond)
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return false, false, fmt.Errorf("beginning dispatch: %w", err)
	}
	defer tx.Rollback()
	var row scheduleRow
	err = tx.GetContext(ctx, &row, sqlClaimDue, now)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("claiming due schedule: %w", err)
	}
	sc, err := row.schedule()
	if err != nil {
		return false, false, err
	}
	fired, err = d.fire(ctx, tx, sc, now)
	if err != nil {
		return false, false, err
	}
	if err := advance(ctx, tx, sc, now); err != nil {
		return false, false, err
	}
	if err := tx.Commit(); err != nil {
		return false, false, fmt.Errorf("committing dispatch: %w", err)
	}
	return fired, true, nil
}

// fire creates the run of sc's latest due fire unless it is too late.
func (d *Dispatcher) fire(ctx context.Context, tx *sqlx.Tx, sc Schedule, now time.Time) (bool, error) {
	fireAt, skipped := latestDue(sc, now)
	late := now.Sub(fireAt)
	if skipped > 0 {
		d.logger.Warn("missed_fire", "schedule_id", sc.ID, "skipped", skipped, "first_missed", *sc.NextRunAt)
	}
	if sc.Kind != KindNow && late > d.Grace {
		d.logger.Warn("missed_fire", "schedule_id", sc.ID, "skipped", 1, "fire_at", fireAt, "late_s", int(late.Seconds()))
		return false, nil
	}
	runID, created, err := createRun(ctx, tx, sc, fireAt, now)
	if err != nil || !created {
		return false, err
	}
	d.logger.Info("run created", "schedule_id", sc.ID, "run_id", runID, "fire_at", fireAt, "late_s", int(late.Seconds()))
	return true, nil
}

// maxCatchUp bounds the walk over missed cron fires (a year of hourly fires).
const maxCatchUp = 10000

// latestDue is the latest fire of sc at or before now, and how many earlier
// due fires it passes over (cron only: after an outage only the latest
// missed fire can go out).
func latestDue(sc Schedule, now time.Time) (time.Time, int) {
	due := *sc.NextRunAt
	if sc.Kind != KindCron {
		return due, 0
	}
	sched, err := parseSpec(sc.CronSpec, sc.Zone)
	if err != nil {
		return due, 0
	}
	skipped := 0
	for i := 0; i < maxCatchUp; i++ {
		n := sched.Next(due.In(sc.Zone)).Truncate(time.Microsecond)
		if n.IsZero() || n.After(now) || (sc.EndAt != nil && n.After(*sc.EndAt)) {
			break
		}
		due, skipped = n, skipped+1
	}
	return due, skipped
}

const sqlInsertRun = `
INSERT INTO runs (schedule_id, fire_at, status, urgent, created_at, started_at)
VALUES ($1, $2, 'sending', $3, $4, $4)
ON CONFLICT (schedule_id, fire_at) DO NOTHING
RETURNING id`

const sqlSetTargeted = `
UPDATE runs SET targeted = $2,
  status = CASE WHEN $2 = 0 THEN 'done' ELSE status END,
  finished_at = CASE WHEN $2 = 0 THEN $3::timestamptz END
WHERE id = $1`

// createRun inserts the run and its deliveries; created is false when the
// run already exists (another dispatcher fired it).
func createRun(ctx context.Context, tx *sqlx.Tx, sc Schedule, fireAt, now time.Time) (int64, bool, error) {
	var runID int64
	err := tx.GetContext(ctx, &runID, sqlInsertRun, sc.ID, fireAt, sc.Urgent, now)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("inserting run: %w", err)
	}
	n, err := materializeDeliveries(ctx, tx, runID, sc.Targets, now)
	if err != nil {
		return 0, false, err
	}
	if _, err := tx.ExecContext(ctx, sqlSetTargeted, runID, n, now); err != nil {
		return 0, false, fmt.Errorf("setting run %d targeted: %w", runID, err)
	}
	return runID, true, nil
}

// advance moves sc's next_run_at to its next fire after now, or finishes it.
func advance(ctx context.Context, tx *sqlx.Tx, sc Schedule, now time.Time) error {
	var next *time.Time
	status := ScheduleFinished
	if sc.Kind == KindCron {
		if t, ok := nextCronFire(sc, now); ok {
			next, status = &t, ScheduleActive
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE schedules SET next_run_at = $2, status = $3, updated_at = $4 WHERE id = $1 AND status = 'active'`,
		sc.ID, next, string(status), now)
	if err != nil {
		return fmt.Errorf("advancing schedule %d: %w", sc.ID, err)
	}
	return nil
}
