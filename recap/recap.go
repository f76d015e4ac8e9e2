// Package recap is the monthly recap offices file (issue 12): per area
// (each kecamatan, each kelurahan/desa of a scope; any grouping of region
// codes, such as the villages each KIM serves) the aspirations received
// and answered, the median and 90th-percentile time to the first
// response, the share rated helpful, and the announcements that reached
// the area. It joins figures that package aspirations and package
// broadcast each count over their own tables, and writes them as .xlsx;
// the console and the CLI show the same numbers.
//
// It owns no table and knows nothing of Telegram or of how it is shown.
package recap

import (
	"context"
	"fmt"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Month is a calendar month in a time zone: [From, To).
type Month struct {
	From, To time.Time
}

// ParseMonth reads "2026-11" as that month in loc.
func ParseMonth(s string, loc *time.Location) (Month, error) {
	t, err := time.ParseInLocation("2006-01", s, loc)
	if err != nil {
		return Month{}, fmt.Errorf("month %q: want YYYY-MM, e.g. 2026-11", s)
	}
	return Month{From: t, To: t.AddDate(0, 1, 0)}, nil
}

// MonthOf is the month holding t, in loc.
func MonthOf(t time.Time, loc *time.Location) Month {
	t = t.In(loc)
	from := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	return Month{From: from, To: from.AddDate(0, 1, 0)}
}

// String is "2026-11".
func (m Month) String() string { return m.From.Format("2006-01") }

// Prev and Next are the months around m.
func (m Month) Prev() Month { return Month{From: m.From.AddDate(0, -1, 0), To: m.From} }

// Next is the month after m.
func (m Month) Next() Month { return Month{From: m.To, To: m.To.AddDate(0, 1, 0)} }

// Row is one area's figures for the month.
type Row struct {
	Area region.Area
	aspirations.RecapFigures
	broadcast.AreaAnnouncements
	// Approved is how many KIM proposals for the area were approved in
	// the month (issue 12's "usulan disetujui").
	Approved int
}

// Table is a recap by one grouping: its title ("Per kecamatan"), a row
// per area and the total of the whole scope.
type Table struct {
	Title string
	Rows  []Row
	Total Row
}

// Sources are the services whose figures a recap joins.
type Sources struct {
	Aspirations *aspirations.Service
	Schedules   *broadcast.Schedules
	Proposals   *proposals.Service
	// Staff lists the KIM of the per-KIM table (Tables).
	Staff *staff.Directory
}

// Compute counts month for each area and for total (the whole scope,
// whose medians are not the median of the rows') as actor.
func (s Sources) Compute(ctx context.Context, actor staff.Actor, m Month, title string, areas []region.Area, total region.Area) (Table, error) {
	all := append(append([]region.Area{}, areas...), total)
	asp, err := s.Aspirations.Recap(ctx, actor, m.From, m.To, all)
	if err != nil {
		return Table{}, err
	}
	ann, err := s.Schedules.AreaAnnouncements(ctx, actor, m.From, m.To, all)
	if err != nil {
		return Table{}, err
	}
	approved, err := s.Proposals.ApprovedIn(ctx, actor, m.From, m.To, all)
	if err != nil {
		return Table{}, err
	}
	rows := make([]Row, len(all))
	for i, a := range all {
		rows[i] = Row{Area: a, RecapFigures: asp[i], AreaAnnouncements: ann[i], Approved: approved[i]}
	}
	return Table{Title: title, Rows: rows[:len(areas)], Total: rows[len(areas)]}, nil
}

// Tables is the recap offices file for actor's scope: per kecamatan, per
// kelurahan/desa and, when the scope has KIM, per KIM, each with the
// scope's total (named totalName).
func (s Sources) Tables(ctx context.Context, rs Regions, actor staff.Actor, m Month, totalName string) ([]Table, error) {
	total := region.Area{Key: string(actor.Scope), Name: totalName, Codes: []region.Code{actor.Scope}}
	groups := []struct {
		title catalog.Key
		group func(context.Context) ([]region.Area, error)
	}{
		{"web.rekap.by_district", func(ctx context.Context) ([]region.Area, error) { return ByDistrict(ctx, rs, actor.Scope) }},
		{"web.rekap.by_village", func(ctx context.Context) ([]region.Area, error) { return ByVillage(ctx, rs, actor.Scope) }},
		{"web.rekap.by_kim", func(ctx context.Context) ([]region.Area, error) { return ByKIM(ctx, s.Staff, actor) }},
	}
	var out []Table
	for _, g := range groups {
		areas, err := g.group(ctx)
		if err != nil {
			return nil, err
		}
		if len(areas) == 0 {
			continue
		}
		t, err := s.Compute(ctx, actor, m, catalog.T(g.title), areas, total)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
