package aspirations

import (
	"context"
	"errors"
	"fmt"

	"github.com/kimbot/kimbot/staff"
)

// defaultQueue is what staff see when they name no status: moderators the
// tickets waiting for the KIM, operators also the escalated ones.
func defaultQueue(a staff.Actor) []Status {
	if a.Role == staff.RoleModerator {
		return []Status{StatusNew, StatusClaimed}
	}
	return []Status{StatusNew, StatusClaimed, StatusEscalated}
}

func statusStrings(st []Status) []string {
	out := make([]string, len(st))
	for i, s := range st {
		out[i] = string(s)
	}
	return out
}

// queueScope is the scope filter of the queue and the report. The first
// LIKE ($4 = scope + "%") is one index range on village_code
// text_pattern_ops, which the exact test after it (= scope OR LIKE
// scope.%) is not; region codes have fixed-width segments, so the two
// select the same rows.
const queueScope = `village_code LIKE $4 AND (village_code = $2 OR village_code LIKE $3)`

// Queue lists the tickets in the actor's scope with the given statuses
// (default: the open ones), oldest first, and how many there are in all.
func (s *Service) Queue(ctx context.Context, actor staff.Actor, status []Status, offset, limit int) ([]Ticket, int, error) {
	return s.QueueFiltered(ctx, actor, QueueFilter{Status: status}, offset, limit)
}

const sqlGetScoped = `
SELECT ` + ticketColumns + ` FROM aspiration_tickets
WHERE (number = $1 OR id = $2) AND (village_code = $3 OR village_code LIKE $4)`

// Get returns a ticket in the actor's scope, by number (any spelling) or
// id, with its thread. Outside the scope it is ErrForbidden.
func (s *Service) Get(ctx context.Context, actor staff.Actor, ticketNumberOrID string) (Ticket, []Message, error) {
	if !actor.IsStaff() {
		return Ticket{}, nil, ErrForbidden
	}
	found, err := ticketByRef(ctx, s.db, ticketNumberOrID)
	if err != nil {
		return Ticket{}, nil, err
	}
	t, err := getTicket(ctx, s.db, sqlGetScoped, found.Number, found.ID, string(actor.Scope), actor.Scope.LikePattern())
	if errors.Is(err, ErrNotFound) {
		return Ticket{}, nil, ErrForbidden
	}
	if err != nil {
		return Ticket{}, nil, fmt.Errorf("reading ticket: %w", err)
	}
	msgs, err := thread(ctx, s.db, t.ID)
	return t, msgs, err
}
