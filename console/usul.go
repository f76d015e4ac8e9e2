package console

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// /usul: KIM proposals. Operators see those of their scope waiting
// (oldest first) and lately decided, and approve one (edited, for another
// area, at a time) or reject it with a reason; moderators see their KIM's
// and propose a text here as in chat. package proposals applies every
// rule and writes the audit log.

func (c *Console) routeUsul(mux *http.ServeMux) {
	mux.Handle("GET /usul", c.staffOnly(c.usulList))
	mux.Handle("POST /usul", c.staffOnly(c.usulFile))
	mux.Handle("GET /usul/{id}", c.staffOnly(c.usulShow))
	mux.Handle("POST /usul/{id}/setujui", c.operatorOnly(c.usulApprove))
	mux.Handle("POST /usul/{id}/tolak", c.operatorOnly(c.usulReject))
}

// usulRow is a proposal as the pages show it.
type usulRow struct {
	proposals.Proposal
	HTML      template.HTML // as residents would read it
	Requested string
	Target    string
	Filed     string
	Decided   string
	SendAt    string
}

func (c *Console) usulRowOf(r *http.Request, p proposals.Proposal) usulRow {
	row := usulRow{Proposal: p, Requested: c.regionName(r, p.Requested()), Filed: c.when(p.CreatedAt)}
	if html, ok := message.DisplayHTML(p.Content().Text); ok {
		row.HTML = template.HTML(html) // DisplayHTML escapes and keeps only Telegram's tags
	}
	if p.Target != nil {
		row.Target = c.regionName(r, *p.Target)
	}
	if p.DecidedAt != nil {
		row.Decided = c.when(*p.DecidedAt)
	}
	if p.SendAt != nil {
		row.SendAt = c.when(*p.SendAt)
	}
	return row
}

type usulListPage struct {
	Waiting, Decided []usulRow
	Moderator        bool
	Draft            string // names this form: posted twice, it files once
	Text             string
	Wider            bool
	Error, Notice    string
}

const flashUsul = "flash_usul"

func (c *Console) usulList(w http.ResponseWriter, r *http.Request) {
	c.showUsulList(w, r, http.StatusOK, usulListPage{Notice: c.sessions.PopString(r.Context(), flashUsul)})
}

func (c *Console) showUsulList(w http.ResponseWriter, r *http.Request, status int, p usulListPage) {
	a := actorOf(r)
	waiting, err := c.deps.Proposals.List(r.Context(), a, proposals.Waiting, 100)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	all, err := c.deps.Proposals.List(r.Context(), a, "", 30)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for _, pr := range waiting {
		p.Waiting = append(p.Waiting, c.usulRowOf(r, pr))
	}
	for _, pr := range all {
		if pr.Status != proposals.Waiting {
			p.Decided = append(p.Decided, c.usulRowOf(r, pr))
		}
	}
	p.Moderator = a.Role == staff.RoleModerator && a.KIM != 0
	if !validDraft(p.Draft) {
		p.Draft = newDraft()
	}
	c.render(w, r, status, "usul_list", p)
}

// usulFile is a moderator's proposal typed in the console (plain text;
// a photo goes through /usul in chat, where Telegram holds it).
func (c *Console) usulFile(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	text := strings.ReplaceAll(r.PostFormValue("teks"), "\r\n", "\n")
	p := usulListPage{Text: text, Wider: r.PostFormValue("luas") == "1", Draft: r.PostFormValue("draf")}
	if a.Role != staff.RoleModerator || a.KIM == 0 {
		c.showUsulList(w, r, http.StatusForbidden, usulListPage{Error: catalog.T("web.usul.moderators_only")})
		return
	}
	pr, err := c.deps.Proposals.File(r.Context(), a, proposals.Filing{Text: message.EscapeHTML(strings.TrimSpace(text)),
		Wider: p.Wider, SourceKey: sourceKeyOf(p.Draft)})
	if err != nil {
		p.Error = c.usulError(err)
		if p.Error == "" {
			c.fail(w, r, err)
			return
		}
		c.showUsulList(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	c.sessions.Put(r.Context(), flashUsul, catalog.T("usul.filed", pr.ID))
	http.Redirect(w, r, "/usul", http.StatusSeeOther)
}

// sourceKeyOf keys a console filing by its form's draft name; a form
// without a well-formed one files without a key.
func sourceKeyOf(draft string) string {
	if !validDraft(draft) {
		return ""
	}
	return "web:" + draft
}

// usulError words a refusal for the person; "" for a failure.
func (c *Console) usulError(err error) string {
	var in *broadcast.InputError
	switch {
	case errors.As(err, &in), errors.Is(err, proposals.ErrEmpty):
		return catalog.T("web.usul.err_text")
	case errors.Is(err, proposals.ErrNoOperator):
		return catalog.T("usul.no_operator")
	case errors.Is(err, proposals.ErrTooMany):
		return catalog.T("usul.too_many", proposals.MaxWaiting)
	case errors.Is(err, proposals.ErrDecided):
		return catalog.T("usul.already_decided")
	case errors.Is(err, proposals.ErrTarget):
		return catalog.T("web.usul.err_target")
	case errors.Is(err, proposals.ErrWhen):
		return catalog.T("web.usul.err_when")
	case errors.Is(err, proposals.ErrReason):
		return catalog.T("web.usul.reason_short")
	}
	return ""
}

// usulShowPage is one proposal with the decision forms.
type usulShowPage struct {
	usulRow
	Operator bool
	Targets  []regionChoice
	Chosen   string // the target area chosen in the form
	Text     string // the text to approve, as Telegram HTML
	At       string // datetime-local, "" = now
	Reason   string
	Error    string
}

type regionChoice struct {
	Code region.Code
	Name string
}

func (c *Console) usulShow(w http.ResponseWriter, r *http.Request) {
	c.showUsul(w, r, http.StatusOK, nil)
}

func (c *Console) showUsul(w http.ResponseWriter, r *http.Request, status int, form *usulShowPage) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	a := actorOf(r)
	var p proposals.Proposal
	if err == nil {
		p, err = c.deps.Proposals.Get(r.Context(), a, id)
	}
	var numErr *strconv.NumError
	if id <= 0 || errors.Is(err, proposals.ErrNotFound) || errors.As(err, &numErr) {
		c.render(w, r, http.StatusNotFound, "kim_missing", nil)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	page := usulShowPage{usulRow: c.usulRowOf(r, p), Operator: a.IsOperator(), Chosen: string(p.Requested()), Text: p.Text}
	if form != nil {
		if form.Chosen != "" {
			page.Chosen = form.Chosen
		}
		if form.Text != "" {
			page.Text = form.Text
		}
		page.At, page.Reason, page.Error = form.At, form.Reason, form.Error
	}
	// The areas an operator may pick: the KIM's own, what it asked for,
	// and each level above up to the operator's scope.
	for code := p.Area; code != "" && a.Allows(code); code = code.Parent() {
		page.Targets = append(page.Targets, regionChoice{Code: code, Name: c.regionName(r, code)})
	}
	c.render(w, r, status, "usul_show", page)
}

func (c *Console) usulApprove(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	form := &usulShowPage{Chosen: r.PostFormValue("wilayah"), Text: strings.ReplaceAll(r.PostFormValue("teks"), "\r\n", "\n"),
		At: r.PostFormValue("pada")}
	ap := proposals.Approval{Text: form.Text, Target: region.Code(form.Chosen)}
	if form.Chosen != "" {
		if _, err := region.ParseCode(form.Chosen); err != nil {
			form.Error = catalog.T("web.usul.err_target")
		}
	}
	if form.At != "" {
		at, err := time.ParseInLocation("2006-01-02T15:04", form.At, c.zone)
		if err != nil {
			form.Error = catalog.T("web.usul.err_when")
		}
		ap.At = at
	}
	if form.Error != "" {
		c.showUsul(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	p, err := c.deps.Proposals.Approve(r.Context(), actorOf(r), id, ap)
	c.decided(w, r, form, err, func() string { return catalog.T("usul.approved_done", p.ID, c.regionName(r, *p.Target)) })
}

func (c *Console) usulReject(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	reason := r.PostFormValue("alasan")
	p, err := c.deps.Proposals.Reject(r.Context(), actorOf(r), id, reason)
	c.decided(w, r, &usulShowPage{Reason: reason}, err, func() string { return catalog.T("usul.rejected_done", p.ID) })
}

// decided answers a decision: back to /usul with done's words, the form
// again with what to fix, 404 for a proposal outside the person's sight.
func (c *Console) decided(w http.ResponseWriter, r *http.Request, form *usulShowPage, err error, done func() string) {
	if err == nil {
		c.sessions.Put(r.Context(), flashUsul, done())
		http.Redirect(w, r, "/usul", http.StatusSeeOther)
		return
	}
	if form.Error = c.usulError(err); form.Error != "" {
		c.showUsul(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	if errors.Is(err, proposals.ErrNotFound) {
		c.render(w, r, http.StatusNotFound, "kim_missing", nil)
		return
	}
	c.fail(w, r, err)
}
