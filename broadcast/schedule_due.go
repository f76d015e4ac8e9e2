package broadcast

import (
	"context"
	"fmt"
	"time"

	"github.com/kimbot/kimbot/staff"
)

const sqlDue = scheduleSelect + `
WHERE ` + inScope + ` AND s.status = 'active' AND s.next_run_at < $3
ORDER BY s.next_run_at, s.id LIMIT $4`

// Due lists the active schedules by may see whose next fire comes before
// before, soonest first, at most limit (the console's "due today" and
// "this week").
func (s *Schedules) Due(ctx context.Context, by staff.Actor, before time.Time, limit int) ([]Schedule, error) {
	if !by.IsOperator() {
		return nil, ErrForbidden
	}
	var rows []scheduleRow
	if err := s.db.SelectContext(ctx, &rows, sqlDue, string(by.Scope), by.Scope.LikePattern(), before, limit); err != nil {
		return nil, fmt.Errorf("listing due schedules: %w", err)
	}
	return schedulesOf(rows)
}

// Progress is a run in progress: how many of its deliveries are left.
type Progress struct {
	RunID      int64      `db:"id"`
	ScheduleID int64      `db:"schedule_id"`
	Status     RunStatus  `db:"status"`
	Urgent     bool       `db:"urgent"`
	Targeted   int        `db:"targeted"`
	Left       int        `db:"left_"`
	StartedAt  *time.Time `db:"started_at"`
}

// Done is how many deliveries have an outcome.
func (p Progress) Done() int { return p.Targeted - p.Left }

// sqlInProgress counts what is left of each unfinished run through the
// due index (only queued and in-flight rows are in it), so a run of a
// million costs what remains of it, not a million.
const sqlInProgress = `
SELECT r.id, r.schedule_id, r.status, r.urgent, r.targeted, r.started_at,
  (SELECT count(*) FROM deliveries d WHERE d.run_id = r.id AND d.status IN ('pending', 'sending')) AS left_
FROM runs r JOIN schedules s ON s.id = r.schedule_id
WHERE r.status IN ('sending', 'paused') AND ` + inScope + `
ORDER BY r.id DESC LIMIT $3`

// InProgress lists the unfinished runs (sending or paused) by may see,
// newest first, at most limit, with what is left of each.
func (s *Schedules) InProgress(ctx context.Context, by staff.Actor, limit int) ([]Progress, error) {
	if !by.IsOperator() {
		return nil, ErrForbidden
	}
	var out []Progress
	if err := s.db.SelectContext(ctx, &out, sqlInProgress, string(by.Scope), by.Scope.LikePattern(), limit); err != nil {
		return nil, fmt.Errorf("listing runs in progress: %w", err)
	}
	return out, nil
}
