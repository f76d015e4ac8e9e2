package aspirations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// Every staff statement filters by scope with these two parameters:
// village_code = scope OR village_code LIKE scope.%  (the admin: ” and %).
const scopeFilter = `(village_code = $5 OR village_code LIKE $6)`

// staffArgs are the parameters every guarded staff UPDATE shares:
// $1 ticket, $2 actor id (NULL for the admin), $3 actor name, $4 now,
// $5/$6 scope, $7 admin, $8 may take escalated tickets.
func staffArgs(a staff.Actor, id int64, now time.Time) []any {
	var actorID any
	if a.TelegramID != 0 {
		actorID = a.TelegramID
	}
	return []any{id, actorID, a.DisplayName(), now, string(a.Scope), a.Scope.LikePattern(),
		a.IsAdmin(), a.IsOperator()}
}

// mayAct is the guard shared by answer and reject: an unclaimed ticket,
// one the actor holds (any for the admin), or an escalated one for staff
// who take escalations.
const mayAct = `(status = 'baru' OR (status = 'diproses' AND (claimed_by = $2 OR $7)) OR (status = 'diteruskan' AND $8))`

// change runs one guarded UPDATE for actor and, inside the same
// transaction, records the event and queues the news. When the UPDATE
// matches nothing it tells why: not found, out of scope, held by someone
// else, or not possible from the ticket's status.
func (s *Service) change(ctx context.Context, actor staff.Actor, id int64, kind, note, query string, extra []any,
	after func(tx *sqlx.Tx, t Ticket, now time.Time) error) (Ticket, error) {
	if !actor.IsStaff() {
		return Ticket{}, ErrForbidden
	}
	now := s.now()
	var t Ticket
	err := s.withTx(ctx, kind+" aspiration", func(tx *sqlx.Tx) error {
		var err error
		t, err = getTicket(ctx, tx, query, append(staffArgs(actor, id, now), extra...)...)
		if errors.Is(err, ErrNotFound) {
			return whyNot(ctx, tx, actor, id)
		}
		if err != nil {
			return fmt.Errorf("%s aspiration: %w", kind, err)
		}
		if err := addEvent(ctx, tx, t, kind, actor, note, now); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, actor.Audit(now, auditActions[kind], t.VillageCode, t.Number)); err != nil {
			return err
		}
		return after(tx, t, now)
	})
	if err != nil {
		return Ticket{}, err
	}
	s.kick()
	s.log.Info("aspiration "+kind, "ticket", t.Number, "status", string(t.Status), "actor_role", string(actor.Role))
	return t, nil
}

// auditActions name each staff change in the audit log (internal/audit),
// whatever the transport: chat, console or CLI.
var auditActions = map[string]string{
	"claimed":   "ambil_aspirasi",
	"answered":  "jawab_aspirasi",
	"rejected":  "tolak_aspirasi",
	"escalated": "teruskan_aspirasi",
}

// whyNot explains a guarded UPDATE that matched no row.
func whyNot(ctx context.Context, q sqlx.QueryerContext, actor staff.Actor, id int64) error {
	t, err := getTicket(ctx, q, sqlTicketByID, id)
	if err != nil {
		return err
	}
	if !actor.Scope.Contains(t.VillageCode) {
		return ErrForbidden
	}
	if t.Status == StatusClaimed && t.ClaimedBy != nil && *t.ClaimedBy != actor.TelegramID {
		return &ClaimedError{ByID: *t.ClaimedBy, ByName: t.ClaimedByName}
	}
	return ErrBadTransition
}

const sqlClaim = `
UPDATE aspiration_tickets
SET status = 'diproses', claimed_by = $2, claimed_by_name = $3, claimed_at = $4, claim_deadline = $9, updated_at = $4
WHERE id = $1 AND ` + scopeFilter + ` AND $2::bigint IS NOT NULL AND $7::boolean IS NOT NULL
  AND (status = 'baru' OR (status = 'diteruskan' AND $8))
RETURNING ` + ticketColumns

// Claim takes a new (or, for operators, an escalated) ticket. Of two
// moderators pressing Ambil at once exactly one wins; the other gets a
// *ClaimedError (errors.Is ErrAlreadyClaimed) naming the winner. Claiming
// a ticket one already holds returns it unchanged.
func (s *Service) Claim(ctx context.Context, actor staff.Actor, ticketID int64) (Ticket, error) {
	deadline := s.now().Add(s.cfg.ClaimTimeout)
	t, err := s.change(ctx, actor, ticketID, "claimed", "", sqlClaim, []any{deadline},
		func(tx *sqlx.Tx, t Ticket, now time.Time) error {
			if t.EscalatedAt != nil { // the resident was told it went to Diskominfo
				return nil
			}
			return s.tellResident(ctx, tx, t, kindStatus, statusMessage("aspo.res_claimed", t), now)
		})
	if errors.Is(err, ErrBadTransition) && actor.TelegramID != 0 {
		if cur, gerr := getTicket(ctx, s.db, sqlTicketByID, ticketID); gerr == nil &&
			cur.Status == StatusClaimed && cur.ClaimedBy != nil && *cur.ClaimedBy == actor.TelegramID {
			return cur, nil
		}
	}
	return t, err
}

const sqlAnswer = `
UPDATE aspiration_tickets
SET status = 'dijawab', claimed_by = $2, claimed_by_name = $3, claimed_at = COALESCE(claimed_at, $4),
    answered_by = $2, answered_by_name = $3, first_response_at = COALESCE(first_response_at, $4),
    closed_at = $4, claim_deadline = NULL, reject_reason = '', updated_at = $4
WHERE id = $1 AND ` + scopeFilter + ` AND ` + mayAct + `
RETURNING ` + ticketColumns

// Answer answers a ticket (claiming it if nobody had), adds the answer to
// the thread and queues it to the resident with rating buttons.
func (s *Service) Answer(ctx context.Context, actor staff.Actor, ticketID int64, text string) (Ticket, error) {
	text = message.TrimInvisible(text)
	if err := checkText(text, 1); err != nil {
		return Ticket{}, err
	}
	return s.change(ctx, actor, ticketID, "answered", "", sqlAnswer, nil,
		func(tx *sqlx.Tx, t Ticket, now time.Time) error {
			s.metrics.observeResponse(t, t.FirstResponseAt != nil && t.FirstResponseAt.Equal(now), true, now)
			if err := addMessage(ctx, tx, t.ID, actor.Role, actor.TelegramID, text, nil, now); err != nil {
				return err
			}
			return s.tellResident(ctx, tx, t, kindAnswer, answerMessage(t, text, actor.DisplayName()), now)
		})
}

const sqlReject = `
UPDATE aspiration_tickets
SET status = 'ditolak', claimed_by = $2, claimed_by_name = $3, claimed_at = COALESCE(claimed_at, $4),
    answered_by = $2, answered_by_name = $3, first_response_at = COALESCE(first_response_at, $4),
    closed_at = $4, claim_deadline = NULL, reject_reason = $9, updated_at = $4
WHERE id = $1 AND ` + scopeFilter + ` AND ` + mayAct + `
RETURNING ` + ticketColumns

// Reject closes a ticket with a reason the resident is told.
func (s *Service) Reject(ctx context.Context, actor staff.Actor, ticketID int64, reason string) (Ticket, error) {
	reason = message.TrimInvisible(reason)
	if err := checkText(reason, 3); err != nil {
		return Ticket{}, err
	}
	return s.change(ctx, actor, ticketID, "rejected", "", sqlReject, []any{reason},
		func(tx *sqlx.Tx, t Ticket, now time.Time) error {
			s.metrics.observeResponse(t, t.FirstResponseAt != nil && t.FirstResponseAt.Equal(now), true, now)
			if err := addMessage(ctx, tx, t.ID, actor.Role, actor.TelegramID, reason, nil, now); err != nil {
				return err
			}
			return s.tellResident(ctx, tx, t, kindRejected, rejectedMessage(t, reason), now)
		})
}

const sqlEscalate = `
UPDATE aspiration_tickets
SET status = 'diteruskan', escalated_at = $4, first_response_at = COALESCE(first_response_at, $4),
    claimed_by = NULL, claimed_by_name = '', claim_deadline = NULL, updated_at = $4
WHERE id = $1 AND ` + scopeFilter + ` AND $3::text IS NOT NULL AND $8::boolean IS NOT NULL
  AND (status = 'baru' OR (status = 'diproses' AND (claimed_by = $2 OR $7)))
RETURNING ` + ticketColumns

// Escalate forwards a ticket to the operators covering its village (with
// the moderator's note) and tells the resident.
func (s *Service) Escalate(ctx context.Context, actor staff.Actor, ticketID int64, note string) (Ticket, error) {
	note = message.TrimInvisible(note)
	if n := message.UTF16Len(note); n > MaxNoteLen {
		return Ticket{}, &TooLongError{Len: n, Max: MaxNoteLen}
	}
	return s.change(ctx, actor, ticketID, "escalated", note, sqlEscalate, nil,
		func(tx *sqlx.Tx, t Ticket, now time.Time) error {
			s.metrics.observeResponse(t, t.FirstResponseAt != nil && t.FirstResponseAt.Equal(now), false, now)
			return s.queueEscalation(ctx, tx, t, note, now)
		})
}

// queueEscalation queues the post to the operators and the news to the
// resident.
func (s *Service) queueEscalation(ctx context.Context, tx *sqlx.Tx, t Ticket, note string, now time.Time) error {
	p, err := placeOf(ctx, tx, t.VillageCode)
	if err != nil {
		return err
	}
	ops, err := s.operatorChats(ctx, t.VillageCode)
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		s.log.Warn("escalated aspiration has no operator", "ticket", t.Number, "village", string(t.VillageCode))
	}
	if err := enqueue(ctx, tx, now, withAttachment(t, kindEscalation, ops, s.escalationPost(t, p, note))...); err != nil {
		return err
	}
	return s.tellResident(ctx, tx, t, kindStatus, statusMessage("aspo.res_escalated", t), now)
}

// tellResident queues news to the ticket's resident, unless they erased
// their data.
func (s *Service) tellResident(ctx context.Context, tx *sqlx.Tx, t Ticket, kind string, m message.Message, now time.Time) error {
	if t.ResidentChat == 0 {
		return nil
	}
	return enqueue(ctx, tx, now, outboxItem{ticketID: t.ID, kind: kind, chatID: t.ResidentChat, msg: m})
}
