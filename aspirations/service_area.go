package aspirations

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// ServiceWindow is how far back AreaService counts: 90 days, the window
// of a KIM's status (issue 12).
const ServiceWindow = 90 * 24 * time.Hour

// AreaServiceEvery is how often one replica refreshes the area_service
// table (RunAreaService).
const AreaServiceEvery = time.Minute

// AreaService is how an area's tickets are served, as of its last
// refresh: Open and Overdue (open longer than UnclaimedEscalateAfter,
// 72 h), and over ServiceWindow, Received (filed in it), Answered (first
// answered in it) and MedianFirstResponse of those answers (0 when none).
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

// One pass over the tickets in play (filed in the window, still open, or
// answered in it), grouped four ways and in all (the empty area, the
// country: a row even when no ticket is in play, so ServiceAsOf always
// moves); work_mem keeps a province's sorts for the medians in memory.
// Areas without tickets in play any more are dropped by the refresh
// stamp. $1 window start, $2 overdue line, $3 now.
const sqlRefreshAreaService = `
WITH t AS (
    SELECT village_code, left(village_code, 8) AS district, left(village_code, 5) AS regency,
        left(village_code, 2) AS province, status, created_at, first_response_at
    FROM aspiration_tickets
    WHERE created_at >= $1 OR status IN ` + openStatuses + ` OR first_response_at >= $1
)
INSERT INTO area_service (area, open, overdue, received, answered, median_s, refreshed_at)
SELECT COALESCE(village_code, district, regency, province, ''),
    count(*) FILTER (WHERE status IN ` + openStatuses + `),
    count(*) FILTER (WHERE status IN ` + openStatuses + ` AND created_at < $2),
    count(*) FILTER (WHERE created_at >= $1),
    count(*) FILTER (WHERE first_response_at >= $1),
    COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))
        FILTER (WHERE first_response_at >= $1), 0),
    $3
FROM t
GROUP BY GROUPING SETS ((village_code), (district), (regency), (province), ())
ON CONFLICT (area) DO UPDATE SET open = EXCLUDED.open, overdue = EXCLUDED.overdue, received = EXCLUDED.received,
    answered = EXCLUDED.answered, median_s = EXCLUDED.median_s, refreshed_at = EXCLUDED.refreshed_at`

// areaServiceLock keeps two replicas from refreshing at once.
const areaServiceLock = 1802071395

// RefreshAreaService recounts area_service now, unless another replica is
// at it (then it returns false).
func (s *Service) RefreshAreaService(ctx context.Context) (bool, error) {
	now := s.now()
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("refreshing area service: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var mine bool
	if err := tx.GetContext(ctx, &mine, `SELECT pg_try_advisory_xact_lock($1)`, areaServiceLock); err != nil || !mine {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL work_mem = '64MB'`); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, sqlRefreshAreaService, now.Add(-ServiceWindow),
		now.Add(-s.cfg.UnclaimedEscalateAfter), now); err != nil {
		return false, fmt.Errorf("refreshing area service: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM area_service WHERE refreshed_at < $1`, now); err != nil {
		return false, fmt.Errorf("refreshing area service: %w", err)
	}
	return true, tx.Commit()
}

// RunAreaService refreshes area_service at once and then every
// AreaServiceEvery until ctx ends.
func (s *Service) RunAreaService(ctx context.Context) error {
	t := time.NewTicker(AreaServiceEvery)
	defer t.Stop()
	for {
		if _, err := s.RefreshAreaService(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("refreshing area service failed; the map shows the last figures", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ServiceAsOf is when area_service was last refreshed (zero: never).
func (s *Service) ServiceAsOf(ctx context.Context) (time.Time, error) {
	var at *time.Time
	if err := s.db.GetContext(ctx, &at, `SELECT max(refreshed_at) FROM area_service`); err != nil || at == nil {
		return time.Time{}, err
	}
	return *at, nil
}

// ServiceByVillage returns the service of every village inside within
// that has tickets in play (villages without are left out). within must
// lie in actor's scope (ErrForbidden).
func (s *Service) ServiceByVillage(ctx context.Context, actor staff.Actor, within region.Code) ([]AreaService, error) {
	if !actor.IsStaff() || !actor.Allows(within) {
		return nil, ErrForbidden
	}
	var out []AreaService
	err := s.db.SelectContext(ctx, &out, `SELECT area, open, overdue, received, answered, median_s FROM area_service
WHERE area LIKE $1 AND length(area) = 13`, string(within)+"%")
	if err != nil {
		return nil, fmt.Errorf("reading service by village: %w", err)
	}
	return withMedians(out), nil
}

// ServiceOfAreas returns the service of each area (a village, kecamatan,
// kabupaten/kota or province), each inside actor's scope (ErrForbidden);
// an area without tickets in play is absent from the map.
func (s *Service) ServiceOfAreas(ctx context.Context, actor staff.Actor, areas []region.Code) (map[region.Code]AreaService, error) {
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
	err := s.db.SelectContext(ctx, &rows, `SELECT area, open, overdue, received, answered, median_s FROM area_service
WHERE area = ANY($1)`, list)
	if err != nil {
		return nil, fmt.Errorf("reading service of areas: %w", err)
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
