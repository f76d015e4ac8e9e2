package aspirations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/pgsafe"
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
// status, times) and drops who sent it and where they stood: every
// message to their chat (sent or not: a sent one keeps the chat and
// message id), their locations, and the update id the ticket came from.
const (
	sqlEraseOutbox   = `DELETE FROM aspiration_outbox WHERE chat_id = $1`
	sqlEraseMessages = `
UPDATE aspiration_messages SET attachment = NULL
WHERE from_role = 'resident' AND attachment->>'kind' = 'location'
  AND ticket_id IN (SELECT id FROM aspiration_tickets WHERE resident_chat = $1)`
	sqlEraseTickets = `
UPDATE aspiration_tickets
SET resident_chat = NULL, resident_name = '', anonymous = true, updated_at = $2, source_key = NULL,
    attachment = CASE WHEN attachment->>'kind' = 'location' THEN NULL ELSE attachment END
WHERE resident_chat = $1`
)

// sqlPendingStaffPosts are the posts about a ticket still waiting to
// reach staff: rendered with the resident's name and location.
const sqlPendingStaffPosts = `
SELECT id, payload FROM aspiration_outbox
WHERE ticket_id = $1 AND status = 'pending' AND kind = ANY($2)
FOR UPDATE`

// EraseResident serves /hapusdata: the resident's tickets lose their chat
// id, name and location and become anonymous, posts about them still
// waiting for staff lose the same, and every outbox row to their chat is
// deleted. The texts stay for the public record (README, "What
// /hapusdata erases").
func (s *Service) EraseResident(ctx context.Context, chatID int64) error {
	now := s.now()
	return s.withTx(ctx, "erasing resident", func(tx *sqlx.Tx) error {
		if err := scrubStaffPosts(ctx, tx, chatID); err != nil {
			return err
		}
		for _, q := range []string{sqlEraseOutbox, sqlEraseMessages, sqlEraseTickets} {
			args := []any{chatID, now}
			if q != sqlEraseTickets {
				args = args[:1]
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("erasing resident: %w", err)
			}
		}
		return nil
	})
}

// scrubStaffPosts rewrites the pending posts about chatID's tickets as if
// the tickets had been anonymous from the start: the resident's label
// becomes the anonymous one and a location link goes.
func scrubStaffPosts(ctx context.Context, tx *sqlx.Tx, chatID int64) error {
	tickets, err := selectTickets(ctx, tx, sqlResidentTickets, chatID, nil) // LIMIT NULL: all
	if err != nil {
		return fmt.Errorf("finding the resident's tickets: %w", err)
	}
	kinds := pqStrings(slices.Sorted(maps.Keys(staffKinds)))
	for _, t := range tickets {
		var posts []struct {
			ID      int64  `db:"id"`
			Payload []byte `db:"payload"`
		}
		if err := tx.SelectContext(ctx, &posts, sqlPendingStaffPosts, t.ID, kinds); err != nil {
			return fmt.Errorf("finding posts to scrub: %w", err)
		}
		anon := t
		anon.Anonymous = true
		for _, p := range posts {
			var m message.Message
			if json.Unmarshal(p.Payload, &m) != nil || m.Text == "" {
				continue // an attachment: its caption names only the ticket
			}
			m.Text = strings.ReplaceAll(m.Text, residentLabel(t), residentLabel(anon))
			if a := t.Attachment; a != nil && a.Kind == AttachLocation {
				m.Text = strings.ReplaceAll(m.Text, attachmentNote(a), "")
			}
			payload, err := json.Marshal(m)
			if err != nil {
				return fmt.Errorf("encoding a scrubbed post: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE aspiration_outbox SET payload = $2 WHERE id = $1`, p.ID, string(pgsafe.JSON(payload))); err != nil {
				return fmt.Errorf("scrubbing a post: %w", err)
			}
		}
	}
	return nil
}
