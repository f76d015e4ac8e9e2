package console

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/region"
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

// runXLSX is a run's report as .xlsx (broadcast.WriteRunXLSX).
func (c *Console) runXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := c.loadRun(w, r)
	if !ok {
		return
	}
	name := fmt.Sprintf("siaran-%d-pengiriman-%d.xlsx", v.Schedule.ID, v.Run.RunID)
	c.sendXLSX(w, r, name, func(buf *bytes.Buffer) error {
		return c.deps.Schedules.WriteRunXLSX(r.Context(), actorOf(r), v.Schedule.ID, v.Run.RunID,
			func(code region.Code) string { return c.regionName(r, code) }, c.zone, buf)
	})
}
