package broadcast

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/region"
)

// DeliveryStatus is where one (run, chat) delivery stands.
type DeliveryStatus string

// The delivery statuses. pending and sending are the queue; the rest are
// final.
const (
	DeliveryPending   DeliveryStatus = "pending"   // waiting for its next_attempt_at
	DeliverySending   DeliveryStatus = "sending"   // claimed by a worker until lease_until
	DeliverySent      DeliveryStatus = "sent"      // Telegram accepted it (message_id set)
	DeliveryFailed    DeliveryStatus = "failed"    // gave up: permanent error, chat gone, or out of attempts
	DeliveryBlocked   DeliveryStatus = "blocked"   // the resident blocked the bot
	DeliveryUncertain DeliveryStatus = "uncertain" // the request went out, no answer came back; never resent
	DeliveryCancelled DeliveryStatus = "cancelled" // the run was cancelled or the resident left before it went out
)

// The fan-out selects the active subscribers in the ranges [code,
// code || '/') of the targets: each range holds the code itself and every
// "code.…" below it, because '/' sorts right after '.' and before every
// digit. The ranges are spelled out as parameters so the planner sees them:
// a village uses the active-subscriber index, a province scans the table.
const sqlMaterializeDeliveries = `
INSERT INTO deliveries (run_id, chat_id, next_attempt_at)
SELECT $1, s.chat_id, $2
FROM subscribers s
WHERE s.status = 'active' AND (%s)`

// materializeDeliveries queues one pending delivery of run runID for every
// active subscriber whose village lies under any of targets, due at now,
// in one INSERT … SELECT, and returns how many it queued. The dispatcher
// calls it inside the transaction that creates the run.
func materializeDeliveries(ctx context.Context, tx sqlx.ExtContext, runID int64, targets []region.Code, now time.Time) (int, error) {
	targets = outermost(targets)
	if len(targets) == 0 {
		return 0, nil
	}
	args := []any{runID, now}
	ranges := make([]string, len(targets))
	for i, c := range targets {
		if c == "" { // the whole country
			ranges[i] = "TRUE"
			continue
		}
		ranges[i] = fmt.Sprintf("(s.village_code ~>=~ $%d AND s.village_code ~<~ $%d)", len(args)+1, len(args)+2)
		args = append(args, string(c), string(c)+"/")
	}
	query := fmt.Sprintf(sqlMaterializeDeliveries, strings.Join(ranges, " OR "))
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("materialising deliveries of run %d: %w", runID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("counting deliveries of run %d: %w", runID, err)
	}
	return int(n), nil
}

// outermost drops duplicate targets and targets inside another, so that no
// subscriber is selected twice.
func outermost(targets []region.Code) []region.Code {
	var out []region.Code
	for i, c := range targets {
		inside := false
		for j, o := range targets {
			if i != j && o.Contains(c) && (o != c || j < i) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, c)
		}
	}
	return out
}

// Rows being sent right now are left alone: the worker records what
// Telegram answered. A 'sending' row whose lease ran out belongs to a dead
// worker, and nobody will claim it once the run is cancelled, so it is
// cancelled too.
const sqlCancelPendingDeliveries = `
UPDATE deliveries
SET status = 'cancelled', lease_until = NULL, finalized_at = now()
WHERE run_id = ANY($1)
  AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))`

// cancelPendingDeliveries cancels every delivery of runIDs that has not
// gone out yet and returns how many it cancelled.
func cancelPendingDeliveries(ctx context.Context, tx sqlx.ExtContext, runIDs ...int64) (int, error) {
	if len(runIDs) == 0 {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, sqlCancelPendingDeliveries, pq.Array(runIDs))
	if err != nil {
		return 0, fmt.Errorf("cancelling pending deliveries: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("counting cancelled deliveries: %w", err)
	}
	return int(n), nil
}
