package broadcast

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Pause stops schedule id from firing and pauses its runs still sending
// (the engine only serves 'sending' runs). It works on an active schedule,
// or on a finished one whose last run is still sending.
func (s *Schedules) Pause(ctx context.Context, by staff.Actor, id int64) (Schedule, error) {
	return s.transition(ctx, by, id, "jeda", func(tx *sqlx.Tx, sc Schedule, now time.Time) (bool, error) {
		a, err := execCount(ctx, tx, `UPDATE schedules SET status = 'paused', updated_at = $2 WHERE id = $1 AND status = 'active'`, id, now)
		if err != nil {
			return false, err
		}
		b, err := execCount(ctx, tx, `UPDATE runs SET status = 'paused' WHERE schedule_id = $1 AND status = 'sending'`, id)
		return a+b > 0, err
	})
}

// Resume undoes Pause. A cron schedule continues at its next fire after
// now (fires missed while paused are skipped); a one-off whose time passed
// while paused fires right away.
func (s *Schedules) Resume(ctx context.Context, by staff.Actor, id int64) (Schedule, error) {
	return s.transition(ctx, by, id, "lanjut", func(tx *sqlx.Tx, sc Schedule, now time.Time) (bool, error) {
		a := int64(0)
		if sc.Status == SchedulePaused {
			next, status := resumeNext(sc, now)
			var err error
			a, err = execCount(ctx, tx, `UPDATE schedules SET status = $2, next_run_at = $3, updated_at = $4 WHERE id = $1 AND status = 'paused'`,
				id, string(status), next, now)
			if err != nil {
				return false, err
			}
		}
		b, err := execCount(ctx, tx, `UPDATE runs SET status = 'sending' WHERE schedule_id = $1 AND status = 'paused'`, id)
		return a+b > 0, err
	})
}

func resumeNext(sc Schedule, now time.Time) (*time.Time, ScheduleStatus) {
	if sc.Kind != KindCron {
		next := now
		if sc.NextRunAt != nil && sc.NextRunAt.After(now) {
			next = *sc.NextRunAt
		}
		return &next, ScheduleActive
	}
	next, ok := nextCronFire(sc, now)
	if !ok {
		return nil, ScheduleFinished
	}
	return &next, ScheduleActive
}

// Cancel stops schedule id for good and cancels its unfinished runs and
// their pending deliveries.
func (s *Schedules) Cancel(ctx context.Context, by staff.Actor, id int64) (Schedule, error) {
	return s.transition(ctx, by, id, "batal", func(tx *sqlx.Tx, sc Schedule, now time.Time) (bool, error) {
		var runIDs []int64
		err := tx.SelectContext(ctx, &runIDs, `UPDATE runs SET status = 'cancelled', finished_at = $2
WHERE schedule_id = $1 AND status IN ('sending', 'paused') RETURNING id`, id, now)
		if err != nil {
			return false, fmt.Errorf("cancelling runs: %w", err)
		}
		if _, err := cancelPendingDeliveries(ctx, tx, runIDs...); err != nil {
			return false, err
		}
		a, err := execCount(ctx, tx, `UPDATE schedules SET status = 'cancelled', next_run_at = NULL, updated_at = $3
WHERE id = $1 AND (status IN ('active', 'paused') OR (status = 'finished' AND $2))`, id, len(runIDs) > 0, now)
		return a > 0 || len(runIDs) > 0, err
	})
}

// transition locks the schedule (if by may see it), lets change apply
// guarded updates, fails with ErrScheduleState when nothing changed, and
// records action in the audit log with the change.
func (s *Schedules) transition(ctx context.Context, by staff.Actor, id int64, action string,
	change func(tx *sqlx.Tx, sc Schedule, now time.Time) (bool, error)) (Schedule, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Schedule{}, fmt.Errorf("beginning transition: %w", err)
	}
	defer tx.Rollback()
	sc, err := getSchedule(ctx, tx, by, id, ` FOR UPDATE OF s`)
	if err != nil {
		return Schedule{}, err
	}
	now := s.now()
	changed, err := change(tx, sc, now)
	if err != nil {
		return Schedule{}, err
	}
	if !changed {
		return sc, ErrScheduleState
	}
	if err := audit.Write(ctx, tx, by.Audit(now, action, region.Common(sc.Targets), "siaran #"+strconv.FormatInt(id, 10))); err != nil {
		return Schedule{}, err
	}
	if err := tx.Commit(); err != nil {
		return Schedule{}, fmt.Errorf("committing transition: %w", err)
	}
	return s.Get(ctx, by, id)
}

func execCount(ctx context.Context, q sqlx.ExecerContext, query string, args ...any) (int64, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("updating status: %w", err)
	}
	return res.RowsAffected()
}

// nextCronFire is sc's next fire strictly after now, honouring its end.
func nextCronFire(sc Schedule, now time.Time) (time.Time, bool) {
	fires := sc.Timing().cronFires(1, now)
	if len(fires) == 0 {
		return time.Time{}, false
	}
	return fires[0], true
}
