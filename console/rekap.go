package console

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/recap"
	"github.com/kimbot/kimbot/staff"
)

// /aspirasi/rekap?bulan=2026-11: the monthly recap of the person's scope
// per kecamatan and per kelurahan/desa (package recap); ?format=xlsx
// downloads it. The per-KIM table is one more recap.Table over a KIM
// grouping.

// recapRow is a recap.Row as the page prints it.
type recapRow struct {
	Code, Name                      string
	Received, Answered, Rated, Runs int
	Delivered, Approved             int
	Median, P90, Helpful            string
}

type recapTable struct {
	Title string
	Rows  []recapRow
	Total recapRow
}

func (c *Console) rekap(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	m, bad := c.monthOf(r)
	tables, err := c.recapTables(r, a, m)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	scope := c.scopeLabel(r, a.Scope)
	if r.URL.Query().Get("format") == "xlsx" {
		name := fmt.Sprintf("rekap-aspirasi-%s.xlsx", m)
		c.sendXLSX(w, r, name, func(buf *bytes.Buffer) error {
			return recap.WriteXLSX(buf, c.zone, m, scope, c.clock.Now(), tables...)
		})
		return
	}
	view := make([]recapTable, len(tables))
	for i, t := range tables {
		view[i] = recapTable{Title: t.Title, Total: printRow(t.Total, catalog.T("web.rekap.total"))}
		for _, row := range t.Rows {
			view[i].Rows = append(view[i].Rows, printRow(row, row.Area.Key))
		}
	}
	c.render(w, r, http.StatusOK, "rekap", map[string]any{"Tables": view, "Month": m.String(),
		"Scope": catalog.T("web.rekap.scope", scope, monthName(m)), "BadMonth": bad,
		"Prev": "/aspirasi/rekap?bulan=" + m.Prev().String(), "Next": "/aspirasi/rekap?bulan=" + m.Next().String(),
		"XLSX": "/aspirasi/rekap?bulan=" + m.String() + "&format=xlsx"})
}

// monthOf reads ?bulan=YYYY-MM; missing or unreadable is this month (bad
// tells the page to say so when something was given).
func (c *Console) monthOf(r *http.Request) (recap.Month, bool) {
	s := r.URL.Query().Get("bulan")
	if m, err := recap.ParseMonth(s, c.zone); err == nil && m.From.Year() >= 2000 && m.From.Year() <= 2200 {
		return m, false
	}
	return recap.MonthOf(c.clock.Now(), c.zone), s != ""
}

// recapTables are the recap of a's scope per kecamatan, per
// kelurahan/desa and per KIM, each with the scope's total.
func (c *Console) recapTables(r *http.Request, a staff.Actor, m recap.Month) ([]recap.Table, error) {
	src := recap.Sources{Aspirations: c.deps.Aspirations, Schedules: c.deps.Schedules, Proposals: c.deps.Proposals,
		Staff: c.staff}
	return src.Tables(r.Context(), c.deps.RegionStore, a, m, c.scopeLabel(r, a.Scope))
}

func printRow(row recap.Row, code string) recapRow {
	out := recapRow{Code: code, Name: row.Area.Name, Received: row.Received, Answered: row.Answered, Approved: row.Approved,
		Rated: row.Rated, Runs: row.Runs, Delivered: row.Delivered,
		Median: hours(row.Median), P90: hours(row.P90), Helpful: catalog.T("web.rekap.none")}
	if share, ok := row.HelpfulShare(); ok {
		out.Helpful = fmt.Sprintf("%.0f%%", share*100)
	}
	return out
}

// hours is a duration in hours with one decimal and a decimal comma, as
// Indonesian readers write it; "—" for none.
func hours(d *time.Duration) string {
	if d == nil {
		return catalog.T("web.rekap.none")
	}
	s := fmt.Sprintf("%.1f", d.Hours())
	return string(bytes.Replace([]byte(s), []byte("."), []byte(","), 1))
}

// monthName is "November 2026".
func monthName(m recap.Month) string {
	return catalog.T(catalog.Key(fmt.Sprintf("timing.month.%d", int(m.From.Month())))) + " " + m.From.Format("2006")
}
