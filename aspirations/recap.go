package aspirations

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// RecapFigures are one area's aspirations for a period, counted over the
// tickets received in it (a cohort): how many came in, how many of them
// have been answered at least once (a rejection or an escalation is no
// answer), the median and 90th percentile of their time to the first
// response (answer, rejection or escalation, as the service levels count
// it; nil when none had one), and the residents' ratings of them.
type RecapFigures struct {
	Received     int            `db:"received"`
	Answered     int            `db:"answered"`
	Responded    int            `db:"responded"`
	Median       *time.Duration `db:"-"`
	P90          *time.Duration `db:"-"`
	Rated        int            `db:"rated"`
	RatedHelpful int            `db:"helpful"`
}

// HelpfulShare is the share of rated tickets rated helpful (0–1), and
// false when none was rated.
func (f RecapFigures) HelpfulShare() (float64, bool) {
	if f.Rated == 0 {
		return 0, false
	}
	return float64(f.RatedHelpful) / float64(f.Rated), true
}

// Each ticket counts once per area (AreaParams drops nested codes), and
// only inside the actor's scope ($5, $6).
var sqlRecap = `
WITH m AS (
    SELECT DISTINCT g.idx, t.id
    FROM aspiration_tickets t
    CROSS JOIN LATERAL ` + region.Ancestors("t.village_code") + ` AS anc(code)
    JOIN unnest($3::int[], $4::text[]) AS g(idx, code) ON g.code = anc.code
    WHERE t.created_at >= $1 AND t.created_at < $2 AND (t.village_code = $5 OR t.village_code LIKE $6)
)
SELECT m.idx,
       count(*) AS received,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM aspiration_events e WHERE e.ticket_id = t.id AND e.kind = 'answered')) AS answered,
       count(t.first_response_at) AS responded,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM t.first_response_at - t.created_at)) AS median_s,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM t.first_response_at - t.created_at)) AS p90_s,
       count(t.rating) AS rated,
       count(*) FILTER (WHERE t.rating) AS helpful
FROM m JOIN aspiration_tickets t ON t.id = m.id
GROUP BY m.idx`

type recapRow struct {
	RecapFigures
	Idx     int      `db:"idx"`
	MedianS *float64 `db:"median_s"`
	P90S    *float64 `db:"p90_s"`
}

// Recap counts, for each area, the aspirations received from from until
// to (exclusive) in the actor's scope; the result is index-aligned with
// areas, zeros for an area without any.
func (s *Service) Recap(ctx context.Context, actor staff.Actor, from, to time.Time, areas []region.Area) ([]RecapFigures, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	idx, codes := region.AreaParams(areas)
	var rows []recapRow
	err := s.db.SelectContext(ctx, &rows, sqlRecap, from, to, pq.Array(idx), pq.Array(codes),
		string(actor.Scope), actor.Scope.LikePattern())
	if err != nil {
		return nil, fmt.Errorf("recapping aspirations: %w", err)
	}
	out := make([]RecapFigures, len(areas))
	for _, r := range rows {
		f := r.RecapFigures
		f.Median, f.P90 = seconds(r.MedianS), seconds(r.P90S)
		out[r.Idx] = f
	}
	return out, nil
}

func seconds(s *float64) *time.Duration {
	if s == nil {
		return nil
	}
	d := time.Duration(*s * float64(time.Second)).Round(time.Second)
	return &d
}
