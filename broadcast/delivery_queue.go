package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/internal/holder"
	"github.com/kimbot/kimbot/internal/pgsafe"
)

// claimedDelivery is one delivery a worker holds until Lease.
type claimedDelivery struct {
	RunID    int64     `db:"run_id"`
	ChatID   int64     `db:"chat_id"`
	Attempts int       `db:"attempts"` // including the one about to be made
	Lease    time.Time `db:"lease_until"`
	Urgent   bool      `db:"urgent"`
	// SubscriberStatus is the chat's subscription now ('' when the resident
	// deleted their data): only 'active' chats are sent to.
	SubscriberStatus string `db:"subscriber_status"`
}

// The claim serves one run per batch: urgent runs first, then the run
// whose last claim is oldest, so concurrent runs take turns batch by batch
// and a small village notice starts while a province-wide run is sending.
// A 'sending' row is due when its lease ran out (next_attempt_at carries
// the lease), or at once when the process that claimed it died
// (sqlReleaseDeliveries). $4 is the claiming process's holder, 0 for none.
const sqlClaimDeliveries = `
WITH run AS (
    SELECT r.id, r.urgent
    FROM runs r
    WHERE r.status = 'sending'
      AND EXISTS (SELECT 1 FROM deliveries d
                  WHERE d.run_id = r.id AND d.status IN ('pending', 'sending')
                    AND d.next_attempt_at <= $1)
    ORDER BY r.urgent DESC, r.last_claim_at ASC NULLS FIRST, r.id
    LIMIT 1
), touched AS (
    UPDATE runs SET last_claim_at = $1, started_at = COALESCE(runs.started_at, $1)
    FROM run WHERE runs.id = run.id
), picked AS (
    SELECT d.run_id, d.chat_id
    FROM deliveries d JOIN run ON d.run_id = run.id
    WHERE d.status IN ('pending', 'sending') AND d.next_attempt_at <= $1
    ORDER BY d.next_attempt_at
    LIMIT $2
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE deliveries d
SET status = 'sending', attempts = d.attempts + 1, lease_until = $3, next_attempt_at = $3,
    claimed_by = NULLIF($4, 0)
FROM picked, run
WHERE d.run_id = picked.run_id AND d.chat_id = picked.chat_id
RETURNING d.run_id, d.chat_id, d.attempts, d.lease_until, run.urgent,
    COALESCE((SELECT s.status FROM subscribers s WHERE s.chat_id = d.chat_id), '') AS subscriber_status`

// claimDeliveries leases up to limit due deliveries of the run that is
// next in turn until lease, and returns them.
func claimDeliveries(ctx context.Context, db sqlx.ExtContext, now, lease time.Time, limit int, holder int64) ([]claimedDelivery, error) {
	var out []claimedDelivery
	if err := sqlx.SelectContext(ctx, db, &out, sqlClaimDeliveries, now, limit, lease, holder); err != nil {
		return nil, fmt.Errorf("claiming deliveries: %w", err)
	}
	return out, nil
}

// outcome is what became of one claimed delivery, ready to be recorded.
type outcome struct {
	claimedDelivery
	Status        DeliveryStatus
	AttemptsDelta int       // -1 when no request reached Telegram (429, released, skipped)
	NextAttemptAt time.Time // for pending
	MessageID     int
	Error         string
	// Subscriber is the new subscription status this outcome implies:
	// "blocked" (403), "stopped" (chat not found) or "".
	Subscriber string
}

// sqlReleaseDeliveries makes the deliveries claimed by a process that died
// due at once; the new lease_until also keeps any late record of theirs
// from applying (internal/holder).
const sqlReleaseDeliveries = `
UPDATE deliveries SET next_attempt_at = 'epoch', lease_until = 'epoch', claimed_by = NULL
WHERE status = 'sending' AND claimed_by IS NOT NULL AND claimed_by NOT IN (` + holder.Live + `)`

// The guard on status and lease makes a late record from a worker whose
// lease ran out (and whose row someone else re-claimed) change nothing.
const sqlRecordOutcomes = `
UPDATE deliveries d
SET status = o.status,
    attempts = d.attempts + o.attempts_delta,
    next_attempt_at = COALESCE(o.next_at, d.next_attempt_at),
    lease_until = NULL, claimed_by = NULL,
    message_id = NULLIF(o.message_id, 0),
    last_error = o.last_error,
    finalized_at = CASE WHEN o.status = 'pending' THEN NULL ELSE $9::timestamptz END
FROM unnest($1::bigint[], $2::bigint[], $3::text[]::timestamptz[], $4::text[], $5::int[],
            $6::text[]::timestamptz[], $7::int[], $8::text[])
    AS o(run_id, chat_id, lease, status, attempts_delta, next_at, message_id, last_error)
WHERE d.run_id = o.run_id AND d.chat_id = o.chat_id
  AND d.status = 'sending' AND d.lease_until = o.lease`

const sqlBlockSubscribers = `
UPDATE subscribers
SET status = 'blocked', updated_at = $2,
    stopped_at = CASE WHEN status = 'active' THEN $2 ELSE stopped_at END
WHERE chat_id = ANY($1) AND status <> 'blocked'`

const sqlStopSubscribers = `
UPDATE subscribers SET status = 'stopped', updated_at = $2, stopped_at = $2
WHERE chat_id = ANY($1) AND status = 'active'`

// recordOutcomes writes a batch of outcomes, and the subscriber changes
// they imply, and returns how many rows it changed. Should PostgreSQL
// refuse the batch for one outcome's data, the others are written without
// it and that one is written without its error text: an outcome never
// written means a lapsed lease and a second message to the resident.
func recordOutcomes(ctx context.Context, db *sqlx.DB, outs []outcome, now time.Time) (int, error) {
	n := 0
	write := func(batch []outcome) error {
		k, err := recordOutcomeBatch(ctx, db, batch, now)
		n += k
		return err
	}
	err := pgsafe.Isolate(outs, write, func(o outcome, refusal error) error {
		o.Error = "error text refused by PostgreSQL"
		var pe *pq.Error
		if errors.As(refusal, &pe) {
			o.Error += " (" + string(pe.Code) + ")"
		}
		return write([]outcome{o})
	})
	return n, err
}

// recordOutcomeBatch writes outs in one transaction.
func recordOutcomeBatch(ctx context.Context, db *sqlx.DB, outs []outcome, now time.Time) (int, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("recording outcomes: %w", err)
	}
	defer tx.Rollback()
	n, err := updateOutcomes(ctx, tx, outs, now)
	if err != nil {
		return 0, err
	}
	if err := markSent(ctx, tx, outs, now); err != nil {
		return 0, err
	}
	var blocked, stopped []int64
	for _, o := range outs {
		switch o.Subscriber {
		case "blocked":
			blocked = append(blocked, o.ChatID)
		case "stopped":
			stopped = append(stopped, o.ChatID)
		}
	}
	if err := updateSubscribers(ctx, tx, sqlBlockSubscribers, blocked, now); err != nil {
		return 0, err
	}
	if err := updateSubscribers(ctx, tx, sqlStopSubscribers, stopped, now); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("committing outcomes: %w", err)
	}
	return n, nil
}

func updateOutcomes(ctx context.Context, tx sqlx.ExtContext, outs []outcome, now time.Time) (int, error) {
	n := len(outs)
	runs, chats := make([]int64, n), make([]int64, n)
	leases, statuses, nexts, errs := make([]string, n), make([]string, n), make([]sql.NullString, n), make([]string, n)
	deltas, msgIDs := make([]int64, n), make([]int64, n)
	for i, o := range outs {
		runs[i], chats[i] = o.RunID, o.ChatID
		leases[i] = o.Lease.Format(time.RFC3339Nano)
		statuses[i], errs[i] = string(o.Status), o.Error
		deltas[i], msgIDs[i] = int64(o.AttemptsDelta), int64(o.MessageID)
		if !o.NextAttemptAt.IsZero() {
			nexts[i] = sql.NullString{String: o.NextAttemptAt.Format(time.RFC3339Nano), Valid: true}
		}
	}
	res, err := tx.ExecContext(ctx, sqlRecordOutcomes, pq.Array(runs), pq.Array(chats), pq.Array(leases),
		pq.Array(statuses), pq.Array(deltas), pq.Array(nexts), pq.Array(msgIDs), pq.Array(errs), now)
	if err != nil {
		return 0, fmt.Errorf("recording %d outcomes: %w", n, err)
	}
	changed, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("counting recorded outcomes: %w", err)
	}
	return int(changed), nil
}

func updateSubscribers(ctx context.Context, tx sqlx.ExtContext, query string, chats []int64, now time.Time) error {
	if len(chats) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, query, pq.Array(chats), now); err != nil {
		return fmt.Errorf("updating subscribers after delivery: %w", err)
	}
	return nil
}

// A run is done once nothing of it is queued or in flight. With no ids it
// sweeps every sending run (after a restart, or when a cancel emptied one).
const sqlFinishRuns = `
UPDATE runs r SET status = 'done', finished_at = $2
WHERE r.status = 'sending'
  AND (cardinality($1::bigint[]) = 0 OR r.id = ANY($1))
  AND NOT EXISTS (SELECT 1 FROM deliveries d
                  WHERE d.run_id = r.id AND d.status IN ('pending', 'sending'))
RETURNING r.id`

// finishRuns marks done those of runIDs (all sending runs when none are
// given) that have nothing left to send, and returns their ids.
func finishRuns(ctx context.Context, db sqlx.ExtContext, now time.Time, runIDs []int64) ([]int64, error) {
	var done []int64
	if runIDs == nil {
		runIDs = []int64{}
	}
	if err := sqlx.SelectContext(ctx, db, &done, sqlFinishRuns, pq.Array(runIDs), now); err != nil {
		return nil, fmt.Errorf("finishing runs: %w", err)
	}
	return done, nil
}

// countQueue returns how many deliveries are pending or being sent, and how
// many runs are sending, for the metrics.
func countQueue(ctx context.Context, db sqlx.QueryerContext) (queued, runs int, err error) {
	const q = `SELECT
        (SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')),
        (SELECT count(*) FROM runs WHERE status = 'sending')`
	if err := db.QueryRowxContext(ctx, q).Scan(&queued, &runs); err != nil {
		return 0, 0, fmt.Errorf("counting the delivery queue: %w", err)
	}
	return queued, runs, nil
}
