package console

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// routeSiaran adds the schedule pages, their actions, run reports, the
// exports and the audit log.
func (c *Console) routeSiaran(mux *http.ServeMux) {
	mux.Handle("GET /siaran", c.operatorOnly(c.siaranList))
	mux.Handle("GET /siaran/{id}", c.operatorOnly(c.siaranShow))
	for name := range siaranActions {
		mux.Handle("POST /siaran/{id}/"+name, c.operatorOnly(c.siaranAct))
	}
	mux.Handle("GET /siaran/{id}/runs/{run}", c.operatorOnly(c.runReport))
	mux.Handle("GET /siaran/{id}/runs/{run}/angka", c.operatorOnly(c.runNumbers))
	mux.Handle("GET /ekspor", c.staffOnly(c.exportPage))
	mux.Handle("GET /ekspor/aspirasi.xlsx", c.staffOnly(c.exportAspirations))
	mux.Handle("GET /ekspor/pelanggan.xlsx", c.staffOnly(c.exportSubscribers))
	mux.Handle("GET /audit", c.operatorOnly(c.auditList))
}

// pageSize is how many rows a list page shows.
const pageSize = 20

// pageOf reads ?hal=N (1-based; anything else is page 1).
func pageOf(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("hal"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// pager is the links of a list page.
type pager struct {
	Page       int
	Prev, Next string
}

func newPager(base string, page int, more bool) pager {
	p := pager{Page: page}
	if page > 1 {
		p.Prev = base + "?hal=" + strconv.Itoa(page-1)
	}
	if more {
		p.Next = base + "?hal=" + strconv.Itoa(page+1)
	}
	return p
}

// scheduleRow is one schedule as the list shows it.
type scheduleRow struct {
	ID                          int64
	Preview, Timing, Next       string
	Status                      broadcast.ScheduleStatus
	Targets                     string
	Urgent                      bool
	CanPause, CanResume, CanEnd bool
}

func (c *Console) scheduleRow(r *http.Request, sc broadcast.Schedule) scheduleRow {
	row := scheduleRow{ID: sc.ID, Preview: preview(sc.Content), Timing: sc.Timing().Describe(),
		Status: sc.Status, Urgent: sc.Urgent, Targets: c.targetsLabel(r, sc.Targets),
		CanPause: sc.Status == broadcast.ScheduleActive, CanResume: sc.Status == broadcast.SchedulePaused,
		CanEnd: sc.Status == broadcast.ScheduleActive || sc.Status == broadcast.SchedulePaused}
	if next := sc.NextFires(1, c.clock.Now()); len(next) > 0 {
		row.Next = broadcast.LongTime(next[0], c.zone)
	}
	return row
}

// preview is the start of an announcement's visible text, with its
// media named, for lists.
func preview(ct broadcast.Content) string {
	text, err := message.VisibleText(ct.Text)
	if err != nil {
		text = ct.Text
	}
	text = strings.Join(strings.Fields(text), " ")
	if cut := message.CutUTF16(text, 90); cut != text {
		text = cut + "…"
	}
	switch {
	case ct.PhotoFileID != "":
		text = catalog.T("web.siaran.media_photo") + " " + text
	case ct.DocumentFileID != "":
		text = catalog.T("web.siaran.media_doc") + " " + text
	}
	return text
}

func (c *Console) targetsLabel(r *http.Request, targets []region.Code) string {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = c.regions.Label(r.Context(), t)
	}
	return strings.Join(names, "; ")
}

// siaranList is every schedule in the operator's scope, newest first.
func (c *Console) siaranList(w http.ResponseWriter, r *http.Request) {
	page := pageOf(r)
	list, err := c.deps.Schedules.List(r.Context(), actorOf(r), (page-1)*pageSize, pageSize+1)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	more := len(list) > pageSize
	if more {
		list = list[:pageSize]
	}
	rows := make([]scheduleRow, len(list))
	for i, sc := range list {
		rows[i] = c.scheduleRow(r, sc)
	}
	c.render(w, r, http.StatusOK, "siaran_list", map[string]any{
		"Rows": rows, "Pager": newPager("/siaran", page, more), "Flash": c.sessions.PopString(r.Context(), flashKey)})
}

// runRow is one run as a schedule's page lists it.
type runRow struct {
	broadcast.RunReport
	Fire, Link string
}

// siaranShow is one schedule: content as residents see it, timing,
// targets and every run.
func (c *Console) siaranShow(w http.ResponseWriter, r *http.Request) {
	sc, ok := c.scheduleFor(w, r)
	if !ok {
		return
	}
	runs, err := c.deps.Schedules.Runs(r.Context(), actorOf(r), sc.ID, 1000)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	row := c.scheduleRow(r, sc)
	rows := make([]runRow, len(runs))
	for i, run := range runs {
		rows[i] = runRow{RunReport: run, Fire: broadcast.LongTime(run.FireAt, c.zone),
			Link: "/siaran/" + strconv.FormatInt(sc.ID, 10) + "/runs/" + strconv.FormatInt(run.RunID, 10)}
		// A finished schedule's last run may still be sending: it can be paused or cancelled.
		row.CanPause = row.CanPause || run.Status == broadcast.RunSending
		row.CanResume = row.CanResume || run.Status == broadcast.RunPaused
		row.CanEnd = row.CanEnd || run.Status == broadcast.RunSending || run.Status == broadcast.RunPaused
	}
	body, valid := message.DisplayHTML(sc.Content.Text)
	c.render(w, r, http.StatusOK, "siaran_show", map[string]any{
		"S": row, "Schedule": sc, "Runs": rows, "Created": broadcast.LongTime(sc.CreatedAt, c.zone),
		// DisplayHTML keeps only Telegram's formatting tags and escapes the rest.
		"Body": template.HTML(body), "BodyValid": valid,
		"Flash": c.sessions.PopString(r.Context(), flashKey)})
}

// scheduleFor reads {id} and the schedule if the operator may see it;
// otherwise it answers 404 (another office's schedule does not exist
// for them) and ok is false.
func (c *Console) scheduleFor(w http.ResponseWriter, r *http.Request) (broadcast.Schedule, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		c.notFound(w, r)
		return broadcast.Schedule{}, false
	}
	sc, err := c.deps.Schedules.Get(r.Context(), actorOf(r), id)
	if errors.Is(err, broadcast.ErrNotFound) {
		c.notFound(w, r)
		return broadcast.Schedule{}, false
	}
	if err != nil {
		c.fail(w, r, err)
		return broadcast.Schedule{}, false
	}
	return sc, true
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusNotFound, "siaran_missing", nil)
}

// flashKey holds the outcome of an action for the page it returns to.
const flashKey = "flash_siaran"

// siaranActions are the POST actions on a schedule, by their path's last
// segment (also their audit name): what they call and what the operator
// reads afterwards.
var siaranActions = map[string]struct {
	do   func(*broadcast.Schedules, context.Context, staff.Actor, int64) (broadcast.Schedule, error)
	done catalog.Key
}{
	"jeda":   {(*broadcast.Schedules).Pause, "web.siaran.paused"},
	"lanjut": {(*broadcast.Schedules).Resume, "web.siaran.resumed"},
	"batal":  {(*broadcast.Schedules).Cancel, "web.siaran.cancelled"},
}

// siaranAct pauses, resumes or cancels a schedule, audits it, and goes
// back to the list or the schedule's page (dari=daftar: the list).
func (c *Console) siaranAct(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	act := siaranActions[name]
	sc, ok := c.scheduleFor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	_, err := act.do(c.deps.Schedules, ctx, actorOf(r), sc.ID) // it writes the audit entry with the change
	switch {
	case errors.Is(err, broadcast.ErrScheduleState):
		c.sessions.Put(ctx, flashKey, catalog.T("web.siaran.bad_state", sc.ID, catalog.T(catalog.Key("operator.status."+string(sc.Status)))))
	case err != nil:
		c.fail(w, r, err)
		return
	default:
		c.sessions.Put(ctx, flashKey, catalog.T(act.done, sc.ID))
	}
	back := "/siaran/" + strconv.FormatInt(sc.ID, 10)
	if r.PostFormValue("dari") == "daftar" {
		back = "/siaran"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// durationText is a run's time taken in words: "3 menit 20 detik".
func durationText(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return catalog.T("web.run.hms", h, m)
	case m > 0:
		return catalog.T("web.run.ms", m, s)
	}
	return catalog.T("web.run.s", s)
}
