package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// /aspirasi is the review queue in the console, for moderators (their
// KIM's area) and operators (their scope): the same aspirations.Service
// methods as chat's /antrian and ticket buttons, so the same rules apply
// (scope, one claim wins, anonymity), each action audited by the service.

// routeAspirasi adds the queue, a ticket's page, its files and actions,
// and the monthly recap.
func (c *Console) routeAspirasi(mux *http.ServeMux) {
	mux.Handle("GET /aspirasi", c.staffOnly(c.aspirasiList))
	mux.Handle("GET /aspirasi/rekap", c.staffOnly(c.rekap))
	mux.Handle("GET /aspirasi/{id}", c.staffOnly(c.aspirasiShow))
	mux.Handle("GET /aspirasi/{id}/berkas/{n}", c.staffOnly(c.aspirasiFile))
	for name := range ticketActions {
		mux.Handle("POST /aspirasi/{id}/"+name, c.staffOnly(c.aspirasiAct))
	}
}

// queueForm is the queue's filter as asked (?status=, ?kategori=,
// ?wilayah=) and the choices it offers.
type queueForm struct {
	Status, Category, Area, KIM string
	Statuses                    []choice
	Categories                  []choice
	Areas                       []choice
	KIMs                        []choice
}

type choice struct {
	Value, Label string
	Indent       bool
}

// queueFilter reads the filter from the query. A value that is not one
// of the choices is ignored (the whole queue), never an error; an area
// outside the scope is such a value, and so is a KIM the person may not
// see. ?kim= narrows the queue to the area the KIM serves (instead of
// ?wilayah=).
func (c *Console) queueFilter(r *http.Request, a staff.Actor) (aspirations.QueueFilter, queueForm) {
	q := r.URL.Query()
	var f aspirations.QueueFilter
	var form queueForm
	if st, err := aspirations.ParseStatus(q.Get("status")); err == nil {
		f.Status, form.Status = []aspirations.Status{st}, string(st)
	}
	if cat, err := aspirations.ParseCategory(q.Get("kategori")); err == nil && q.Get("kategori") != "" {
		f.Category, form.Category = cat, string(cat)
	}
	if code, err := region.ParseCode(q.Get("wilayah")); err == nil && a.Scope.Contains(code) && code.Level() >= region.District {
		f.Areas, form.Area = []region.Code{code}, string(code)
	}
	if id, err := strconv.ParseInt(q.Get("kim"), 10, 64); err == nil && id > 0 {
		if k, err := c.staff.GetKIM(r.Context(), a, id); err == nil && a.Allows(k.Area) {
			f.Areas, form.Area, form.KIM = []region.Code{k.Area}, "", q.Get("kim")
		}
	}
	return f, form
}

// maxAreaChoices: a scope with more villages offers its kecamatan only.
const maxAreaChoices = 400

// choices fills the filter's options: statuses, categories, and the
// kecamatan and kelurahan/desa of the scope.
func (c *Console) choices(r *http.Request, a staff.Actor, form *queueForm) error {
	form.Statuses = []choice{{Label: catalog.T("web.aspirasi.open")}}
	for _, st := range aspirations.Statuses() {
		form.Statuses = append(form.Statuses, choice{Value: string(st), Label: st.Label()})
	}
	form.Categories = []choice{{Label: catalog.T("web.aspirasi.all_cat")}}
	for _, cat := range aspirations.Categories() {
		form.Categories = append(form.Categories, choice{Value: string(cat), Label: cat.Label()})
	}
	ks, err := c.staff.ListKIM(r.Context(), a, "")
	if err != nil {
		return err
	}
	if len(ks) > 1 {
		form.KIMs = []choice{{Label: catalog.T("web.aspirasi.all_kim")}}
		for _, k := range ks {
			form.KIMs = append(form.KIMs, choice{Value: strconv.FormatInt(k.ID, 10), Label: k.Name})
		}
	}
	form.Areas = []choice{{Label: catalog.T("web.aspirasi.all_area")}}
	if a.Scope.Level() == region.Village {
		return nil
	}
	vs, err := c.deps.RegionStore.Villages(r.Context(), a.Scope)
	if err != nil {
		return err
	}
	for _, v := range vs {
		d := v.Code.Parent()
		if a.Scope.Contains(d) && (len(form.Areas) == 1 || !strings.HasPrefix(form.Areas[len(form.Areas)-1].Value, string(d))) {
			form.Areas = append(form.Areas, choice{Value: string(d), Label: c.regions.Label(r.Context(), d)})
		}
		if len(vs) <= maxAreaChoices {
			form.Areas = append(form.Areas, choice{Value: string(v.Code), Label: v.Name, Indent: true})
		}
	}
	return nil
}

// queueRow is one ticket as the queue lists it.
type queueRow struct {
	ID                        int64
	Number, Age, Place, Text  string
	Category, Status, Claimed string
	Level                     aspirations.Level
	LevelLabel                string
}

func (c *Console) queueRow(r *http.Request, t aspirations.Ticket) queueRow {
	now := c.clock.Now()
	row := queueRow{ID: t.ID, Number: t.Number, Age: aspirations.Age(now, t.CreatedAt),
		Place: c.regions.ShortLabel(r.Context(), t.VillageCode), Text: snippet(t.Text, 140),
		Category: t.CategoryLabel(), Status: t.Status.Label(), Level: c.deps.Aspirations.Level(t, now)}
	if row.Level != aspirations.LevelNone {
		row.LevelLabel = catalogT("web.aspirasi.level_" + string(row.Level))
	}
	if t.Status == aspirations.StatusClaimed && t.ClaimedByName != "" {
		row.Claimed = catalog.T("web.aspirasi.claimed_by", t.ClaimedByName)
	}
	return row
}

// snippet is the start of a text on one line.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if cut := message.CutUTF16(s, n); cut != s {
		return cut + "…"
	}
	return s
}

// aspirasiList is the queue of the person's area, oldest first, 20 a page.
func (c *Console) aspirasiList(w http.ResponseWriter, r *http.Request) {
	a, page := actorOf(r), pageOf(r)
	f, form := c.queueFilter(r, a)
	ts, total, err := c.deps.Aspirations.QueueFiltered(r.Context(), a, f, (page-1)*pageSize, pageSize)
	if err == nil {
		err = c.choices(r, a, &form)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	rows := make([]queueRow, len(ts))
	for i, t := range ts {
		rows[i] = c.queueRow(r, t)
	}
	c.render(w, r, http.StatusOK, "aspirasi_list", map[string]any{"Rows": rows, "Total": total, "Form": form,
		"Pager": filteredPager(r, page, page*pageSize < total), "Flash": c.sessions.PopString(r.Context(), flashKey)})
}

// filteredPager is newPager keeping the filter in the links.
func filteredPager(r *http.Request, page int, more bool) pager {
	q := url.Values{}
	for _, k := range []string{"status", "kategori", "wilayah", "kim"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	link := func(n int) string {
		q.Set("hal", strconv.Itoa(n))
		return "/aspirasi?" + q.Encode()
	}
	p := pager{Page: page}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if more {
		p.Next = link(page + 1)
	}
	return p
}
