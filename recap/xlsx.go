package recap

import (
	"io"
	"time"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/internal/sheet"
)

// columns are a table's columns, in the page's order: numbers are
// numeric cells, times to first response hours with one decimal, the
// helpful share a percentage.
func columns() []sheet.Column {
	c := func(key catalog.Key, width float64, kind sheet.Kind) sheet.Column {
		return sheet.Column{Header: catalog.T(key), Width: width, Kind: kind}
	}
	return []sheet.Column{
		c("web.rekap.col_code", 15, sheet.Text),
		c("web.rekap.col_area", 26, sheet.Text),
		c("web.rekap.col_received", 12, sheet.Int),
		c("web.rekap.col_answered", 12, sheet.Int),
		c("web.rekap.col_median", 16, sheet.Decimal),
		c("web.rekap.col_p90", 16, sheet.Decimal),
		c("web.rekap.col_rated", 12, sheet.Int),
		c("web.rekap.col_helpful", 14, sheet.Percent),
		c("web.rekap.col_runs", 12, sheet.Int),
		c("web.rekap.col_delivered", 14, sheet.Int),
		c("web.rekap.col_approved", 14, sheet.Int),
	}
}

// cells are r's values in columns' order; a figure that does not exist
// (no response yet, nothing rated) is an empty cell, not a zero.
func (r Row) cells(code string) []any {
	var median, p90, helpful any
	if r.Median != nil {
		median = r.Median.Hours()
	}
	if r.P90 != nil {
		p90 = r.P90.Hours()
	}
	if share, ok := r.HelpfulShare(); ok {
		helpful = share
	}
	return []any{code, r.Area.Name, r.Received, r.Answered, median, p90, r.Rated, helpful, r.Runs, r.Delivered, r.Approved}
}

// WriteXLSX writes the recap of month for scopeName as a workbook: a
// Ringkasan sheet (the month, the scope, when it was made)
// and one sheet per table. Times are in loc.
func WriteXLSX(out io.Writer, loc *time.Location, m Month, scopeName string, made time.Time, tables ...Table) error {
	wb, err := sheet.New(loc)
	if err != nil {
		return err
	}
	if err := wb.Sheet(catalog.T("web.rekap.sheet_summary"), []sheet.Column{
		{Header: catalog.T("web.rekap.sum_month"), Width: 12, Kind: sheet.Text},
		{Header: catalog.T("web.rekap.sum_scope"), Width: 30, Kind: sheet.Text},
		{Header: catalog.T("web.rekap.sum_made"), Width: 17, Kind: sheet.DateTime},
	}); err != nil {
		return err
	}
	if err := wb.Row(m.String(), scopeName, made); err != nil {
		return err
	}
	for _, t := range tables {
		if err := wb.Sheet(t.Title, columns()); err != nil {
			return err
		}
		for _, r := range t.Rows {
			if err := wb.Row(r.cells(r.Area.Key)...); err != nil {
				return err
			}
		}
		if err := wb.Row(t.Total.cells(catalog.T("web.rekap.total"))...); err != nil {
			return err
		}
	}
	_, err = wb.WriteTo(out)
	return err
}
