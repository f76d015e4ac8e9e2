package broadcast

import (
	"context"
	"fmt"
	"time"

	"github.com/kimbot/kimbot/region"
)

// Summary is a scope's subscribers now and the active ones over the last
// days, from the counters triggers keep (migration 00017): reading it
// costs the same for ten subscribers as for a million.
type Summary struct {
	Active, Stopped, Blocked int64
	// Daily is the number of active subscribers at the end of each of the
	// last days, oldest first; the last entry is today (so far).
	Daily []DayCount
}

// DayCount is a day's count.
type DayCount struct {
	Day   time.Time // midnight UTC of the database server's date
	Count int64
}

const sqlSummaryCounts = `
SELECT
    COALESCE(sum(n) FILTER (WHERE status = 'active'), 0) AS active,
    COALESCE(sum(n) FILTER (WHERE status = 'stopped'), 0) AS stopped,
    COALESCE(sum(n) FILTER (WHERE status = 'blocked'), 0) AS blocked,
    current_date AS today
FROM subscriber_counts WHERE village_code = $1 OR village_code LIKE $2`

const sqlSummaryDaily = `
SELECT day, sum(active_delta) AS delta FROM subscriber_daily
WHERE day > current_date - $3::int AND (village_code = $1 OR village_code LIKE $2)
GROUP BY day`

// Summary counts scope's subscribers (the admin's "" is all) and the
// active ones at the end of each of the last days (1–366).
func (s *Subscribers) Summary(ctx context.Context, scope region.Code, days int) (Summary, error) {
	if days < 1 || days > 366 {
		return Summary{}, fmt.Errorf("summary of %d days: want 1 to 366", days)
	}
	var now struct {
		Active  int64     `db:"active"`
		Stopped int64     `db:"stopped"`
		Blocked int64     `db:"blocked"`
		Today   time.Time `db:"today"`
	}
	if err := s.db.GetContext(ctx, &now, sqlSummaryCounts, string(scope), scope.LikePattern()); err != nil {
		return Summary{}, fmt.Errorf("counting subscribers: %w", err)
	}
	var deltas []struct {
		Day   time.Time `db:"day"`
		Delta int64     `db:"delta"`
	}
	if err := s.db.SelectContext(ctx, &deltas, sqlSummaryDaily, string(scope), scope.LikePattern(), days); err != nil {
		return Summary{}, fmt.Errorf("reading subscriber growth: %w", err)
	}
	change := make(map[time.Time]int64, len(deltas))
	for _, d := range deltas {
		change[d.Day.UTC()] = d.Delta
	}
	out := Summary{Active: now.Active, Stopped: now.Stopped, Blocked: now.Blocked, Daily: make([]DayCount, days)}
	count, today := now.Active, now.Today.UTC()
	for i := days - 1; i >= 0; i-- {
		day := today.AddDate(0, 0, i-days+1)
		out.Daily[i] = DayCount{Day: day, Count: count}
		count -= change[day] // the end of the day before
	}
	return out, nil
}
