package aspirations

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/holder"
	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/message"
)

// Outbox kinds. Staff kinds are posts a moderator or operator may reply
// to (TicketByPost); reply kinds are resident notifications a resident
// may reply to (TicketByAnswerMessage).
const (
	kindPost       = "post"       // a new or requeued ticket, to moderators
	kindStaffNote  = "staff_note" // a resident's reply, to staff
	kindEscalation = "escalation" // an escalated ticket, to operators
	kindAnswer     = "answer"     // the answer, to the resident
	kindRejected   = "rejected"   // the rejection reason, to the resident
	kindStatus     = "status"     // other status news, to the resident
	kindStaffInfo  = "staff_info" // claim released etc., to one staff member
	kindDigest     = "digest"     // the daily digest, to a moderator
)

// outboxLease is how long a claimed row stays invisible to other workers;
// a worker that dies mid-send leaves its rows to be retried after it.
const outboxLease = 2 * time.Minute

const outboxBatch = 50

type outboxItem struct {
	ticketID int64 // 0 = none
	kind     string
	chatID   int64
	msg      message.Message
}

// One statement for any number of rows keeps transactions short (filing
// holds the year's counter row until it commits).
const sqlEnqueue = `
INSERT INTO aspiration_outbox (ticket_id, kind, chat_id, payload, next_at, created_at)
SELECT NULLIF(u.ticket_id, 0), u.kind, u.chat_id, u.payload::jsonb, $5, $5
FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[]) AS u(ticket_id, kind, chat_id, payload)`

// enqueue stores messages to send, inside the caller's transaction, so a
// change and the news of it commit together.
func enqueue(ctx context.Context, x sqlx.ExecerContext, now time.Time, items ...outboxItem) error {
	if len(items) == 0 {
		return nil
	}
	tickets, kinds, chats, payloads := make([]int64, len(items)), make([]string, len(items)), make([]int64, len(items)), make([]string, len(items))
	for i, it := range items {
		payload, err := json.Marshal(it.msg)
		if err != nil {
			return fmt.Errorf("encoding outbox message: %w", err)
		}
		// pgsafe.JSON: json.Marshal writes a NUL as \u0000, which jsonb refuses.
		tickets[i], kinds[i], chats[i], payloads[i] = it.ticketID, it.kind, it.chatID, string(pgsafe.JSON(payload))
	}
	_, err := x.ExecContext(ctx, sqlEnqueue, pqInt64s(tickets), pqStrings(kinds), pqInt64s(chats), pqStrings(payloads), now)
	if err != nil {
		return fmt.Errorf("queueing %s message: %w", items[0].kind, err)
	}
	return nil
}

type outboxRow struct {
	ID       int64          `db:"id"`
	TicketID sql.NullInt64  `db:"ticket_id"`
	Kind     string         `db:"kind"`
	ChatID   int64          `db:"chat_id"`
	Payload  []byte         `db:"payload"`
	Attempt  int            `db:"attempt"`
	Number   sql.NullString `db:"number"`
}

// Claiming pushes next_at forward as a lease and records the claiming
// process's holder ($4, 0 for none). A row waits while an older row for
// the same chat is pending, so each chat reads its news in order.
const sqlClaimOutbox = `
WITH due AS (
    SELECT o.id FROM aspiration_outbox o
    WHERE o.status = 'pending' AND o.next_at <= $1
      AND NOT EXISTS (SELECT 1 FROM aspiration_outbox p
                      WHERE p.chat_id = o.chat_id AND p.status = 'pending' AND p.id < o.id)
    ORDER BY o.next_at, o.id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE aspiration_outbox o SET next_at = $3, attempt = o.attempt + 1, claimed_by = NULLIF($4, 0)
FROM due WHERE o.id = due.id
RETURNING o.id, o.ticket_id, o.kind, o.chat_id, o.payload, o.attempt,
    (SELECT number FROM aspiration_tickets t WHERE t.id = o.ticket_id) AS number`

func (s *Service) claimOutbox(ctx context.Context, now time.Time) ([]outboxRow, error) {
	var rows []outboxRow
	err := s.db.SelectContext(ctx, &rows, sqlClaimOutbox, now, outboxBatch, now.Add(outboxLease), s.holder.Load().Current())
	if err != nil {
		return nil, fmt.Errorf("claiming outbox: %w", err)
	}
	return rows, nil
}

// FlushOutbox sends every row that is due now, batch after batch, until
// none is left, and returns how many were sent. Rows that fail are
// rescheduled (message.Backoff, or Telegram's retry_after) or, when the
// chat is gone, finished as failed. Tests call it to be deterministic;
// RunOutbox calls it in a loop.
func (s *Service) FlushOutbox(ctx context.Context) (int, error) {
	if s.cfg.Sender == nil {
		return 0, errors.New("flushing outbox: no sender configured")
	}
	sent := 0
	for ctx.Err() == nil {
		rows, err := s.claimOutbox(ctx, s.now())
		if err != nil || len(rows) == 0 {
			return sent, err
		}
		n, err := s.sendRows(ctx, rows)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, ctx.Err()
}

// sendRows sends claimed rows in order. After a 429 the rest of the batch
// waits as long as Telegram asked.
func (s *Service) sendRows(ctx context.Context, rows []outboxRow) (int, error) {
	sent := 0
	for i, r := range rows {
		var m message.Message
		if err := json.Unmarshal(r.Payload, &m); err != nil {
			if ferr := s.finishOutbox(ctx, r, "failed", 0, "bad payload"); ferr != nil {
				return sent, ferr
			}
			continue
		}
		if p := s.cfg.Pacer; p != nil {
			if err := p.TakeOutbox(ctx); err != nil {
				return sent, s.deferRow(ctx, r, s.now())
			}
			// The chat's own token last, right before sending.
			if d := p.ChatDelay(ctx, r.ChatID); d > 0 {
				// This row, and its chat's later news behind it, go a little
				// later; other chats go on.
				if ferr := s.deferRow(ctx, r, s.now().Add(d)); ferr != nil {
					return sent, ferr
				}
				continue
			}
		}
		msgID, err := s.cfg.Sender.Send(ctx, r.ChatID, m)
		if err == nil {
			sent++
			s.metrics.outbox.WithLabelValues(r.Kind, "sent").Inc()
			if ferr := s.finishOutbox(ctx, r, "sent", msgID, ""); ferr != nil {
				return sent, ferr
			}
			continue
		}
		if wait := message.RetryAfterOf(err); wait > 0 {
			return sent, s.postpone(ctx, rows[i:], s.now().Add(wait), err)
		}
		if ferr := s.sendFailed(ctx, r, err); ferr != nil {
			return sent, ferr
		}
	}
	return sent, nil
}

// sendFailed finishes a row whose chat is gone or whose message Telegram
// will never take, and reschedules it otherwise.
func (s *Service) sendFailed(ctx context.Context, r outboxRow, err error) error {
	kind := message.KindOf(err)
	s.metrics.outbox.WithLabelValues(r.Kind, kind.String()).Inc()
	switch kind {
	case message.Migrated:
		if to, ok := message.MigratedTo(err); ok && r.ChatID < 0 && to < 0 {
			return s.MoveChat(ctx, r.ChatID, to) // this row moves too, due at once
		}
		return s.giveUp(ctx, r, kind.String()) // a move to nowhere: no retry can help
	case message.ThreadNotFound:
		if payloadHasThread(r.Payload) {
			return s.TopicGone(ctx, r.ChatID) // this row goes to General, at once
		}
		return s.giveUp(ctx, r, kind.String())
	case message.Blocked, message.ChatNotFound, message.Permanent:
		return s.giveUp(ctx, r, kind.String())
	case message.Unauthorized:
		// The token was revoked: every chat fails alike, so nothing is
		// rerouted; the rows wait for a working token.
	default:
		if r.Attempt >= outboxMaxAttempts {
			return s.giveUp(ctx, r, "gave_up_"+kind.String())
		}
	}
	// A duplicate notification is better than a lost one: Transient and
	// Uncertain try again after a backoff.
	return s.postpone(ctx, []outboxRow{r}, message.Backoff(s.now(), r.Attempt), err)
}

// giveUp finishes a row its chat will never take and, in the same
// transaction, sends a ticket's post on to its next reviewers; a row
// someone else finished meanwhile (a lost group set aside) is left alone.
func (s *Service) giveUp(ctx context.Context, r outboxRow, why string) error {
	s.log.Warn("aspiration message undeliverable", "outbox_id", r.ID, "kind", r.Kind,
		"ticket", r.Number.String, "reason", why)
	return s.withTx(ctx, "giving up an outbox row", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlFinishOutbox, r.ID, "failed", 0, why, s.now())
		if err != nil {
			return fmt.Errorf("finishing outbox row %d: %w", r.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return s.reroute(ctx, tx, r, why)
	})
}

// payloadHasThread reports whether a row's message names a forum topic.
func payloadHasThread(payload []byte) bool {
	var m message.Message
	return json.Unmarshal(payload, &m) == nil && m.ThreadID != 0
}

// A finished row keeps who got what message id (to match replies) but not
// the text, which may name the resident.
const sqlFinishOutbox = `
UPDATE aspiration_outbox SET status = $2, message_id = NULLIF($3, 0), last_error = $4, finished_at = $5,
    payload = '{}', claimed_by = NULL
WHERE id = $1 AND status = 'pending'`

func (s *Service) finishOutbox(ctx context.Context, r outboxRow, status string, msgID int, why string) error {
	if _, err := s.db.ExecContext(ctx, sqlFinishOutbox, r.ID, status, msgID, why, s.now()); err != nil {
		return fmt.Errorf("finishing outbox row %d: %w", r.ID, err)
	}
	return nil
}

const sqlPostponeOutbox = `
UPDATE aspiration_outbox SET next_at = $2, last_error = $3, claimed_by = NULL WHERE id = ANY($1) AND status = 'pending'`

func (s *Service) postpone(ctx context.Context, rows []outboxRow, until time.Time, cause error) error {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	why := message.KindOf(cause).String()
	if _, err := s.db.ExecContext(ctx, sqlPostponeOutbox, pqInt64s(ids), until, why); err != nil {
		return fmt.Errorf("postponing outbox rows: %w", err)
	}
	return nil
}

// Pacer paces the outbox: TakeOutbox waits for the bot's shared budget,
// after replies to people and ahead of broadcast runs; ChatDelay takes a
// token of the chat's own limit (about 1 a second in a private chat, 20 a
// minute in a group) or says how long until one is free.
type Pacer interface {
	ChatDelay(ctx context.Context, chatID int64) time.Duration
	TakeOutbox(ctx context.Context) error
}

const sqlDeferOutbox = `
UPDATE aspiration_outbox SET next_at = $2, attempt = greatest(attempt - 1, 0), claimed_by = NULL
WHERE id = $1 AND status = 'pending'`

// deferRow hands a claimed row back unsent, due at until, without
// counting the attempt.
func (s *Service) deferRow(ctx context.Context, r outboxRow, until time.Time) error {
	if _, err := s.db.ExecContext(ctx, sqlDeferOutbox, r.ID, until); err != nil {
		return fmt.Errorf("deferring outbox row %d: %w", r.ID, err)
	}
	return nil
}

// sqlReleaseOutbox makes the rows claimed by a process that died due at
// once (internal/holder).
const sqlReleaseOutbox = `
UPDATE aspiration_outbox SET next_at = 'epoch', claimed_by = NULL
WHERE claimed_by IS NOT NULL AND status = 'pending' AND claimed_by NOT IN (` + holder.Live + `)`

// RunOutbox sends the outbox until ctx ends: whenever a change queued
// something, and every OutboxInterval for retries. Rows claimed by a
// process that died are taken back within a second (internal/holder).
func (s *Service) RunOutbox(ctx context.Context) error {
	h := holder.Start(s.db, s.log)
	defer h.Stop()
	s.holder.Store(h)
	go holder.Release(ctx, s.db, s.log, "outbox", sqlReleaseOutbox)
	t := time.NewTicker(s.cfg.OutboxInterval)
	defer t.Stop()
	for {
		if _, err := s.FlushOutbox(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("aspirations outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-s.wake:
		}
	}
}

// kick wakes RunOutbox after a commit that queued something.
func (s *Service) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

const sqlTicketByPost = `
SELECT ` + ticketColumns + ` FROM aspiration_tickets WHERE id = (
    SELECT ticket_id FROM aspiration_outbox
    WHERE chat_id = $1 AND message_id = $2 AND kind = ANY($3) AND ticket_id IS NOT NULL
    ORDER BY id DESC LIMIT 1)`

// TicketByPost finds the ticket a staff post in chatID was about, so a
// moderator's reply to the post answers it. It checks no scope: the
// action the caller takes next does.
func (s *Service) TicketByPost(ctx context.Context, chatID int64, messageID int) (Ticket, error) {
	kinds := []string{kindPost, kindStaffNote, kindEscalation, kindStaffInfo}
	return getTicket(ctx, s.db, sqlTicketByPost, chatID, messageID, pqStrings(kinds))
}

// TicketByAnswerMessage finds the ticket whose answer (or rejection) the
// resident in chatID replied to.
func (s *Service) TicketByAnswerMessage(ctx context.Context, chatID int64, messageID int) (Ticket, error) {
	kinds := []string{kindAnswer, kindRejected, kindStatus}
	t, err := getTicket(ctx, s.db, sqlTicketByPost, chatID, messageID, pqStrings(kinds))
	if err == nil && t.ResidentChat != chatID {
		return Ticket{}, ErrNotFound
	}
	return t, err
}

// QueueStaffMessages queues msg to each of chats (staff's private chats
// or KIM groups), inside the caller's transaction x, for the outbox
// worker to send with its retries: news that must reach staff even when
// Telegram is away, from packages beside this one (proposals).
func QueueStaffMessages(ctx context.Context, x sqlx.ExecerContext, now time.Time, chats []int64, msg message.Message) error {
	items := make([]outboxItem, len(chats))
	for i, c := range chats {
		items[i] = outboxItem{kind: kindStaffInfo, chatID: c, msg: msg}
	}
	return enqueue(ctx, x, now, items...)
}
