package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/staff"
)

// ticketView is what aspirasi_show.html shows of a ticket: what chat's
// card and posts show staff (ResidentLabel hides an anonymous resident;
// no chat id ever), its whole thread with files, and the actions its
// status offers (aspirations.StaffButtons, the keyboard chat shows).
type ticketView struct {
	T                              aspirations.Ticket
	From, Place, Filed, Age        string
	Claimed, FirstResponse, Rating string
	Level                          aspirations.Level
	Attachment                     *fileView
	Thread                         []threadEntry
	CanClaim, CanAnswer            bool
	CanReject, CanEscalate         bool
	Canned                         []aspirations.Canned
	Form                           ticketForm
}

// ticketForm is a refused action's input, kept for another try, and why.
type ticketForm struct {
	Action, Text, Error string
	Canned              int64
}

type threadEntry struct {
	Who, At, Text string
	Staff         bool
	Attachment    *fileView
}

// fileView is an attachment as a page shows it: a photo inline, a
// document as a download, a location as a map link. URL is the
// console's own (/aspirasi/{id}/berkas/{n}): never Telegram's, which
// holds the bot token.
type fileView struct {
	Kind, URL, Name, MapURL string
}

func (c *Console) fileView(t aspirations.Ticket, n int, a *aspirations.Attachment) *fileView {
	if a == nil {
		return nil
	}
	v := &fileView{Kind: a.Kind, Name: a.FileName}
	switch a.Kind {
	case aspirations.AttachLocation:
		v.MapURL = fmt.Sprintf("https://maps.google.com/?q=%.6f,%.6f", a.Lat, a.Lon)
	case aspirations.AttachPhoto, aspirations.AttachDocument:
		v.URL = fmt.Sprintf("/aspirasi/%d/berkas/%d", t.ID, n)
	default:
		return nil
	}
	return v
}

// ticketFor reads {id} and the ticket with its thread if the person may
// see it; otherwise it answers 404 (another area's ticket does not exist
// for them) and ok is false.
func (c *Console) ticketFor(w http.ResponseWriter, r *http.Request) (aspirations.Ticket, []aspirations.Message, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		c.render(w, r, http.StatusNotFound, "aspirasi_missing", nil)
		return aspirations.Ticket{}, nil, false
	}
	t, msgs, err := c.deps.Aspirations.Get(r.Context(), actorOf(r), strconv.FormatInt(id, 10))
	if errors.Is(err, aspirations.ErrForbidden) || errors.Is(err, aspirations.ErrNotFound) {
		c.render(w, r, http.StatusNotFound, "aspirasi_missing", nil)
		return aspirations.Ticket{}, nil, false
	}
	if err != nil {
		c.fail(w, r, err)
		return aspirations.Ticket{}, nil, false
	}
	return t, msgs, true
}

func (c *Console) aspirasiShow(w http.ResponseWriter, r *http.Request) {
	t, msgs, ok := c.ticketFor(w, r)
	if !ok {
		return
	}
	c.showTicket(w, r, http.StatusOK, t, msgs, ticketForm{})
}

func (c *Console) showTicket(w http.ResponseWriter, r *http.Request, status int, t aspirations.Ticket, msgs []aspirations.Message, form ticketForm) {
	v, err := c.ticketView(r.Context(), r, t, msgs)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Form = form
	c.render(w, r, status, "aspirasi_show", map[string]any{"V": v, "Flash": c.sessions.PopString(r.Context(), flashKey)})
}

func (c *Console) ticketView(ctx context.Context, r *http.Request, t aspirations.Ticket, msgs []aspirations.Message) (ticketView, error) {
	a, now := actorOf(r), c.clock.Now()
	v := ticketView{T: t, From: t.ResidentLabel(), Place: c.regions.Label(ctx, t.VillageCode),
		Filed: broadcast.LongTime(t.CreatedAt, c.zone), Age: aspirations.Age(now, t.CreatedAt),
		Claimed: t.ClaimedByName, Level: c.deps.Aspirations.Level(t, now), Attachment: c.fileView(t, 0, t.Attachment)}
	if t.FirstResponseAt != nil {
		v.FirstResponse = broadcast.LongTime(*t.FirstResponseAt, c.zone)
	}
	if t.Rating != nil {
		v.Rating = map[bool]string{true: catalog.T("web.aspirasi.rated_yes"), false: catalog.T("web.aspirasi.rated_no")}[*t.Rating]
	}
	for i, m := range msgs {
		e := threadEntry{Who: catalog.T("asp.from_citizen"), At: broadcast.LongTime(m.CreatedAt, c.zone), Text: m.Text,
			Staff: m.From != staff.RoleResident, Attachment: c.fileView(t, i+1, m.Attachment)}
		if e.Staff {
			e.Who = catalog.T("asp.from_staff")
		}
		v.Thread = append(v.Thread, e)
	}
	for _, row := range aspirations.StaffButtons(t, a.IsOperator()) {
		for _, b := range row {
			action, _, _ := aspirations.ParseButtonData(b.Data)
			switch action {
			case aspirations.ActionClaim:
				v.CanClaim = true
			case aspirations.ActionAnswer, aspirations.ActionCanned:
				v.CanAnswer = true
			case aspirations.ActionReject:
				v.CanReject = true
			case aspirations.ActionEscalate:
				v.CanEscalate = true
			}
		}
	}
	if v.CanAnswer && a.TelegramID != 0 {
		cs, err := c.deps.Aspirations.Canned(ctx, a)
		if err != nil {
			return v, err
		}
		v.Canned = cs
	}
	return v, nil
}

// ticketActions are the POST actions on a ticket by their path's last
// segment: the service method they call and what the person reads after.
var ticketActions = map[string]struct {
	do   func(c *Console, r *http.Request, a staff.Actor, t aspirations.Ticket) (aspirations.Ticket, error)
	done catalog.Key
}{
	"ambil": {func(c *Console, r *http.Request, a staff.Actor, t aspirations.Ticket) (aspirations.Ticket, error) {
		return c.deps.Aspirations.Claim(r.Context(), a, t.ID)
	}, "web.aspirasi.claimed"},
	"jawab": {(*Console).answer, "web.aspirasi.answered"},
	"tolak": {func(c *Console, r *http.Request, a staff.Actor, t aspirations.Ticket) (aspirations.Ticket, error) {
		return c.deps.Aspirations.Reject(r.Context(), a, t.ID, r.PostFormValue("alasan"))
	}, "web.aspirasi.rejected"},
	"teruskan": {func(c *Console, r *http.Request, a staff.Actor, t aspirations.Ticket) (aspirations.Ticket, error) {
		return c.deps.Aspirations.Escalate(r.Context(), a, t.ID, r.PostFormValue("catatan"))
	}, "web.aspirasi.escalated"},
}

// errNoCanned: the picked canned answer is not one the person may use.
var errNoCanned = errors.New("canned answer not found")

// answer answers with the typed text, or with the picked canned answer
// as it is when nothing was typed (chat's Template button does the same).
func (c *Console) answer(r *http.Request, a staff.Actor, t aspirations.Ticket) (aspirations.Ticket, error) {
	text := r.PostFormValue("jawaban")
	if id, err := strconv.ParseInt(r.PostFormValue("templat"), 10, 64); err == nil && id > 0 && strings.TrimSpace(text) == "" {
		cn, err := c.deps.Aspirations.CannedByID(r.Context(), a, id)
		if err != nil {
			return aspirations.Ticket{}, errNoCanned
		}
		text = cn.Text
	}
	return c.deps.Aspirations.Answer(r.Context(), a, t.ID, text)
}

// aspirasiAct claims, answers, rejects or escalates a ticket through the
// service and goes back to its page; a refusal is shown on the page with
// what was typed (409 when someone else holds it or its status forbids
// it, 422 for text to fix).
func (c *Console) aspirasiAct(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	t, msgs, ok := c.ticketFor(w, r)
	if !ok {
		return
	}
	a := actorOf(r)
	done, err := ticketActions[name].do(c, r, a, t)
	if err == nil {
		c.sessions.Put(r.Context(), flashKey, catalog.T(ticketActions[name].done, done.Number))
		http.Redirect(w, r, "/aspirasi/"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
		return
	}
	if errors.Is(err, aspirations.ErrAlreadyClaimed) || errors.Is(err, aspirations.ErrBadTransition) {
		// Someone acted first: show the ticket as it is now.
		if cur, curMsgs, gerr := c.deps.Aspirations.Get(r.Context(), a, strconv.FormatInt(t.ID, 10)); gerr == nil {
			t, msgs = cur, curMsgs
		}
	}
	status, msg := c.refusal(t, err)
	if status == 0 {
		c.fail(w, r, err)
		return
	}
	if status == http.StatusNotFound {
		c.render(w, r, status, "aspirasi_missing", nil)
		return
	}
	canned, _ := strconv.ParseInt(r.PostFormValue("templat"), 10, 64)
	text := r.PostFormValue("jawaban") + r.PostFormValue("alasan") + r.PostFormValue("catatan")
	c.showTicket(w, r, status, t, msgs, ticketForm{Action: name, Text: text, Canned: canned, Error: msg})
}

// refusal is the status and words for an action the service refused; 0
// for a failure that is not the person's (the database away).
func (c *Console) refusal(t aspirations.Ticket, err error) (int, string) {
	if _, by, ok := aspirations.ClaimedBy(err); ok {
		if by == "" {
			return http.StatusConflict, catalog.T("web.aspirasi.taken_someone", t.Number)
		}
		return http.StatusConflict, catalog.T("web.aspirasi.taken", t.Number, by)
	}
	if n, max, ok := aspirations.TooLong(err); ok {
		return http.StatusUnprocessableEntity, catalog.T("web.aspirasi.err_long", n, max)
	}
	switch {
	case errors.Is(err, aspirations.ErrForbidden), errors.Is(err, aspirations.ErrNotFound):
		return http.StatusNotFound, ""
	case errors.Is(err, aspirations.ErrBadTransition):
		return http.StatusConflict, catalog.T("web.aspirasi.bad_state", t.Number, t.Status.Label())
	case errors.Is(err, aspirations.ErrTextTooShort):
		return http.StatusUnprocessableEntity, catalog.T("web.aspirasi.err_empty")
	case errors.Is(err, errNoCanned):
		return http.StatusUnprocessableEntity, catalog.T("web.aspirasi.err_canned")
	}
	return 0, ""
}
