package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/internal/holder"
	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/message"
)

// inbox is the durable store of incoming updates (table bot_updates).
type queue struct {
	db          *sqlx.DB
	clock       message.Clock
	log         *slog.Logger
	holder      atomic.Pointer[holder.Holder] // marks claims; nil: the lease alone
	lease       time.Duration                 // how long a claimed update is ours
	maxAttempts int                           // a row failing this often is given up as failed
}

// entry is one update taken from the inbox to be handled.
type entry struct {
	UpdateID int64           `db:"update_id"`
	ChatID   int64           `db:"chat_id"`
	Payload  json.RawMessage `db:"payload"`
	Attempts int             `db:"attempts"`
}

// rawUpdate is an update as it came off the wire, with the two fields the
// inbox needs read out of it.
type rawUpdate struct {
	ID      int64
	ChatID  int64
	Payload []byte
}

// updateHead is the minimal shape read from an update: its id and the chat
// that orders it. Decoding only this cannot fail on the polymorphic types
// that make the library's full decode reject a whole batch.
type updateHead struct {
	UpdateID int64 `json:"update_id"`
	Message  *struct {
		Chat struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	} `json:"message"`
	EditedMessage *struct {
		Chat struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	} `json:"edited_message"`
	CallbackQuery *struct {
		From struct {
			ID int64 `json:"id"`
		} `json:"from"`
		Message *struct {
			Chat struct {
				ID int64 `json:"id"`
			} `json:"chat"`
		} `json:"message"`
	} `json:"callback_query"`
	MyChatMember *struct {
		Chat struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	} `json:"my_chat_member"`
}

// parseRawUpdate reads the id and chat of one update. ok is false when not
// even the update_id can be read (the update cannot be stored).
func parseRawUpdate(raw []byte) (rawUpdate, bool) {
	var h updateHead
	if err := json.Unmarshal(raw, &h); err != nil || h.UpdateID <= 0 {
		return rawUpdate{}, false
	}
	u := rawUpdate{ID: h.UpdateID, Payload: raw}
	switch {
	case h.Message != nil:
		u.ChatID = h.Message.Chat.ID
	case h.EditedMessage != nil:
		u.ChatID = h.EditedMessage.Chat.ID
	case h.CallbackQuery != nil && h.CallbackQuery.Message != nil && h.CallbackQuery.Message.Chat.ID != 0:
		u.ChatID = h.CallbackQuery.Message.Chat.ID
	case h.CallbackQuery != nil:
		u.ChatID = h.CallbackQuery.From.ID
	case h.MyChatMember != nil:
		u.ChatID = h.MyChatMember.Chat.ID
	}
	return u, true
}

const sqlStoreUpdates = `
INSERT INTO bot_updates (update_id, chat_id, payload, received_at)
SELECT u.id, u.chat, u.payload::jsonb, $4
FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(id, chat, payload)
ON CONFLICT (update_id) DO NOTHING`

// sqlSetAsideUpdate stores an update PostgreSQL refused as failed, with
// only its id as payload: it is never handled, but it is acknowledged and
// stays visible (last_error) until pruned with the handled ones.
const sqlSetAsideUpdate = `
INSERT INTO bot_updates (update_id, chat_id, payload, received_at, status, handled_at, last_error)
VALUES ($1, $2, jsonb_build_object('update_id', $1::bigint, 'refused', true), $3, 'failed', $3, $4)
ON CONFLICT (update_id) DO NOTHING`

// store saves updates; ones already stored (a redelivery) are left alone.
// An update PostgreSQL still refuses after pgsafe.JSON (a number jsonb
// cannot hold, say) is set aside on its own so the rest of the batch, and
// every later one, is stored. When it returns nil every update is durable
// and may be acknowledged.
func (q *queue) store(ctx context.Context, updates []rawUpdate) error {
	now := q.clock.Now()
	write := func(batch []rawUpdate) error {
		ids := make([]int64, len(batch))
		chats := make([]int64, len(batch))
		payloads := make([]string, len(batch))
		for i, u := range batch {
			ids[i], chats[i], payloads[i] = u.ID, u.ChatID, string(pgsafe.JSON(u.Payload))
		}
		_, err := q.db.ExecContext(ctx, sqlStoreUpdates, pq.Array(ids), pq.Array(chats), pq.Array(payloads), now)
		return err
	}
	setAside := func(u rawUpdate, refusal error) error {
		q.log.Error("PostgreSQL refused an update; set aside unhandled", "update_id", u.ID, "err", refusalCode(refusal))
		_, err := q.db.ExecContext(ctx, sqlSetAsideUpdate, u.ID, u.ChatID, now, "refused by PostgreSQL: "+refusalCode(refusal))
		return err
	}
	if err := pgsafe.Isolate(updates, write, setAside); err != nil {
		return fmt.Errorf("storing updates: %w", err)
	}
	return nil
}

// refusalCode is the SQLSTATE and message of a refusal, without its
// detail and context, which quote the refused data.
func refusalCode(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code) + " " + pe.Message
	}
	return "refused"
}

// outcome is how the handling of one claimed update ended: done, failed
// (set aside) or pending again (retried not before until).
type outcome struct {
	updateID int64
	status   string
	until    *time.Time
	reason   string
}

func doneOutcome(updateID int64) outcome { return outcome{updateID: updateID, status: "done"} }

func failedOutcome(updateID int64, reason string) outcome {
	return outcome{updateID: updateID, status: "failed", reason: reason}
}

// retryOutcome puts an update back, not to be tried again before backoff
// has passed (the chat's later updates wait behind it, order per chat);
// after maxAttempts it is set aside as failed.
func (q *queue) retryOutcome(row entry, reason string) outcome {
	if row.Attempts >= q.maxAttempts {
		return failedOutcome(row.UpdateID, reason)
	}
	now := q.clock.Now()
	at := message.Backoff(now, row.Attempts)
	if latest := now.Add(30 * time.Second); at.After(latest) {
		at = latest
	}
	return outcome{updateID: row.UpdateID, status: "pending", until: &at, reason: reason}
}

// sqlSettleAndClaim records outcomes and claims updates in one round trip.
//
// An open update is claimable when it is the oldest open one of its chat
// and it is pending (or its lease ran out, or its process died:
// sqlReleaseUpdates) and its retry time has come. $8 is the claiming
// process's holder, 0 for none.
// The scan walks the open updates in order with plain index scans, which
// skip the entries of settled rows cheaply once they have seen them dead,
// so the claim stays fast between vacuums. The condition is repeated on the
// locked row so a feeder that lost the race re-checks it and skips.
// Both parts see the same snapshot, so a chat whose update is settled here
// has its next update claimed by the following call, never by this one;
// the settled rows themselves are excluded from the claim (a statement
// must not change a row twice).
//
// Claims and outcomes commit without waiting for the WAL flush (noSync):
// they are bookkeeping, and losing the last few to a PostgreSQL crash only
// means those updates are handled again, as after a process crash. Storing
// updates stays fully durable: it is what lets us acknowledge them.
const sqlSettleAndClaim = `
WITH ` + noSync + `, settled AS (
    UPDATE bot_updates b SET status = o.status, locked_until = o.until, last_error = o.reason,
        handled_at = CASE WHEN o.status IN ('done', 'failed') THEN $2::timestamptz END
    FROM unnest($4::bigint[], $5::text[], $6::timestamptz[], $7::text[]) AS o(id, status, until, reason), nosync
    WHERE b.update_id = o.id AND b.status = 'running'
), claimable AS (
    SELECT b.update_id FROM bot_updates b
    WHERE b.handled_at IS NULL -- open: pending or running
      AND COALESCE(b.locked_until, '-infinity') <= $2
      AND NOT EXISTS (SELECT FROM bot_updates e
                      WHERE e.chat_id = b.chat_id AND e.update_id < b.update_id AND e.handled_at IS NULL)
      AND b.update_id <> ALL($4::bigint[])
    ORDER BY b.update_id
    LIMIT $1
    FOR UPDATE OF b SKIP LOCKED
)
UPDATE bot_updates b SET status = 'running', attempts = b.attempts + 1, locked_until = $3, claimed_by = NULLIF($8, 0)
FROM claimable c, nosync WHERE b.update_id = c.update_id
RETURNING b.update_id, b.chat_id, b.payload, b.attempts`

// sqlReleaseUpdates makes the updates claimed by a process that died
// claimable at once (internal/holder).
const sqlReleaseUpdates = `
UPDATE bot_updates SET locked_until = 'epoch', claimed_by = NULL
WHERE status = 'running' AND claimed_by IS NOT NULL AND claimed_by NOT IN (` + holder.Live + `)`

// noSync is a CTE that turns off synchronous_commit for the statement's
// own transaction; the statement must reference it (FROM nosync) so it runs.
const noSync = `nosync AS (SELECT set_config('synchronous_commit', 'off', true) AS off)`

// settle records the outcomes of handled updates and claims up to limit
// more (the oldest open one of as many chats), leased to the caller. An
// outcome whose update is no longer running (its lease ran out and it was
// settled by someone else) is ignored. The reason is the only free text
// of an outcome; it goes through pgsafe.Text (cut to 500 bytes on a
// character boundary), so PostgreSQL cannot refuse the batch for it and
// stall the feeder.
func (q *queue) settle(ctx context.Context, outcomes []outcome, limit int) ([]entry, error) {
	ids := make([]int64, len(outcomes))
	statuses := make([]string, len(outcomes))
	untils := make([]*string, len(outcomes)) // as text: lib/pq leaves times in arrays unquoted
	reasons := make([]*string, len(outcomes))
	for i, o := range outcomes {
		ids[i], statuses[i] = o.updateID, o.status
		if o.reason != "" {
			r := pgsafe.Text(o.reason, 500)
			reasons[i] = &r
		}
		if o.until != nil {
			t := o.until.Format(time.RFC3339Nano)
			untils[i] = &t
		}
	}
	now := q.clock.Now()
	var rows []entry
	err := q.db.SelectContext(ctx, &rows, sqlSettleAndClaim, limit, now, now.Add(q.lease),
		pq.Array(ids), pq.Array(statuses), pq.GenericArray{A: untils}, pq.GenericArray{A: reasons}, q.holder.Load().Current())
	if err != nil {
		return nil, fmt.Errorf("settling and claiming updates: %w", err)
	}
	return rows, nil
}

const sqlPruneUpdates = `
DELETE FROM bot_updates WHERE update_id IN (
    SELECT update_id FROM bot_updates
    WHERE handled_at < $1 -- done or failed (bot_updates_handled_idx)
    LIMIT 5000)`

// prune deletes handled updates older than before, in bounded batches, and
// says how many it deleted.
func (q *queue) prune(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for {
		res, err := q.db.ExecContext(ctx, sqlPruneUpdates, before)
		if err != nil {
			return total, fmt.Errorf("pruning updates: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
		if n < 5000 {
			return total, nil
		}
	}
}

// sqlEraseUpdates deletes what the inbox keeps of a chat's updates (names,
// usernames, texts, locations), except those not yet handled: they came
// after the erasure was asked for and still need their answer. The one
// being handled (running) is the request itself.
const sqlEraseUpdates = `DELETE FROM bot_updates WHERE chat_id = $1 AND status <> 'pending'`

// erase serves a resident's /hapusdata for the inbox.
func (q *queue) erase(ctx context.Context, chatID int64) error {
	if _, err := q.db.ExecContext(ctx, sqlEraseUpdates, chatID); err != nil {
		return fmt.Errorf("erasing a chat's updates: %w", err)
	}
	return nil
}

// sqlBacklog counts open updates by the partial index of the claim
// (WHERE status IN ('pending', 'running')), so it never scans handled rows.
const sqlBacklog = `SELECT count(*) FROM bot_updates WHERE status IN ('pending', 'running')`

// Backlog is how many stored updates are not handled yet (waiting or
// being handled), across every replica.
func (in *Inbox) Backlog(ctx context.Context) (int, error) {
	var n int
	if err := in.db.GetContext(ctx, &n, sqlBacklog); err != nil {
		return 0, fmt.Errorf("counting open updates: %w", err)
	}
	return n, nil
}
