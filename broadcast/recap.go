package broadcast

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// AreaAnnouncements are what one area received in a period: the runs
// fired then whose targets reach into it (an announcement to the city
// counts for each of its kecamatan, one to a kelurahan for its kecamatan),
// whoever sent them, and the messages delivered to its residents by
// those runs.
type AreaAnnouncements struct {
	Runs      int
	Delivered int
}

// A target reaches an area when one holds the other: the target is one
// of the area code's ancestors, or the area code one of the target's.
var sqlAreaRuns = `
WITH g AS (SELECT * FROM unnest($3::int[], $4::text[]) AS g(idx, code)),
tg AS (
    SELECT DISTINCT r.id, t.code
    FROM runs r JOIN schedules s ON s.id = r.schedule_id, unnest(s.targets) AS t(code)
    WHERE r.fire_at >= $1 AND r.fire_at < $2
)
SELECT idx, count(DISTINCT id) AS n FROM (
    SELECT g.idx, tg.id FROM g CROSS JOIN LATERAL ` + region.Ancestors("g.code") + ` AS anc(code) JOIN tg ON tg.code = anc.code
    UNION ALL
    SELECT g.idx, tg.id FROM tg CROSS JOIN LATERAL ` + region.Ancestors("tg.code") + ` AS anc(code) JOIN g ON g.code = anc.code
) x GROUP BY idx`

// Delivered: a finished run's summary holds each village as it was; a
// run still in flight counts its sent rows under the resident's current
// village (as the run report does).
var sqlAreaDelivered = `
WITH g AS (SELECT * FROM unnest($3::int[], $4::text[]) AS g(idx, code))
SELECT idx, sum(n)::bigint AS n FROM (
    SELECT g.idx, c.sent AS n
    FROM runs r
    JOIN run_region_counts c ON c.run_id = r.id
    CROSS JOIN LATERAL ` + region.Ancestors("c.village_code") + ` AS anc(code)
    JOIN g ON g.code = anc.code
    WHERE r.fire_at >= $1 AND r.fire_at < $2 AND r.summarized_at IS NOT NULL
    UNION ALL
    SELECT g.idx, 1 AS n
    FROM runs r
    JOIN deliveries d ON d.run_id = r.id AND d.status = 'sent'
    JOIN subscribers sb ON sb.chat_id = d.chat_id
    CROSS JOIN LATERAL ` + region.Ancestors("sb.village_code") + ` AS anc(code)
    JOIN g ON g.code = anc.code
    WHERE r.fire_at >= $1 AND r.fire_at < $2 AND r.summarized_at IS NULL
) x GROUP BY idx`

// AreaAnnouncements counts, for each area inside by's scope, the runs
// and deliveries from from until to (exclusive); the result is
// index-aligned with areas. Staff only: it is part of the monthly recap
// both moderators and operators read.
func (s *Schedules) AreaAnnouncements(ctx context.Context, by staff.Actor, from, to time.Time, areas []region.Area) ([]AreaAnnouncements, error) {
	if !by.IsStaff() {
		return nil, ErrNotFound
	}
	for _, a := range areas {
		for _, c := range a.Codes {
			if !by.Scope.Contains(c) {
				return nil, fmt.Errorf("area %q lies outside the scope: %w", a.Name, ErrNotFound)
			}
		}
	}
	idx, codes := region.AreaParams(areas)
	args := []any{from, to, pq.Array(idx), pq.Array(codes)}
	out := make([]AreaAnnouncements, len(areas))
	var rows []struct {
		Idx int `db:"idx"`
		N   int `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &rows, sqlAreaRuns, args...); err != nil {
		return nil, fmt.Errorf("counting runs per area: %w", err)
	}
	for _, r := range rows {
		out[r.Idx].Runs = r.N
	}
	rows = rows[:0]
	if err := s.db.SelectContext(ctx, &rows, sqlAreaDelivered, args...); err != nil {
		return nil, fmt.Errorf("counting deliveries per area: %w", err)
	}
	for _, r := range rows {
		out[r.Idx].Delivered = r.N
	}
	return out, nil
}
