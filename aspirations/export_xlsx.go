package aspirations

import (
	"io"
	"time"

	"github.com/kimbot/kimbot/internal/sheet"
)

// reportColumns are ReportHeader with each column's width and kind.
var reportColumns = []sheet.Column{
	{Header: ReportHeader[0], Width: 18, Kind: sheet.Text},
	{Header: ReportHeader[1], Width: 17, Kind: sheet.DateTime},
	{Header: ReportHeader[2], Width: 24, Kind: sheet.Text},
	{Header: ReportHeader[3], Width: 20, Kind: sheet.Text},
	{Header: ReportHeader[4], Width: 18, Kind: sheet.Text},
	{Header: ReportHeader[5], Width: 12, Kind: sheet.Text},
	{Header: ReportHeader[6], Width: 14, Kind: sheet.Decimal},
	{Header: ReportHeader[7], Width: 22, Kind: sheet.Text},
}

// XLSXWriter writes a report as an .xlsx workbook for people: the date
// is a date cell and the response time a number of hours, so Excel in
// any language shows and sums them (the CSV is for machines).
type XLSXWriter struct {
	out io.Writer
	wb  *sheet.Workbook
}

// NewXLSXWriter starts a workbook whose times are in loc; Flush writes
// it to out.
func NewXLSXWriter(out io.Writer, loc *time.Location) (*XLSXWriter, error) {
	wb, err := sheet.New(loc)
	if err != nil {
		return nil, err
	}
	if err := wb.Sheet("Aspirasi", reportColumns); err != nil {
		return nil, err
	}
	return &XLSXWriter{out: out, wb: wb}, nil
}

// Write adds one ticket.
func (x *XLSXWriter) Write(r ReportRow) error {
	var hours any
	if r.FirstResponse != nil {
		hours = *r.FirstResponse / 3600
	}
	return x.wb.Row(r.Number, r.Created, r.Village, r.District, r.Category.Label(), r.Status.Label(), hours, r.AnsweredBy)
}

// Flush finishes the workbook and writes it out.
func (x *XLSXWriter) Flush() error {
	_, err := x.wb.WriteTo(x.out)
	return err
}
