package broadcast

import (
	"context"
	"fmt"
	"time"

	"github.com/kimbot/kimbot/staff"
)

// RunStatus is where a run stands.
type RunStatus string

// The run statuses.
const (
	RunSending   RunStatus = "sending"
	RunPaused    RunStatus = "paused"
	RunDone      RunStatus = "done"
	RunCancelled RunStatus = "cancelled"
)

// RunReport is how one run went: counts of its deliveries by outcome.
// Pending counts deliveries still queued or being sent.
type RunReport struct {
	RunID      int64      `db:"id"`
	ScheduleID int64      `db:"schedule_id"`
	FireAt     time.Time  `db:"fire_at"`
	Status     RunStatus  `db:"status"`
	Urgent     bool       `db:"urgent"`
	Targeted   int        `db:"targeted"`
	Sent       int        `db:"sent"`
	Failed     int        `db:"failed"`
	Blocked    int        `db:"blocked"`
	Uncertain  int        `db:"uncertain"`
	Pending    int        `db:"pending"`
	Cancelled  int        `db:"cancelled"`
	StartedAt  *time.Time `db:"started_at"`
	FinishedAt *time.Time `db:"finished_at"`
}

// Duration is how long the run took, or has taken so far at now.
func (r RunReport) Duration(now time.Time) time.Duration {
	if r.StartedAt == nil {
		return 0
	}
	end := now
	if r.FinishedAt != nil {
		end = *r.FinishedAt
	}
	return end.Sub(*r.StartedAt)
}

// deliveryCounts counts a run's deliveries (alias d) by outcome.
const deliveryCounts = `
  count(d.chat_id) FILTER (WHERE d.status = 'sent') AS sent,
  count(d.chat_id) FILTER (WHERE d.status = 'failed') AS failed,
  count(d.chat_id) FILTER (WHERE d.status = 'blocked') AS blocked,
  count(d.chat_id) FILTER (WHERE d.status = 'uncertain') AS uncertain,
  count(d.chat_id) FILTER (WHERE d.status IN ('pending', 'sending')) AS pending,
  count(d.chat_id) FILTER (WHERE d.status = 'cancelled') AS cancelled`

// runCounts reads run r's counts: from its summary once it has one
// (summary.go), else by counting its deliveries, which the lateral join
// does only for runs without a summary.
const runCounts = `
  COALESCE(r.final_sent, live.sent) AS sent, COALESCE(r.final_failed, live.failed) AS failed,
  COALESCE(r.final_blocked, live.blocked) AS blocked, COALESCE(r.final_uncertain, live.uncertain) AS uncertain,
  CASE WHEN r.summarized_at IS NULL THEN live.pending ELSE 0 END AS pending,
  COALESCE(r.final_cancelled, live.cancelled) AS cancelled`

const runCountsJoin = `
CROSS JOIN LATERAL (SELECT ` + deliveryCounts + `
    FROM deliveries d WHERE d.run_id = r.id AND r.summarized_at IS NULL) live`

const runColumns = `r.id, r.schedule_id, r.fire_at, r.status, r.urgent, r.targeted, r.started_at, r.finished_at,`

const sqlRunReports = `
SELECT ` + runColumns + runCounts + `
FROM runs r JOIN schedules s ON s.id = r.schedule_id` + runCountsJoin + `
WHERE ` + inScope + ` AND ($3 = 0 OR r.schedule_id = $3)
ORDER BY r.fire_at DESC, r.id DESC
LIMIT $4`

// Runs reports the latest runs (newest first, at most limit) of schedule
// scheduleID, or of every schedule by may see when scheduleID is 0. A
// schedule outside by's scope is ErrNotFound.
func (s *Schedules) Runs(ctx context.Context, by staff.Actor, scheduleID int64, limit int) ([]RunReport, error) {
	if !by.IsOperator() {
		return nil, ErrForbidden
	}
	if scheduleID != 0 {
		if _, err := s.Get(ctx, by, scheduleID); err != nil {
			return nil, err
		}
	}
	var reports []RunReport
	err := s.db.SelectContext(ctx, &reports, sqlRunReports, string(by.Scope), by.Scope.LikePattern(), scheduleID, limit)
	if err != nil {
		return nil, fmt.Errorf("reporting runs: %w", err)
	}
	return reports, nil
}
