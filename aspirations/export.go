package aspirations

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// ReportRow is one ticket as Diskominfo's report shows it. It never holds
// who the resident is.
type ReportRow struct {
	Number   string    `db:"number"`
	Created  time.Time `db:"created_at"`
	Village  string    `db:"village"`
	District string    `db:"district"`
	Category Category  `db:"category"`
	Status   Status    `db:"status"`
	// FirstResponse is nil until staff first answered, rejected or
	// escalated the ticket.
	FirstResponse *float64 `db:"first_response_s"`
	AnsweredBy    string   `db:"answered_by_name"`
}

// ReportFilter narrows a report; zero values mean everything.
type ReportFilter struct {
	Region region.Code
	Status Status
}

const sqlReport = `
SELECT t.number, t.created_at, v.name AS village, COALESCE(d.name, '') AS district, t.category, t.status,
       EXTRACT(EPOCH FROM (t.first_response_at - t.created_at))::float8 AS first_response_s,
       t.answered_by_name
FROM aspiration_tickets t
JOIN regions v ON v.code = t.village_code
LEFT JOIN regions d ON d.code = v.parent_code
WHERE t.village_code LIKE $4 AND (t.village_code = $1 OR t.village_code LIKE $2) AND ($3 = '' OR t.status = $3)
ORDER BY t.created_at, t.id`

// Report calls fn for every ticket in the actor's scope that f selects,
// oldest first, streaming (a year of a province fits).
func (s *Service) Report(ctx context.Context, actor staff.Actor, f ReportFilter, fn func(ReportRow) error) error {
	if !actor.IsStaff() {
		return ErrForbidden
	}
	scope := actor.Scope
	if f.Region != "" {
		if !scope.Contains(f.Region) {
			return ErrForbidden
		}
		scope = f.Region
	}
	rows, err := s.db.QueryxContext(ctx, sqlReport, string(scope), scope.LikePattern(), string(f.Status), string(scope)+"%")
	if err != nil {
		return fmt.Errorf("reading report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ReportRow
		if err := rows.StructScan(&r); err != nil {
			return fmt.Errorf("reading report row: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReportHeader names the report's columns, in Bahasa Indonesia.
var ReportHeader = []string{"tiket", "tanggal", "kelurahan/desa", "kecamatan", "kategori", "status",
	"waktu respons pertama (jam)", "dijawab oleh"}

// cells are r's values as the report prints them, in loc's time.
func (r ReportRow) cells(loc *time.Location) []string {
	first := ""
	if r.FirstResponse != nil {
		first = strconv.FormatFloat(*r.FirstResponse/3600, 'f', 1, 64)
	}
	return []string{r.Number, r.Created.In(loc).Format("2006-01-02 15:04"), r.Village, r.District,
		r.Category.Label(), r.Status.Label(), first, r.AnsweredBy}
}

// CSVWriter writes a report that Excel opens cleanly: UTF-8 with a byte
// order mark, CRLF line ends, every field quoted, and cells that Excel
// would run as a formula (= + - @, tab, CR) defused with a leading '.
type CSVWriter struct {
	w   *bufio.Writer
	loc *time.Location
}

// NewCSVWriter writes the BOM and the header row to w.
func NewCSVWriter(w io.Writer, loc *time.Location) (*CSVWriter, error) {
	c := &CSVWriter{w: bufio.NewWriter(w), loc: loc}
	if _, err := c.w.WriteString("\uFEFF"); err != nil {
		return nil, err
	}
	return c, c.writeRecord(ReportHeader)
}

// Write adds one ticket.
func (c *CSVWriter) Write(r ReportRow) error { return c.writeRecord(r.cells(c.loc)) }

// Flush writes out what is buffered.
func (c *CSVWriter) Flush() error { return c.w.Flush() }

func (c *CSVWriter) writeRecord(fields []string) error {
	for i, f := range fields {
		if i > 0 {
			c.w.WriteByte(',')
		}
		c.w.WriteByte('"')
		c.w.WriteString(strings.ReplaceAll(DefuseFormula(f), `"`, `""`))
		c.w.WriteByte('"')
	}
	_, err := c.w.WriteString("\r\n")
	return err
}

// DefuseFormula prefixes a cell that a spreadsheet would evaluate as a
// formula with an apostrophe (OWASP's CSV injection advice).
func DefuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// TableWriter writes a report as aligned columns for a terminal.
type TableWriter struct {
	tw  *tabwriter.Writer
	loc *time.Location
}

// NewTableWriter writes the header row to w.
func NewTableWriter(w io.Writer, loc *time.Location) *TableWriter {
	t := &TableWriter{tw: tabwriter.NewWriter(w, 0, 4, 2, ' ', 0), loc: loc}
	fmt.Fprintln(t.tw, strings.Join(ReportHeader, "\t"))
	return t
}

// Write adds one ticket; tabs and newlines in names are flattened.
func (t *TableWriter) Write(r ReportRow) error {
	cells := r.cells(t.loc)
	for i, c := range cells {
		cells[i] = strings.Join(strings.Fields(c), " ")
	}
	_, err := fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
	return err
}

// Flush aligns and writes the table.
func (t *TableWriter) Flush() error { return t.tw.Flush() }

// TZ is the service's local time zone.
func (s *Service) TZ() *time.Location { return s.cfg.TZ }
