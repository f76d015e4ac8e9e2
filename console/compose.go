package console

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// /siaran/baru: an operator composes an announcement (text, or a photo or
// PDF with a caption; link buttons), picks targets from the region tree
// of their scope, sets when it goes (now, once, daily/weekly/monthly, or
// a cron spec), previews it as residents will see it, and confirms. The
// rules are broadcast's (Schedules.Check and Create), the same as in chat
// and the CLI; this file only reads the form and shows the refusals next
// to their fields.

// composePage is what compose.html shows.
type composePage struct {
	Form     composeForm
	Errors   fieldErrors
	Tree     targetNode
	Media    media
	Zones    []option
	Weekdays []option
	MonthDay []option
	Whens    []string
	Preview  *composePreview
}

// composePreview is the announcement as residents will see it and a
// summary of where and when it goes.
type composePreview struct {
	Body     template.HTML
	Buttons  [][]message.Button
	Targets  []string
	Audience string
	Timing   string
	Fires    []string
}

type option struct{ Value, Label string }

// composeBodyLimit bounds a post: the largest document Telegram takes
// from a bot, and room for the form's fields.
const composeBodyLimit = maxDocumentBytes + 1<<20

func (c *Console) composeNew(w http.ResponseWriter, r *http.Request) {
	c.showCompose(w, r, http.StatusOK, c.defaultForm(), nil, media{}, nil) // a new draft: no file yet
}

// composePost handles the form's three buttons: preview (pratinjau), back
// to editing (ubah) and confirm (kirim).
func (c *Console) composePost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, composeBodyLimit)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if !errors.As(err, &tooBig) {
			http.Error(w, catalog.T("web.err_bad_form"), http.StatusBadRequest)
			return
		}
		f := c.composeFormOf(r)
		errs := fieldErrors{"berkas": catalog.T("web.compose.err.file_too_big", 50, mediaDocument)}
		c.showCompose(w, r, http.StatusRequestEntityTooLarge, f, errs, c.sessionMedia(r.Context(), f.Draft), nil)
		return
	}
	f := c.composeFormOf(r)
	m := c.sessionMedia(r.Context(), f.Draft)
	if f.Drop {
		c.dropMedia(r.Context(), f.Draft)
		m = media{}
	}
	switch r.PostForm.Get("aksi") {
	case "ubah":
		c.showCompose(w, r, http.StatusOK, f, nil, m, nil)
	case "kirim":
		c.composeConfirm(w, r, f, m)
	default:
		c.composePreview(w, r, f, m)
	}
}

// composeFormOf reads the posted form; a post without a well-formed
// draft name (a form from before drafts had names) starts a new draft.
func (c *Console) composeFormOf(r *http.Request) composeForm {
	f := readComposeForm(r)
	if !validDraft(f.Draft) {
		f.Draft = newDraft()
	}
	return f
}

// composePreview checks the whole draft, puts a newly chosen file on
// Telegram (kept with the draft even when another field is refused, so
// the page says truly that it is kept), and shows the announcement as
// residents will see it.
func (c *Console) composePreview(w http.ResponseWriter, r *http.Request, f composeForm, m media) {
	ctx, a, now := r.Context(), actorOf(r), c.clock.Now()
	errs := fieldErrors{}
	kind, name, data, err := readUpload(r)
	var refused errFileRefused
	chosen := m
	switch {
	case errors.As(err, &refused):
		errs["berkas"] = refused.text
	case err != nil:
		c.fail(w, r, err)
		return
	case kind != "":
		chosen = media{Kind: kind, FileID: "baru", Name: name} // its file_id once uploaded
	}
	d, more := c.draft(f, chosen, now)
	for k, v := range more {
		errs[k] = v
	}
	if kind != "" && errs["berkas"] == "" {
		if chosen.FileID, err = c.upload(ctx, a.TelegramID, kind, name, data); err != nil {
			c.log.Warn("console: uploading a file to Telegram", "kind", kind, "err", err)
			errs["berkas"] = catalog.T("web.compose.err.upload_failed")
		} else {
			m = chosen
			c.putMedia(ctx, f.Draft, m)
			d, _ = c.draft(f, m, now)
		}
	}
	if len(errs) == 0 {
		if d, _, err = c.deps.Schedules.Check(ctx, a, d); err != nil {
			if !c.fieldError(w, r, errs, f.When, err) {
				return
			}
		}
	}
	if len(errs) > 0 {
		c.showCompose(w, r, http.StatusUnprocessableEntity, f, errs, m, nil)
		return
	}
	p, err := c.preview(r, d, now)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showCompose(w, r, http.StatusOK, f, nil, m, p)
}

// fieldError puts broadcast's refusal next to its field; false when err
// is no refusal (the page has been answered).
func (c *Console) fieldError(w http.ResponseWriter, r *http.Request, errs fieldErrors, when string, err error) bool {
	field, text := errorText(err)
	if field == "" {
		c.fail(w, r, err)
		return false
	}
	if field == "cron" && when != "cron" { // a preset's spec is ours; its clock is what was typed
		field = "waktu"
	}
	errs[field] = text
	return true
}

// composeConfirm saves the schedule as the operator and audits it.
func (c *Console) composeConfirm(w http.ResponseWriter, r *http.Request, f composeForm, m media) {
	ctx, a := r.Context(), actorOf(r)
	d, errs := c.draft(f, m, c.clock.Now())
	if len(errs) > 0 {
		c.showCompose(w, r, http.StatusUnprocessableEntity, f, errs, m, nil)
		return
	}
	d.Key = f.Draft // confirmed twice (a double click, two tabs), it makes one schedule
	sc, err := c.deps.Schedules.Create(ctx, a, d)
	if err != nil {
		errs = fieldErrors{}
		if c.fieldError(w, r, errs, f.When, err) {
			c.showCompose(w, r, http.StatusUnprocessableEntity, f, errs, m, nil)
		}
		return
	}
	c.dropMedia(ctx, f.Draft) // Create wrote the audit entry ("buat") with the schedule
	http.Redirect(w, r, "/siaran/"+strconv.FormatInt(sc.ID, 10), http.StatusSeeOther)
}

// preview is d as residents will see it, where it goes and when.
func (c *Console) preview(r *http.Request, d broadcast.Draft, now time.Time) (*composePreview, error) {
	ctx := r.Context()
	n, err := c.deps.Schedules.CountAudience(ctx, d.Targets)
	if err != nil {
		return nil, err
	}
	body, _ := message.DisplayHTML(d.Content.Text)                              // invalid text is escaped whole; Check said why
	p := &composePreview{Body: template.HTML(body), Buttons: d.Content.Buttons, //nolint:gosec // DisplayHTML escapes all but Telegram's tags
		Audience: catalog.T("web.compose.audience", thousands(n)), Timing: d.Timing.Describe()}
	for _, t := range d.Targets {
		p.Targets = append(p.Targets, c.regions.Label(ctx, t))
	}
	if d.Timing.Kind == broadcast.KindCron {
		for _, at := range d.Timing.NextFires(5, now) {
			p.Fires = append(p.Fires, broadcast.LongTime(at, d.Timing.Zone))
		}
	}
	return p, nil
}

func (c *Console) showCompose(w http.ResponseWriter, r *http.Request, status int, f composeForm, errs fieldErrors, m media, p *composePreview) {
	tree, err := c.targetTree(r.Context(), actorOf(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, status, "compose", composePage{Form: f, Errors: errs, Tree: tree, Media: m, Preview: p,
		Zones: zoneOptions, Weekdays: weekdayOptions(), MonthDay: monthDayOptions(),
		Whens: []string{"now", "once", "daily", "weekly", "monthly", "cron"}})
}

var zoneOptions = []option{{"Asia/Jakarta", "WIB"}, {"Asia/Makassar", "WITA"}, {"Asia/Jayapura", "WIT"}}

func weekdayOptions() []option {
	out := make([]option, 0, 7)
	for _, d := range []int{1, 2, 3, 4, 5, 6, 0} { // Senin first, as Indonesian calendars
		out = append(out, option{strconv.Itoa(d), catalog.T(catalog.Key("timing.day." + strconv.Itoa(d)))})
	}
	return out
}

func monthDayOptions() []option {
	out := make([]option, 0, 28)
	for d := 1; d <= 28; d++ { // every month has them
		out = append(out, option{strconv.Itoa(d), strconv.Itoa(d)})
	}
	return out
}
