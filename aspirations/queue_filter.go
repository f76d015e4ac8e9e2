package aspirations

import (
	"context"
	"fmt"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// QueueFilter narrows a queue inside the actor's scope; zero values mean
// everything the actor's queue shows by default.
type QueueFilter struct {
	// Status: nil is the actor's default queue (the open tickets).
	Status []Status
	// Category: "" is every category.
	Category Category
	// Areas are region codes (a kelurahan, a kecamatan) of which a ticket's
	// village must lie in one; nil is the whole scope. A KIM's filter is
	// the list of villages it serves. Codes outside the scope select
	// nothing: the scope filter still applies.
	Areas []region.Code
}

// MaxPage is the most tickets Queue returns at once.
const MaxPage = 100

// MaxAreas bounds QueueFilter.Areas (a KIM kecamatan serves a few dozen
// villages; a city has a few hundred).
const MaxAreas = 1000

// Narrow scopes use aspiration_tickets_queue_idx, wide ones
// aspiration_tickets_open_idx (see migration 00006). $5 is a category or
// ”; $6 and $7 the areas and their LIKE patterns, both empty for all.
const queueFilterWhere = `status = ANY($1) AND ` + queueScope + `
  AND ($5 = '' OR category = $5)
  AND (cardinality($6::text[]) = 0 OR village_code = ANY($6) OR village_code LIKE ANY($7))`

const sqlQueueCount = `SELECT count(*) FROM aspiration_tickets WHERE ` + queueFilterWhere

const sqlQueuePage = `
SELECT ` + ticketColumns + ` FROM aspiration_tickets
WHERE ` + queueFilterWhere + `
ORDER BY created_at, id
OFFSET $8 LIMIT $9`

// QueueFiltered lists the tickets in the actor's scope that f selects,
// oldest first, and how many there are in all.
func (s *Service) QueueFiltered(ctx context.Context, actor staff.Actor, f QueueFilter, offset, limit int) ([]Ticket, int, error) {
	if !actor.IsStaff() {
		return nil, 0, ErrForbidden
	}
	if len(f.Areas) > MaxAreas {
		return nil, 0, fmt.Errorf("queue filter: %d areas, at most %d", len(f.Areas), MaxAreas)
	}
	status := f.Status
	if len(status) == 0 {
		status = defaultQueue(actor)
	}
	limit = min(max(limit, 1), MaxPage)
	offset = max(offset, 0)
	areas, likes := make([]string, len(f.Areas)), make([]string, len(f.Areas))
	for i, a := range f.Areas {
		areas[i], likes[i] = string(a), a.LikePattern()
	}
	args := []any{pqStrings(statusStrings(status)), string(actor.Scope), actor.Scope.LikePattern(), string(actor.Scope) + "%",
		string(f.Category), pqStrings(areas), pqStrings(likes)}
	var total int
	if err := s.db.GetContext(ctx, &total, sqlQueueCount, args...); err != nil {
		return nil, 0, fmt.Errorf("counting queue: %w", err)
	}
	if offset >= total {
		return nil, total, nil
	}
	ts, err := selectTickets(ctx, s.db, sqlQueuePage, append(args, offset, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("reading queue: %w", err)
	}
	return ts, total, nil
}
