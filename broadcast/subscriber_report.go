package broadcast

import (
	"context"
	"fmt"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// VillageCounts is one kelurahan/desa's subscribers by status.
type VillageCounts struct {
	Code     region.Code `db:"code"`
	Village  string      `db:"village"`
	District string      `db:"district"`
	Active   int         `db:"active"`
	Stopped  int         `db:"stopped"`
	Blocked  int         `db:"blocked"`
}

// Villages with no subscriber are listed too (with zeros): an office
// wants to see where nobody subscribed yet. The counts come from the
// counters the triggers keep (migration 00017), so a province costs its
// villages, not its subscribers.
const sqlSubscribersByVillage = `
SELECT v.code, v.name AS village, COALESCE(k.name, '') AS district,
  COALESCE(sum(c.n) FILTER (WHERE c.status = 'active'), 0) AS active,
  COALESCE(sum(c.n) FILTER (WHERE c.status = 'stopped'), 0) AS stopped,
  COALESCE(sum(c.n) FILTER (WHERE c.status = 'blocked'), 0) AS blocked
FROM regions v
LEFT JOIN regions k ON k.code = v.parent_code
LEFT JOIN subscriber_counts c ON c.village_code = v.code
WHERE v.level = 4 AND v.code LIKE $3 AND (v.code = $1 OR v.code LIKE $2)
GROUP BY v.code, v.name, k.name
ORDER BY v.code`

// SubscribersByVillage calls fn for every kelurahan/desa inside by's
// scope (and inside within, when it is set) with its subscriber counts,
// in code order. Staff may read it; within outside their scope is
// ErrForbidden.
func (s *Subscribers) SubscribersByVillage(ctx context.Context, by staff.Actor, within region.Code, fn func(VillageCounts) error) error {
	if !by.IsStaff() {
		return ErrForbidden
	}
	scope := by.Scope
	if within != "" {
		if !scope.Contains(within) {
			return ErrForbidden
		}
		scope = within
	}
	// The first LIKE (a plain prefix) lets the planner use the code index.
	rows, err := s.db.QueryxContext(ctx, sqlSubscribersByVillage, string(scope), scope.LikePattern(), string(scope)+"%")
	if err != nil {
		return fmt.Errorf("counting subscribers by village: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v VillageCounts
		if err := rows.StructScan(&v); err != nil {
			return fmt.Errorf("reading subscribers by village: %w", err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}
