package aspirations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

const sqlResidentTickets = `
SELECT ` + ticketColumns + ` FROM aspiration_tickets
WHERE resident_chat = $1 ORDER BY created_at DESC, id DESC LIMIT $2`

// ResidentTickets lists a resident's own tickets, newest first.
func (s *Service) ResidentTickets(ctx context.Context, chatID int64, limit int) ([]Ticket, error) {
	limit = min(max(limit, 1), MaxPage)
	ts, err := selectTickets(ctx, s.db, sqlResidentTickets, chatID, limit)
	if err != nil {
		return nil, fmt.Errorf("reading resident tickets: %w", err)
	}
	return ts, nil
}

// A resident's reply reopens an answered or rejected ticket: back to the
// moderator who handled it, or to the queue when nobody holds it.
const sqlReopen = `
UPDATE aspiration_tickets
SET status = CASE WHEN claimed_by IS NULL THEN 'baru' ELSE 'diproses' END,
    queued_at = CASE WHEN claimed_by IS NULL THEN $3::timestamptz ELSE queued_at END,
    claim_deadline = CASE WHEN claimed_by IS NULL THEN NULL ELSE $4::timestamptz END,
    closed_at = NULL, updated_at = $3
WHERE id = $1 AND resident_chat = $2 AND status IN ('dijawab', 'ditolak')
RETURNING ` + ticketColumns

const sqlTouch = `
UPDATE aspiration_tickets SET updated_at = $3 WHERE id = $1 AND resident_chat = $2
RETURNING ` + ticketColumns

// ResidentReply adds the resident's reply to their ticket's thread and
// passes it on to whoever handles the ticket. An answered or rejected
// ticket reopens. Another resident's ticket is ErrNotFound.
func (s *Service) ResidentReply(ctx context.Context, chatID int64, ticketNumber string, text string, att *Attachment) (Ticket, error) {
	text = message.TrimInvisible(text)
	if err := checkText(text, 1); err != nil && !(errors.Is(err, ErrTextTooShort) && att != nil) {
		return Ticket{}, err
	}
	cur, err := ticketByRef(ctx, s.db, ticketNumber)
	if err != nil || cur.ResidentChat != chatID || chatID == 0 {
		return Ticket{}, ErrNotFound
	}
	if att, err = checkAttachment(att, cur.Anonymous); err != nil {
		return Ticket{}, err
	}
	if att == nil && text == "" { // an anonymous ticket's location alone
		return Ticket{}, ErrTextTooShort
	}
	now := s.now()
	var t Ticket
	err = s.withTx(ctx, "adding resident reply", func(tx *sqlx.Tx) error {
		t, err = getTicket(ctx, tx, sqlReopen, cur.ID, chatID, now, now.Add(s.cfg.ClaimTimeout))
		reopened := err == nil
		if errors.Is(err, ErrNotFound) {
			t, err = getTicket(ctx, tx, sqlTouch, cur.ID, chatID, now)
		}
		if err != nil {
			return err
		}
		if err := addMessage(ctx, tx, t.ID, staff.RoleResident, 0, text, att, now); err != nil {
			return err
		}
		if reopened {
			if err := addEvent(ctx, tx, t, "reopened", staff.Actor{Role: staff.RoleResident}, "", now); err != nil {
				return err
			}
		}
		return s.queueReplyNote(ctx, tx, t, text, att, now)
	})
	if err != nil {
		return Ticket{}, err
	}
	s.kick()
	return t, nil
}

// queueReplyNote passes a resident's reply to the staff member holding the
// ticket, or to the operators of an escalated one, or to the moderators.
func (s *Service) queueReplyNote(ctx context.Context, tx *sqlx.Tx, t Ticket, text string, att *Attachment, now time.Time) error {
	p, err := placeOf(ctx, tx, t.VillageCode)
	if err != nil {
		return err
	}
	var chats []staff.Destination
	switch {
	case t.ClaimedBy != nil:
		chats = staff.Private([]int64{*t.ClaimedBy})
	case t.Status == StatusEscalated:
		chats, err = s.operatorChats(ctx, t.VillageCode)
	default:
		chats, err = s.moderatorChats(ctx, t.VillageCode)
	}
	if err != nil {
		return err
	}
	note := residentReplyNote(t, p, text, att)
	replyT := t
	replyT.Attachment = att
	return enqueue(ctx, tx, now, withAttachment(replyT, kindStaffNote, chats, note)...)
}

const sqlRate = `
UPDATE aspiration_tickets SET rating = $3, rated_at = $4
WHERE id = $1 AND resident_chat = $2 AND status = 'dijawab'
RETURNING ` + ticketColumns

// Rate keeps the resident's rating of the answer to their ticket (they
// may change their mind). Not their ticket: ErrNotFound; not answered:
// ErrBadTransition.
func (s *Service) Rate(ctx context.Context, chatID int64, ticketID int64, helpful bool) error {
	if chatID == 0 {
		return ErrNotFound
	}
	now := s.now()
	return s.withTx(ctx, "rating aspiration", func(tx *sqlx.Tx) error {
		t, err := getTicket(ctx, tx, sqlRate, ticketID, chatID, helpful, now)
		if errors.Is(err, ErrNotFound) {
			cur, gerr := getTicket(ctx, tx, sqlTicketByID, ticketID)
			if gerr != nil || cur.ResidentChat != chatID {
				return ErrNotFound
			}
			return ErrBadTransition
		}
		if err != nil {
			return fmt.Errorf("rating aspiration: %w", err)
		}
		note := "not_helpful"
		if helpful {
			note = "helpful"
		}
		return addEvent(ctx, tx, t, "rated", staff.Actor{Role: staff.RoleResident}, note, now)
	})
}

// Erasing keeps what the public record needs (text, village, category,
// status, times) and drops who sent it and where they stood.
const (
	sqlEraseOutbox = `
UPDATE aspiration_outbox SET status = 'failed', last_error = 'erased', finished_at = $2, payload = '{}'
WHERE chat_id = $1 AND status = 'pending'`
	sqlEraseMessages = `
UPDATE aspiration_messages SET attachment = NULL
WHERE from_role = 'resident' AND attachment->>'kind' = 'location'
  AND ticket_id IN (SELECT id FROM aspiration_tickets WHERE resident_chat = $1)`
	sqlEraseTickets = `
UPDATE aspiration_tickets
SET resident_chat = NULL, resident_name = '', anonymous = true, updated_at = $2,
    attachment = CASE WHEN attachment->>'kind' = 'location' THEN NULL ELSE attachment END
WHERE resident_chat = $1`
)

// EraseResident serves /hapusdata: the resident's tickets lose their chat
// id, name and location and become anonymous; pending news to them is
// dropped. The texts stay for the public record.
func (s *Service) EraseResident(ctx context.Context, chatID int64) error {
	now := s.now()
	return s.withTx(ctx, "erasing resident", func(tx *sqlx.Tx) error {
		for _, q := range []string{sqlEraseOutbox, sqlEraseMessages, sqlEraseTickets} {
			args := []any{chatID, now}
			if q == sqlEraseMessages {
				args = args[:1]
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("erasing resident: %w", err)
			}
		}
		return nil
	})
}
