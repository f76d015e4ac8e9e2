package console

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/region"
)

// topReasons is how many failure reasons a run report shows.
const topReasons = 5

// regionRow is one region's line of a run report.
type regionRow struct {
	broadcast.RegionCounts
	Name string
}

// ShareText is Share as Indonesians write it: "97,5 %".
func (rr regionRow) ShareText() string {
	return strings.Replace(strconv.FormatFloat(rr.Share()*100, 'f', 1, 64), ".", ",", 1) + " %"
}

// runView is everything a run report shows.
type runView struct {
	Schedule broadcast.Schedule
	Run      broadcast.RunReport
	Fire     string
	Duration string
	Live     bool   // still sending: the page updates itself
	Villages bool   // broken down per kelurahan instead of kecamatan
	Self     string // this report's path
	Regions  []regionRow
	Reasons  []broadcast.FailureReason
}

// loadRun reads {id} and {run} and the report, 404 when either is
// missing or outside the operator's scope; ok is false when it answered.
func (c *Console) loadRun(w http.ResponseWriter, r *http.Request) (runView, bool) {
	sc, ok := c.scheduleFor(w, r)
	if !ok {
		return runView{}, false
	}
	runID, err := strconv.ParseInt(r.PathValue("run"), 10, 64)
	if err != nil || runID <= 0 {
		c.notFound(w, r)
		return runView{}, false
	}
	ctx, by := r.Context(), actorOf(r)
	rep, err := c.deps.Schedules.Run(ctx, by, sc.ID, runID)
	if errors.Is(err, broadcast.ErrNotFound) {
		c.notFound(w, r)
		return runView{}, false
	}
	if err != nil {
		c.fail(w, r, err)
		return runView{}, false
	}
	v := runView{Schedule: sc, Run: rep, Villages: r.URL.Query().Get("rinci") == "desa",
		Live: rep.Status == broadcast.RunSending, Fire: broadcast.LongTime(rep.FireAt, c.zone),
		Self: "/siaran/" + strconv.FormatInt(sc.ID, 10) + "/runs/" + strconv.FormatInt(runID, 10)}
	v.Duration = catalog.T("web.run.not_started")
	if rep.StartedAt != nil {
		v.Duration = durationText(rep.Duration(c.clock.Now()))
	}
	counts, err := c.deps.Schedules.RunByRegion(ctx, by, sc.ID, runID, v.Villages)
	if err == nil {
		v.Reasons, err = c.deps.Schedules.RunFailures(ctx, by, sc.ID, runID, topReasons)
	}
	if err != nil {
		c.fail(w, r, err)
		return runView{}, false
	}
	v.Regions = make([]regionRow, len(counts))
	for i, rc := range counts {
		v.Regions[i] = regionRow{RegionCounts: rc, Name: c.regionName(r, rc.Region)}
	}
	return v, true
}

// regionName names a row of a breakdown: "Kec. Lowokwaru", or a village
// with its district; "" (a resident who erased their data) is unknown.
func (c *Console) regionName(r *http.Request, code region.Code) string {
	if code == "" {
		return catalog.T("web.run.unknown")
	}
	return c.regions.ShortLabel(r.Context(), code)
}

// runReport is a run's report page; ?rinci=desa breaks it down per
// kelurahan/desa, ?format=xlsx downloads it.
func (c *Console) runReport(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("format") == "xlsx" {
		c.runXLSX(w, r)
		return
	}
	v, ok := c.loadRun(w, r)
	if !ok {
		return
	}
	c.render(w, r, http.StatusOK, "siaran_run", v)
}

// runNumbers is the numbers part of a run's report alone, which the
// page's script fetches every few seconds while the run is sending.
func (c *Console) runNumbers(w http.ResponseWriter, r *http.Request) {
	v, ok := c.loadRun(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := c.pages["siaran_run"].ExecuteTemplate(&buf, "numbers", page{Actor: actorOf(r), Data: v}); err != nil {
		c.log.Error("console: rendering a run's numbers", "err", err)
		http.Error(w, catalog.T("web.err_internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}
