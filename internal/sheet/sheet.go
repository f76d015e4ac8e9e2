// Package sheet writes .xlsx workbooks that open cleanly in Excel as
// Indonesian offices set it up (list separator ";", decimal comma): every
// number is a numeric cell and every time a date cell, so nothing depends
// on how Excel would parse text. Headers are bold, columns have widths,
// and the header row stays in view while scrolling.
//
// It knows nothing of kimbot's domain: the packages that own a report
// (aspirations, broadcast) say which columns it has.
package sheet

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Kind is how a column's values are stored and shown.
type Kind int

// The column kinds.
const (
	Text     Kind = iota // a string
	Int                  // a whole number, grouped by thousands
	Decimal              // a number with one decimal place
	Percent              // a fraction (0.25) shown as 25,0 %
	DateTime             // a time, shown dd/mm/yyyy hh:mm in the workbook's zone
)

// numFmts are the custom formats of each kind. Format codes are written
// with "." and ","; Excel shows them with the reader's own separators.
var numFmts = map[Kind]string{
	Int:      "#,##0",
	Decimal:  "0.0",
	Percent:  "0.0%",
	DateTime: "dd/mm/yyyy hh:mm",
}

// Column is one column: its header, its width in characters, its kind.
type Column struct {
	Header string
	Width  float64
	Kind   Kind
}

// Workbook is an .xlsx being written, sheet by sheet, row by row.
type Workbook struct {
	f      *excelize.File
	loc    *time.Location
	styles map[Kind]int
	bold   int
	sw     *excelize.StreamWriter
	cols   []Column
	row    int
}

// New starts a workbook whose times are shown in loc.
func New(loc *time.Location) (*Workbook, error) {
	f := excelize.NewFile()
	w := &Workbook{f: f, loc: loc, styles: map[Kind]int{}}
	var err error
	if w.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, fmt.Errorf("sheet: header style: %w", err)
	}
	for k, code := range numFmts {
		code := code
		if w.styles[k], err = f.NewStyle(&excelize.Style{CustomNumFmt: &code}); err != nil {
			return nil, fmt.Errorf("sheet: number style: %w", err)
		}
	}
	return w, nil
}

// Sheet starts a sheet named name (at most 31 characters, Excel's limit)
// with cols and writes its header row. The first sheet replaces the
// empty one a new workbook has.
func (w *Workbook) Sheet(name string, cols []Column) error {
	if err := w.flush(); err != nil {
		return err
	}
	if w.sw == nil && w.row == 0 && len(w.f.GetSheetList()) == 1 && w.f.GetSheetName(0) == "Sheet1" {
		if err := w.f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("sheet: naming %q: %w", name, err)
		}
	} else if _, err := w.f.NewSheet(name); err != nil {
		return fmt.Errorf("sheet: adding %q: %w", name, err)
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("sheet: writing %q: %w", name, err)
	}
	w.sw, w.cols, w.row = sw, cols, 0
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return fmt.Errorf("sheet: column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("sheet: freezing the header: %w", err)
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: w.bold, Value: c.Header}
	}
	return w.put(header)
}

// Row adds one row of values in column order: a string for Text; any
// integer or float for Int, Decimal and Percent; a time.Time for
// DateTime (its zero value, and nil, leave the cell empty).
func (w *Workbook) Row(values ...any) error {
	if w.sw == nil {
		return fmt.Errorf("sheet: a row before any sheet")
	}
	cells := make([]any, len(values))
	for i, v := range values {
		kind := Text
		if i < len(w.cols) {
			kind = w.cols[i].Kind
		}
		cells[i] = w.cell(kind, v)
	}
	return w.put(cells)
}

func (w *Workbook) cell(kind Kind, v any) any {
	if t, ok := v.(time.Time); ok {
		if t.IsZero() {
			return nil
		}
		// Excel has no zones: write the wall-clock time the reader expects.
		t = t.In(w.loc)
		v = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	}
	if v == nil || kind == Text {
		return v
	}
	return excelize.Cell{StyleID: w.styles[kind], Value: v}
}

func (w *Workbook) put(cells []any) error {
	w.row++
	ref, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	if err := w.sw.SetRow(ref, cells); err != nil {
		return fmt.Errorf("sheet: row %d: %w", w.row, err)
	}
	return nil
}

func (w *Workbook) flush() error {
	if w.sw == nil {
		return nil
	}
	if err := w.sw.Flush(); err != nil {
		return fmt.Errorf("sheet: finishing a sheet: %w", err)
	}
	w.sw = nil
	return nil
}

// WriteTo finishes the workbook and writes it to out; the first sheet is
// the one Excel opens on.
func (w *Workbook) WriteTo(out io.Writer) (int64, error) {
	if err := w.flush(); err != nil {
		return 0, err
	}
	w.f.SetActiveSheet(0)
	n, err := w.f.WriteTo(out)
	if err != nil {
		return n, fmt.Errorf("sheet: writing the workbook: %w", err)
	}
	return n, w.f.Close()
}

// ContentType is the media type of an .xlsx file.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
