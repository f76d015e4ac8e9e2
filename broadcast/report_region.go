package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const sqlRunReport = `
SELECT ` + runColumns + runCounts + `
FROM runs r` + runCountsJoin + `
WHERE r.id = $1 AND r.schedule_id = $2`

// Run reports run runID of schedule scheduleID. A schedule outside by's
// scope, or a run of another schedule, is ErrNotFound.
func (s *Schedules) Run(ctx context.Context, by staff.Actor, scheduleID, runID int64) (RunReport, error) {
	if _, err := s.Get(ctx, by, scheduleID); err != nil {
		return RunReport{}, err
	}
	var r RunReport
	err := s.db.GetContext(ctx, &r, sqlRunReport, runID, scheduleID)
	if errors.Is(err, sql.ErrNoRows) {
		return RunReport{}, ErrNotFound
	}
	if err != nil {
		return RunReport{}, fmt.Errorf("reporting run: %w", err)
	}
	return r, nil
}

// RegionCounts is one region's share of a run: its deliveries by
// outcome. Region is "" for deliveries whose resident is no longer a
// subscriber (they erased their data), "tidak diketahui" on reports.
type RegionCounts struct {
	Region    region.Code `db:"code"`
	Targeted  int         `db:"targeted"`
	Sent      int         `db:"sent"`
	Failed    int         `db:"failed"`
	Blocked   int         `db:"blocked"`
	Uncertain int         `db:"uncertain"`
	Pending   int         `db:"pending"`
	Cancelled int         `db:"cancelled"`
}

// A delivery row keeps only the chat id, so the village of a run in
// progress is the subscriber's current one: a resident who moved counts
// under their new village, and one who erased their data under "". A
// finished run's summary fixed them when it ended. District codes are the
// first 8 characters of a village's ("35.73.05").
const sqlRunByRegionLive = `
SELECT * FROM (
SELECT COALESCE(CASE WHEN $2 THEN s.village_code ELSE left(s.village_code, 8) END, '') AS code,
  count(d.chat_id) AS targeted,` + deliveryCounts + `
FROM deliveries d LEFT JOIN subscribers s ON s.chat_id = d.chat_id
WHERE d.run_id = $1
GROUP BY 1) x
ORDER BY code = '', code`

const sqlRunByRegionSummary = `
SELECT * FROM (
SELECT CASE WHEN $2 THEN c.village_code ELSE left(c.village_code, 8) END AS code,
  sum(c.sent + c.failed + c.blocked + c.uncertain + c.cancelled) AS targeted, sum(c.sent) AS sent,
  sum(c.failed) AS failed, sum(c.blocked) AS blocked, sum(c.uncertain) AS uncertain, 0 AS pending,
  sum(c.cancelled) AS cancelled
FROM run_region_counts c
WHERE c.run_id = $1
GROUP BY 1) x
ORDER BY code = '', code`

// pick is the query that answers for run runID of schedule scheduleID:
// summary once the run has one, live before (ErrNotFound for a run of
// another schedule or none).
func (s *Schedules) pick(ctx context.Context, scheduleID, runID int64, live, summary string) (string, error) {
	var done bool
	err := s.db.GetContext(ctx, &done, `SELECT summarized_at IS NOT NULL FROM runs WHERE id = $1 AND schedule_id = $2`, runID, scheduleID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("reading run %d: %w", runID, err)
	}
	if done {
		return summary, nil
	}
	return live, nil
}

// RunByRegion breaks run runID of schedule scheduleID down per
// kecamatan, or per kelurahan/desa when villages is true, in code order
// with the unknown ("") last. Scope as for Run.
func (s *Schedules) RunByRegion(ctx context.Context, by staff.Actor, scheduleID, runID int64, villages bool) ([]RegionCounts, error) {
	if _, err := s.Get(ctx, by, scheduleID); err != nil {
		return nil, err
	}
	q, err := s.pick(ctx, scheduleID, runID, sqlRunByRegionLive, sqlRunByRegionSummary)
	if err != nil {
		return nil, err
	}
	var out []RegionCounts
	if err := s.db.SelectContext(ctx, &out, q, runID, villages); err != nil {
		return nil, fmt.Errorf("reporting run by region: %w", err)
	}
	return out, nil
}

// FailureReason is one reason deliveries of a run did not arrive, as
// Telegram or the network gave it, and how many it struck.
type FailureReason struct {
	Reason string `db:"reason"`
	Count  int    `db:"count"`
}

const sqlRunFailuresLive = `
SELECT d.last_error AS reason, count(*) AS count
FROM deliveries d
WHERE d.run_id = $1 AND d.status IN ('failed', 'blocked', 'uncertain') AND d.last_error <> ''
GROUP BY d.last_error
ORDER BY count DESC, reason
LIMIT $2`

const sqlRunFailuresSummary = `
SELECT reason, n AS count FROM run_failure_counts WHERE run_id = $1 ORDER BY count DESC, reason LIMIT $2`

// RunFailures is the limit most frequent reasons deliveries of the run
// failed, were blocked or ended uncertain. Scope as for Run.
func (s *Schedules) RunFailures(ctx context.Context, by staff.Actor, scheduleID, runID int64, limit int) ([]FailureReason, error) {
	if _, err := s.Get(ctx, by, scheduleID); err != nil {
		return nil, err
	}
	q, err := s.pick(ctx, scheduleID, runID, sqlRunFailuresLive, sqlRunFailuresSummary)
	if err != nil {
		return nil, err
	}
	var out []FailureReason
	if err := s.db.SelectContext(ctx, &out, q, runID, limit); err != nil {
		return nil, fmt.Errorf("reporting run failures: %w", err)
	}
	return out, nil
}
