package broadcast

import (
	"context"
	"fmt"
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

// The fan-out walks the active-subscriber index once per target: the range
// [code, code || '/') holds the code itself and every "code.…" below it,
// because '/' sorts right after '.' and before every digit. Overlapping
// targets (which the dispatcher should not produce) cannot duplicate a row.
const sqlMaterializeDeliveries = `
INSERT INTO deliveries (run_id, chat_id, next_attempt_at)
SELECT $1, s.chat_id, $2
FROM unnest($3::text[]) AS t(code)
JOIN subscribers s
  ON s.status = 'active'
 AND s.village_code ~>=~ t.code
 AND s.village_code ~<~ (t.code || '/')
ON CONFLICT (run_id, chat_id) DO NOTHING`

// materializeDeliveries queues one pending delivery of run runID for every
// active subscriber whose village lies under any of targets, due at now,
// in one INSERT … SELECT, and returns how many it queued. The dispatcher
// calls it inside the transaction that creates the run.
func materializeDeliveries(ctx context.Context, tx sqlx.ExtContext, runID int64, targets []region.Code, now time.Time) (int, error) {
	if len(targets) == 0 {
		return 0, nil
	}
	codes := make([]string, len(targets))
	for i, c := range targets {
		codes[i] = string(c)
	}
	res, err := tx.ExecContext(ctx, sqlMaterializeDeliveries, runID, now, pq.Array(codes))
	if err != nil {
		return 0, fmt.Errorf("materialising deliveries of run %d: %w", runID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("counting deliveries of run %d: %w", runID, err)
	}
	return int(n), nil
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
