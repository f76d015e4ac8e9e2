package aspirations

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/kimbot/kimbot/staff"
	"github.com/lib/pq"
)

// ticketColumns read a ticket; NULLs that the Ticket type spells as zero
// values are folded in SQL.
const ticketColumns = `id, number, COALESCE(resident_chat, 0) AS resident_chat, resident_name, village_code,
category, text, attachment, anonymous, status, claimed_by, claimed_by_name, answered_by, answered_by_name,
created_at, updated_at, claimed_at, first_response_at, closed_at, escalated_at, reject_reason, rating,
COALESCE(source_key, '') AS source_key, check_result`

// ticketRow is a Ticket as scanned, with its attachment still JSON.
type ticketRow struct {
	Ticket
	AttachmentJSON []byte `db:"attachment"`
}

func (r ticketRow) ticket() Ticket {
	t := r.Ticket
	t.Attachment = decodeAttachment(r.AttachmentJSON)
	return t
}

func decodeAttachment(b []byte) *Attachment {
	if len(b) == 0 {
		return nil
	}
	var a Attachment
	if json.Unmarshal(b, &a) != nil || a.Kind == "" {
		return nil
	}
	return &a
}

// encodeAttachment is the jsonb value of a, or NULL.
func encodeAttachment(a *Attachment) any {
	if a == nil {
		return nil
	}
	b, _ := json.Marshal(a)
	return b
}

// getTicket runs a query returning ticketColumns for one ticket.
func getTicket(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) (Ticket, error) {
	var r ticketRow
	err := sqlx.GetContext(ctx, q, &r, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, ErrNotFound
	}
	if err != nil {
		return Ticket{}, err
	}
	return r.ticket(), nil
}

func selectTickets(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) ([]Ticket, error) {
	var rows []ticketRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, err
	}
	out := make([]Ticket, len(rows))
	for i, r := range rows {
		out[i] = r.ticket()
	}
	return out, nil
}

const sqlTicketByID = `SELECT ` + ticketColumns + ` FROM aspiration_tickets WHERE id = $1`

const sqlTicketByNumber = `SELECT ` + ticketColumns + ` FROM aspiration_tickets WHERE number = $1`

// ticketByRef finds a ticket by number ("ASP-2026-000123" in any spelling)
// or by numeric id, without any scope check: callers check.
func ticketByRef(ctx context.Context, q sqlx.QueryerContext, ref string) (Ticket, error) {
	if num, err := ParseNumber(ref); err == nil {
		return getTicket(ctx, q, sqlTicketByNumber, num)
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || id <= 0 {
		return Ticket{}, ErrNotFound
	}
	return getTicket(ctx, q, sqlTicketByID, id)
}

const sqlInsertEvent = `
INSERT INTO aspiration_events (ticket_id, kind, status, actor_role, actor_id, note, at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

// addEvent records one change of a ticket, with who made it and when.
func addEvent(ctx context.Context, x sqlx.ExecerContext, t Ticket, kind string, actor staff.Actor, note string, at time.Time) error {
	_, err := x.ExecContext(ctx, sqlInsertEvent, t.ID, kind, string(t.Status), string(actor.Role), actor.TelegramID, note, at)
	if err != nil {
		return fmt.Errorf("recording %s event: %w", kind, err)
	}
	return nil
}

const sqlInsertMessage = `
INSERT INTO aspiration_messages (ticket_id, from_role, author_id, text, attachment, created_at)
VALUES ($1, $2, $3, $4, $5, $6)`

func addMessage(ctx context.Context, x sqlx.ExecerContext, ticketID int64, from staff.Role, author int64, text string, att *Attachment, at time.Time) error {
	_, err := x.ExecContext(ctx, sqlInsertMessage, ticketID, string(from), author, text, encodeAttachment(att), at)
	if err != nil {
		return fmt.Errorf("adding message: %w", err)
	}
	return nil
}

type messageRow struct {
	Message
	AttachmentJSON []byte `db:"attachment"`
}

const sqlThread = `
SELECT id, ticket_id, from_role, author_id, text, attachment, created_at
FROM aspiration_messages WHERE ticket_id = $1 ORDER BY id`

func thread(ctx context.Context, q sqlx.QueryerContext, ticketID int64) ([]Message, error) {
	var rows []messageRow
	if err := sqlx.SelectContext(ctx, q, &rows, sqlThread, ticketID); err != nil {
		return nil, fmt.Errorf("reading thread: %w", err)
	}
	out := make([]Message, len(rows))
	for i, r := range rows {
		out[i] = r.Message
		out[i].Attachment = decodeAttachment(r.AttachmentJSON)
	}
	return out, nil
}

// withTx runs fn in a transaction and commits it.
func (s *Service) withTx(ctx context.Context, what string, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: beginning: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: committing: %w", what, err)
	}
	return nil
}

func pqInt64s(v []int64) any   { return pq.Array(v) }
func pqStrings(v []string) any { return pq.Array(v) }
