package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/peta"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// /kim: the KIM registry of the signed-in person's scope. Operators add,
// edit and import KIM and nudge a vakum one; moderators see their own
// KIM. Every read and write goes through staff (scope-filtered; a KIM
// outside it is 404) and is audited there.

func (c *Console) routeKIM(mux *http.ServeMux) {
	mux.Handle("GET /kim", c.staffOnly(c.kimList))
	mux.Handle("GET /kim/baru", c.operatorOnly(c.kimNew))
	mux.Handle("POST /kim/baru", c.operatorOnly(c.kimCreate))
	mux.Handle("GET /kim/impor", c.operatorOnly(c.kimImportForm))
	mux.Handle("POST /kim/impor", c.operatorOnly(c.kimImport))
	mux.Handle("GET /kim/{id}", c.staffOnly(c.kimShow))
	mux.Handle("GET /kim/{id}/ubah", c.operatorOnly(c.kimEditForm))
	mux.Handle("POST /kim/{id}/ubah", c.operatorOnly(c.kimEdit))
	mux.Handle("POST /kim/{id}/ingatkan", c.operatorOnly(c.kimNudge))
	mux.Handle("GET /peta", c.staffOnly(c.petaPage))
	mux.Handle("GET /peta/peta.geojson", c.staffOnly(c.petaGeoJSON))
}

// kimRow is one KIM as the list shows it.
type kimRow struct {
	peta.Activity
	Place   string
	Reasons []string
}

type kimListPage struct {
	Rows     []kimRow
	Status   string // the filter, "" = all
	Counts   map[string]int
	Operator bool
}

func (c *Console) kimList(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	acts, err := c.deps.Peta.Activities(r.Context(), a, "")
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p := kimListPage{Status: r.URL.Query().Get("status"), Counts: map[string]int{}, Operator: a.IsOperator()}
	for _, act := range acts {
		p.Counts[string(act.Status)]++
		if p.Status != "" && string(act.Status) != p.Status {
			continue
		}
		p.Rows = append(p.Rows, c.kimRowOf(r, act))
	}
	c.render(w, r, http.StatusOK, "kim_list", p)
}

func (c *Console) kimRowOf(r *http.Request, act peta.Activity) kimRow {
	row := kimRow{Activity: act, Place: c.regionName(r, act.Area)}
	for _, why := range act.Reasons {
		row.Reasons = append(row.Reasons, catalog.T(catalog.Key("web.kim.reason_"+string(why))))
	}
	return row
}

// kimShowPage is one KIM with its activity, moderators and, for
// operators, what they may do.
type kimShowPage struct {
	kimRow
	Moderators []memberRow
	Operator   bool
	Notice     string
	Error      string
}

func (c *Console) kimID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		c.render(w, r, http.StatusNotFound, "kim_missing", nil)
		return 0, false
	}
	return id, true
}

func (c *Console) kimShow(w http.ResponseWriter, r *http.Request) {
	c.showKIM(w, r, http.StatusOK, c.sessions.PopString(r.Context(), flashKIM), "")
}

const flashKIM = "flash_kim"

func (c *Console) showKIM(w http.ResponseWriter, r *http.Request, status int, notice, problem string) {
	act, ok := c.kimActivity(w, r)
	if !ok {
		return
	}
	a := actorOf(r)
	mods, err := c.staff.KIMModerators(r.Context(), a, act.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p := kimShowPage{kimRow: c.kimRowOf(r, act), Operator: a.IsOperator(), Notice: notice, Error: problem}
	for _, m := range mods {
		p.Moderators = append(p.Moderators, memberRow{TelegramID: m.TelegramID, Role: m.Role, Scope: string(m.Scope),
			Since: c.when(m.CreatedAt), Self: m.TelegramID == a.TelegramID})
	}
	c.render(w, r, status, "kim_show", p)
}

// kimActivity is the KIM of the path with its status; false when the page
// is answered already (404 outside the person's sight, or a failure).
func (c *Console) kimActivity(w http.ResponseWriter, r *http.Request) (peta.Activity, bool) {
	id, ok := c.kimID(w, r)
	if !ok {
		return peta.Activity{}, false
	}
	act, err := c.deps.Peta.Activity(r.Context(), actorOf(r), id)
	if errors.Is(err, staff.ErrNotFound) {
		c.render(w, r, http.StatusNotFound, "kim_missing", nil)
		return act, false
	}
	if err != nil {
		c.fail(w, r, err)
		return act, false
	}
	return act, true
}

// kimNudge reminds a vakum KIM's moderators, once a day.
func (c *Console) kimNudge(w http.ResponseWriter, r *http.Request) {
	act, ok := c.kimActivity(w, r)
	if !ok {
		return
	}
	a, id := actorOf(r), act.ID
	if act.Status != peta.Vakum {
		c.showKIM(w, r, http.StatusConflict, "", catalog.T("web.kim.nudge_active"))
		return
	}
	why := strings.Join(c.kimRowOf(r, act).Reasons, "; ")
	n, err := c.deps.Proposals.Nudge(r.Context(), a, id, why)
	switch {
	case errors.Is(err, staff.ErrNudgedToday):
		c.showKIM(w, r, http.StatusConflict, "", catalog.T("web.kim.nudge_today"))
		return
	case errors.Is(err, proposals.ErrNobody):
		c.showKIM(w, r, http.StatusConflict, "", catalog.T("web.kim.nudge_nobody"))
		return
	case err != nil:
		c.fail(w, r, err)
		return
	}
	c.sessions.Put(r.Context(), flashKIM, catalog.T("web.kim.nudged", n))
	http.Redirect(w, r, "/kim/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// kimForm is the add and edit form as typed.
type kimForm struct {
	ID                                                      int64
	Name, Area, SKNumber, SKDate, SKIssuer, Contact, Formed string
	Errors                                                  fieldErrors
}

func kimFormOf(k staff.KIM) kimForm {
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return kimForm{ID: k.ID, Name: k.Name, Area: string(k.Area), SKNumber: k.SKNumber, SKDate: day(k.SKDate),
		SKIssuer: k.SKIssuer, Contact: k.Contact, Formed: day(k.FormedOn)}
}

func readKIMForm(r *http.Request) kimForm {
	_ = r.ParseForm() // a body that does not parse leaves the fields empty, refused below
	v := r.PostForm
	return kimForm{Name: v.Get("nama"), Area: strings.TrimSpace(v.Get("wilayah")), SKNumber: v.Get("sk"),
		SKDate: v.Get("sk_tanggal"), SKIssuer: v.Get("sk_penerbit"), Contact: v.Get("kontak"), Formed: v.Get("dibentuk")}
}

// fields checks the form's own syntax (code, dates); the rest is staff's.
func (f *kimForm) fields() (staff.KIMFields, bool) {
	f.Errors = fieldErrors{}
	out := staff.KIMFields{Name: f.Name, SKNumber: f.SKNumber, SKIssuer: f.SKIssuer, Contact: f.Contact}
	code, err := region.ParseCode(f.Area)
	if err != nil {
		f.Errors["area"] = catalog.T("web.kim.err_area")
	}
	out.Area = code
	for field, p := range map[string]struct {
		in  string
		out **time.Time
	}{"sk_date": {f.SKDate, &out.SKDate}, "formed_on": {f.Formed, &out.FormedOn}} {
		if strings.TrimSpace(p.in) == "" {
			continue
		}
		d, err := sheet.ParseDate(p.in)
		if err != nil {
			f.Errors[field] = catalog.T("web.kim.err_date")
			continue
		}
		*p.out = &d
	}
	return out, len(f.Errors) == 0
}

func (c *Console) kimNew(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "kim_form", kimForm{Area: string(actorOf(r).Scope)})
}

func (c *Console) kimCreate(w http.ResponseWriter, r *http.Request) {
	f := readKIMForm(r)
	fields, ok := f.fields()
	if ok {
		k, err := c.staff.AddKIM(r.Context(), actorOf(r), fields)
		if c.kimFormError(w, r, &f, err) {
			return
		}
		c.sessions.Put(r.Context(), flashKIM, catalog.T("web.kim.added", k.Name))
		http.Redirect(w, r, "/kim/"+strconv.FormatInt(k.ID, 10), http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusUnprocessableEntity, "kim_form", f)
}

// kimFormError shows the form again with err next to its field; false
// when err is nil.
func (c *Console) kimFormError(w http.ResponseWriter, r *http.Request, f *kimForm, err error) bool {
	var fe *staff.KIMError
	switch {
	case err == nil:
		return false
	case errors.As(err, &fe):
		f.Errors[fe.Field] = catalog.T(catalog.Key("web.kim.err_" + fe.Field))
	case errors.Is(err, staff.ErrUnknownRegion), errors.Is(err, staff.ErrOutOfScope):
		f.Errors["area"] = catalog.T("web.kim.err_area_scope")
	case errors.Is(err, staff.ErrKIMExists):
		f.Errors["name"] = catalog.T("web.kim.err_exists")
	case errors.Is(err, staff.ErrNotFound):
		c.render(w, r, http.StatusNotFound, "kim_missing", nil)
		return true
	default:
		c.fail(w, r, err)
		return true
	}
	c.render(w, r, http.StatusUnprocessableEntity, "kim_form", *f)
	return true
}

func (c *Console) kimEditForm(w http.ResponseWriter, r *http.Request) {
	id, ok := c.kimID(w, r)
	if !ok {
		return
	}
	k, err := c.staff.GetKIM(r.Context(), actorOf(r), id)
	if errors.Is(err, staff.ErrNotFound) {
		c.render(w, r, http.StatusNotFound, "kim_missing", nil)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "kim_form", kimFormOf(k))
}

func (c *Console) kimEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := c.kimID(w, r)
	if !ok {
		return
	}
	if _, err := c.staff.GetKIM(r.Context(), actorOf(r), id); err != nil {
		c.kimFormError(w, r, &kimForm{}, err)
		return
	}
	f := readKIMForm(r)
	f.ID = id
	fields, ok := f.fields()
	if !ok {
		c.render(w, r, http.StatusUnprocessableEntity, "kim_form", f)
		return
	}
	k, err := c.staff.EditKIM(r.Context(), actorOf(r), id, func(old *staff.KIMFields) { *old = fields })
	if c.kimFormError(w, r, &f, err) {
		return
	}
	c.sessions.Put(r.Context(), flashKIM, catalog.T("web.kim.saved", k.Name))
	http.Redirect(w, r, "/kim/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
