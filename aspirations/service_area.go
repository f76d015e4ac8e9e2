package aspirations

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// AreaService is how an area's tickets were served: Open and Overdue
// now (overdue: open longer than UnclaimedEscalateAfter, 72 h), and over
// the window asked for, Received (filed in it), Answered (first answered
// in it) and MedianFirstResponse of those answers (0 when none).
type AreaService struct {
	Area                region.Code   `db:"area"`
	Open                int           `db:"open"`
	Overdue             int           `db:"overdue"`
	Received            int           `db:"received"`
	Answered            int           `db:"answered"`
	MedianFirstResponse time.Duration `db:"-"`
	MedianSeconds       float64       `db:"median_s"`
}

const openStatuses = `('baru', 'diproses', 'diteruskan')`

// The counts of one group of tickets; $2 is the window's start, $3 the
// overdue line.
const sqlServiceCounts = `
    count(*) FILTER (WHERE status IN ` + openStatuses + `) AS open,
    count(*) FILTER (WHERE status IN ` + openStatuses + ` AND created_at < $3) AS overdue,
    count(*) FILTER (WHERE created_at >= $2) AS received,
    count(*) FILTER (WHERE first_response_at >= $2) AS answered,
    COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))
        FILTER (WHERE first_response_at >= $2), 0) AS median_s`

// A ticket filed before the window counts when it is still open or was
// answered within it.
const sqlServiceRows = `(created_at >= $2 OR status IN ` + openStatuses + ` OR first_response_at >= $2)`

// Villages are read as one range of aspiration_tickets_village_idx.
const sqlServiceByVillage = `
SELECT village_code AS area,` + sqlServiceCounts + `
FROM aspiration_tickets
WHERE village_code LIKE $1 AND ` + sqlServiceRows + `
GROUP BY village_code`

// Each area is its own range ("35.73.05" up to "35.73.05/": "/" follows
// "." in byte order), so a KIM kecamatan counts its villages.
const sqlServiceOfAreas = `
SELECT a.area,` + sqlServiceCounts + `
FROM unnest($1::text[]) a(area)
LEFT JOIN aspiration_tickets t ON t.village_code >= a.area AND t.village_code < a.area || '/' AND ` + sqlServiceRows + `
GROUP BY a.area`

// ServiceByVillage returns the service of every village inside within
// that has tickets in play since since (villages without are left out).
// within must lie in actor's scope (ErrForbidden).
func (s *Service) ServiceByVillage(ctx context.Context, actor staff.Actor, within region.Code, since time.Time) ([]AreaService, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	if !actor.Allows(within) {
		return nil, ErrForbidden
	}
	var out []AreaService
	err := s.db.SelectContext(ctx, &out, sqlServiceByVillage, string(within)+"%", since,
		s.now().Add(-s.cfg.UnclaimedEscalateAfter))
	if err != nil {
		return nil, fmt.Errorf("counting service by village: %w", err)
	}
	return withMedians(out), nil
}

// ServiceOfAreas returns the service of each area (a village or a
// kecamatan: a KIM's), each inside actor's scope (ErrForbidden).
func (s *Service) ServiceOfAreas(ctx context.Context, actor staff.Actor, areas []region.Code, since time.Time) (map[region.Code]AreaService, error) {
	if !actor.IsStaff() {
		return nil, ErrForbidden
	}
	list := make(pq.StringArray, 0, len(areas))
	for _, a := range areas {
		if a == "" || !actor.Allows(a) {
			return nil, ErrForbidden
		}
		list = append(list, string(a))
	}
	var rows []AreaService
	err := s.db.SelectContext(ctx, &rows, sqlServiceOfAreas, list, since, s.now().Add(-s.cfg.UnclaimedEscalateAfter))
	if err != nil {
		return nil, fmt.Errorf("counting service of areas: %w", err)
	}
	out := make(map[region.Code]AreaService, len(rows))
	for _, r := range withMedians(rows) {
		out[r.Area] = r
	}
	return out, nil
}

func withMedians(rows []AreaService) []AreaService {
	for i := range rows {
		rows[i].MedianFirstResponse = time.Duration(rows[i].MedianSeconds * float64(time.Second)).Round(time.Second)
	}
	return rows
}
