package broadcast

import (
	"context"
	"io"
	"time"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The run report's sheets.
var (
	runSummaryColumns = []sheet.Column{
		{Header: "siaran", Width: 8, Kind: sheet.Int}, {Header: "pengiriman", Width: 11, Kind: sheet.Int},
		{Header: "waktu kirim", Width: 17, Kind: sheet.DateTime}, {Header: "mulai", Width: 17, Kind: sheet.DateTime},
		{Header: "selesai", Width: 17, Kind: sheet.DateTime}, {Header: "status", Width: 14, Kind: sheet.Text},
		{Header: "lama (menit)", Width: 12, Kind: sheet.Decimal},
	}
	countColumns = []sheet.Column{
		{Header: "sasaran", Width: 10, Kind: sheet.Int}, {Header: "terkirim", Width: 10, Kind: sheet.Int},
		{Header: "gagal", Width: 8, Kind: sheet.Int}, {Header: "memblokir bot", Width: 13, Kind: sheet.Int},
		{Header: "tidak pasti", Width: 11, Kind: sheet.Int}, {Header: "dibatalkan", Width: 11, Kind: sheet.Int},
		{Header: "menunggu", Width: 10, Kind: sheet.Int}, {Header: "% terkirim", Width: 11, Kind: sheet.Percent},
	}
	regionColumns = []sheet.Column{{Header: "kode", Width: 15, Kind: sheet.Text}, {Header: "wilayah", Width: 36, Kind: sheet.Text}}
	reasonColumns = []sheet.Column{{Header: "penyebab", Width: 60, Kind: sheet.Text}, {Header: "jumlah", Width: 10, Kind: sheet.Int}}
)

// maxReportReasons is how many failure reasons a run's workbook lists.
const maxReportReasons = 20

// WriteRunXLSX writes run runID of schedule scheduleID as an .xlsx
// workbook: Ringkasan (times, status, duration in minutes, the counts, %
// sent), Per kecamatan and Per kelurahan-desa (code, name, the counts),
// Penyebab gagal (reason, count); numbers are numeric cells, times date
// cells in loc. name names a region's row ("" is a resident who erased
// their data). Scope as for Run: outside by's, ErrNotFound.
func (s *Schedules) WriteRunXLSX(ctx context.Context, by staff.Actor, scheduleID, runID int64,
	name func(region.Code) string, loc *time.Location, out io.Writer) error {
	run, err := s.Run(ctx, by, scheduleID, runID)
	if err != nil {
		return err
	}
	districts, err := s.RunByRegion(ctx, by, scheduleID, runID, false)
	if err != nil {
		return err
	}
	villages, err := s.RunByRegion(ctx, by, scheduleID, runID, true)
	if err != nil {
		return err
	}
	reasons, err := s.RunFailures(ctx, by, scheduleID, runID, maxReportReasons)
	if err != nil {
		return err
	}
	wb, err := sheet.New(loc)
	if err != nil {
		return err
	}
	if err := wb.Sheet("Ringkasan", append(append([]sheet.Column{}, runSummaryColumns...), countColumns...)); err != nil {
		return err
	}
	var started, finished, minutes any
	if run.StartedAt != nil {
		started = *run.StartedAt
	}
	if run.FinishedAt != nil {
		finished = *run.FinishedAt
	}
	if run.StartedAt != nil && run.FinishedAt != nil {
		minutes = run.FinishedAt.Sub(*run.StartedAt).Minutes()
	}
	total := RegionCounts{Targeted: run.Targeted, Sent: run.Sent, Failed: run.Failed, Blocked: run.Blocked,
		Uncertain: run.Uncertain, Cancelled: run.Cancelled, Pending: run.Pending}
	head := []any{scheduleID, runID, run.FireAt, started, finished, catalog.T(catalog.Key("operator.run." + string(run.Status))), minutes}
	if err := wb.Row(append(head, total.cells()...)...); err != nil {
		return err
	}
	for _, part := range []struct {
		sheet string
		rows  []RegionCounts
	}{{"Per kecamatan", districts}, {"Per kelurahan-desa", villages}} {
		if err := wb.Sheet(part.sheet, append(append([]sheet.Column{}, regionColumns...), countColumns...)); err != nil {
			return err
		}
		for _, rc := range part.rows {
			if err := wb.Row(append([]any{string(rc.Region), name(rc.Region)}, rc.cells()...)...); err != nil {
				return err
			}
		}
	}
	if err := wb.Sheet("Penyebab gagal", reasonColumns); err != nil {
		return err
	}
	for _, r := range reasons {
		if err := wb.Row(r.Reason, r.Count); err != nil {
			return err
		}
	}
	_, err = wb.WriteTo(out)
	return err
}

// Share is the part of the targeted deliveries that were sent, 0 to 1.
func (rc RegionCounts) Share() float64 {
	if rc.Targeted == 0 {
		return 0
	}
	return float64(rc.Sent) / float64(rc.Targeted)
}

// cells are rc's counts as the workbook's count columns.
func (rc RegionCounts) cells() []any {
	return []any{rc.Targeted, rc.Sent, rc.Failed, rc.Blocked, rc.Uncertain, rc.Cancelled, rc.Pending, rc.Share()}
}
