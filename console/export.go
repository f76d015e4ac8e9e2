package console

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/sheet"
)

// sendXLSX answers with a workbook written whole to memory first, so a
// failure halfway is an error page rather than a broken download.
func (c *Console) sendXLSX(w http.ResponseWriter, r *http.Request, name string, write func(*bytes.Buffer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), actorOf(r), "ekspor", actorOf(r).Scope, name)
	h := w.Header()
	h.Set("Content-Type", sheet.ContentType)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = buf.WriteTo(w)
}

// exportPage lists the downloads of the person's scope.
func (c *Console) exportPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "ekspor", map[string]any{"Scope": c.scopeLabel(r, actorOf(r).Scope)})
}

// exportAspirations is the aspirations report of the person's scope
// (operators and moderators) as .xlsx.
func (c *Console) exportAspirations(w http.ResponseWriter, r *http.Request) {
	name := "aspirasi-" + c.clock.Now().In(c.zone).Format("2006-01-02") + ".xlsx"
	c.sendXLSX(w, r, name, func(buf *bytes.Buffer) error {
		x, err := aspirations.NewXLSXWriter(buf, c.zone)
		if err != nil {
			return err
		}
		if err := c.deps.Aspirations.Report(r.Context(), actorOf(r), aspirations.ReportFilter{}, x.Write); err != nil {
			return err
		}
		return x.Flush()
	})
}

// exportSubscribers is subscribers per kelurahan/desa of the person's
// scope as .xlsx.
func (c *Console) exportSubscribers(w http.ResponseWriter, r *http.Request) {
	name := "pelanggan-" + c.clock.Now().In(c.zone).Format("2006-01-02") + ".xlsx"
	c.sendXLSX(w, r, name, func(buf *bytes.Buffer) error {
		return c.deps.Subscribers.WriteVillagesXLSX(r.Context(), actorOf(r), "", c.zone, buf)
	})
}

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

// runXLSX is a run's report as .xlsx: a summary, the counts per
// kecamatan and per kelurahan/desa, and the main failure reasons.
func (c *Console) runXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := c.loadRun(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	q.Set("rinci", "desa")
	r.URL.RawQuery = q.Encode()
	villages, ok := c.loadRun(w, r)
	if !ok {
		return
	}
	name := fmt.Sprintf("siaran-%d-pengiriman-%d.xlsx", v.Schedule.ID, v.Run.RunID)
	c.sendXLSX(w, r, name, func(buf *bytes.Buffer) error {
		wb, err := sheet.New(c.zone)
		if err != nil {
			return err
		}
		if err := writeRunSheets(wb, v, villages.Regions); err != nil {
			return err
		}
		_, err = wb.WriteTo(buf)
		return err
	})
}

func writeRunSheets(wb *sheet.Workbook, v runView, villages []regionRow) error {
	run := v.Run
	var started, finished any
	if run.StartedAt != nil {
		started = *run.StartedAt
	}
	if run.FinishedAt != nil {
		finished = *run.FinishedAt
	}
	summary := append(append([]sheet.Column{}, runSummaryColumns...), countColumns...)
	if err := wb.Sheet("Ringkasan", summary); err != nil {
		return err
	}
	total := regionRow{RegionCounts: broadcast.RegionCounts{Targeted: run.Targeted, Sent: run.Sent, Failed: run.Failed,
		Blocked: run.Blocked, Uncertain: run.Uncertain, Cancelled: run.Cancelled, Pending: run.Pending}}
	if run.Targeted > 0 {
		total.Share = float64(run.Sent) / float64(run.Targeted)
	}
	head := []any{v.Schedule.ID, run.RunID, run.FireAt, started, finished, statusLabel(run.Status), v.durationMinutes()}
	if err := wb.Row(append(head, counts(total)...)...); err != nil {
		return err
	}
	for _, part := range []struct {
		name string
		rows []regionRow
	}{{"Per kecamatan", v.Regions}, {"Per kelurahan-desa", villages}} {
		if err := wb.Sheet(part.name, append(append([]sheet.Column{}, regionColumns...), countColumns...)); err != nil {
			return err
		}
		for _, rr := range part.rows {
			if err := wb.Row(append([]any{string(rr.Region), rr.Name}, counts(rr)...)...); err != nil {
				return err
			}
		}
	}
	if err := wb.Sheet("Penyebab gagal", reasonColumns); err != nil {
		return err
	}
	for _, reason := range v.Reasons {
		if err := wb.Row(reason.Reason, reason.Count); err != nil {
			return err
		}
	}
	return nil
}

func counts(r regionRow) []any {
	return []any{r.Targeted, r.Sent, r.Failed, r.Blocked, r.Uncertain, r.Cancelled, r.Pending, r.Share}
}

// durationMinutes is the time taken in minutes; nil before the start.
func (v runView) durationMinutes() any {
	if v.Run.StartedAt == nil || v.Run.FinishedAt == nil {
		return nil
	}
	return v.Run.FinishedAt.Sub(*v.Run.StartedAt).Minutes()
}

func statusLabel(s broadcast.RunStatus) string {
	return catalogT("operator.run." + string(s))
}
