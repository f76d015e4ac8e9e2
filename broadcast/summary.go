package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// maxFailureReasons is how many distinct failure reasons a summary keeps.
const maxFailureReasons = 20

// sqlNextToSummarize is a finished run (done or cancelled) with nothing of
// it left queued or in flight and no summary yet; a replica summarising
// one locks it, so two never count the same run.
const sqlNextToSummarize = `
SELECT r.id FROM runs r
WHERE r.summarized_at IS NULL AND r.status IN ('done', 'cancelled')
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.run_id = r.id AND d.status IN ('pending', 'sending'))
ORDER BY r.id LIMIT 1
FOR UPDATE SKIP LOCKED`

const sqlSummarizeRegions = `
INSERT INTO run_region_counts (run_id, village_code, sent, failed, blocked, uncertain, cancelled)
SELECT $1, COALESCE(s.village_code, ''),
  count(*) FILTER (WHERE d.status = 'sent'), count(*) FILTER (WHERE d.status = 'failed'),
  count(*) FILTER (WHERE d.status = 'blocked'), count(*) FILTER (WHERE d.status = 'uncertain'),
  count(*) FILTER (WHERE d.status = 'cancelled')
FROM deliveries d LEFT JOIN subscribers s ON s.chat_id = d.chat_id
WHERE d.run_id = $1
GROUP BY 2`

const sqlSummarizeFailures = `
INSERT INTO run_failure_counts (run_id, reason, n)
SELECT $1, d.last_error, count(*) FROM deliveries d
WHERE d.run_id = $1 AND d.status IN ('failed', 'blocked', 'uncertain') AND d.last_error <> ''
GROUP BY d.last_error ORDER BY count(*) DESC, d.last_error LIMIT $2`

const sqlSummarizeTotals = `
UPDATE runs r SET summarized_at = $2,
  final_sent = t.sent, final_failed = t.failed, final_blocked = t.blocked,
  final_uncertain = t.uncertain, final_cancelled = t.cancelled
FROM (SELECT COALESCE(sum(sent), 0) AS sent, COALESCE(sum(failed), 0) AS failed, COALESCE(sum(blocked), 0) AS blocked,
             COALESCE(sum(uncertain), 0) AS uncertain, COALESCE(sum(cancelled), 0) AS cancelled
      FROM run_region_counts WHERE run_id = $1) t
WHERE r.id = $1`

// SummarizeFinished counts one finished run's deliveries once, per
// village and by failure reason, so its report reads a summary instead
// of counting its deliveries every time (migration 00018). It reports
// whether it summarised a run; the engine calls it until it says false.
func SummarizeFinished(ctx context.Context, db *sqlx.DB, now time.Time) (bool, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("summarising a run: %w", err)
	}
	defer tx.Rollback()
	var runID int64
	err = tx.GetContext(ctx, &runID, sqlNextToSummarize)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("finding a run to summarise: %w", err)
	}
	for _, step := range []struct {
		q    string
		args []any
	}{
		{sqlSummarizeRegions, []any{runID}},
		{sqlSummarizeFailures, []any{runID, maxFailureReasons}},
		{sqlSummarizeTotals, []any{runID, now}},
	} {
		if _, err := tx.ExecContext(ctx, step.q, step.args...); err != nil {
			return false, fmt.Errorf("summarising run %d: %w", runID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("summarising run %d: %w", runID, err)
	}
	return true, nil
}
