package console

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// composeForm is the compose page's fields as typed. It is read from
// every post (the preview carries it in hidden fields) and turned into a
// broadcast.Draft; broadcast checks the draft, as it does for chat and
// the CLI.
type composeForm struct {
	Text     string
	Links    string
	Targets  []string
	When     string // now, once, daily, weekly, monthly, cron
	At       string // once: "2026-11-30T08:00" (datetime-local)
	Clock    string // daily, weekly, monthly: "08:00"
	Weekday  string // weekly: 0 (Minggu) … 6 (Sabtu)
	MonthDay string // monthly: 1…28
	Cron     string
	Until    string // cron and presets: optional last day, "2026-12-31"
	Zone     string // Asia/Jakarta, Asia/Makassar, Asia/Jayapura
	Urgent   bool
	// Archive puts the announcement in the public archive once sent
	// (checked by default when KIMBOT_ARCHIVE_DEFAULT is on).
	Archive bool
	Drop    bool // remove the uploaded file
	// Draft names this announcement from the empty form to its
	// confirmation (a hidden field): its file is kept under it, and
	// confirming it twice makes one schedule (broadcast.Draft.Key).
	Draft string
}

// fieldErrors are the refusals to show, next to each field by name.
type fieldErrors map[string]string

func readComposeForm(r *http.Request) composeForm {
	v := r.PostForm
	f := composeForm{
		Text: strings.ReplaceAll(v.Get("teks"), "\r\n", "\n"), Links: strings.ReplaceAll(v.Get("tombol"), "\r\n", "\n"),
		Targets: v["target"], When: v.Get("waktu"), At: v.Get("pada"), Clock: v.Get("jam"), Weekday: v.Get("hari"),
		MonthDay: v.Get("tanggal"), Cron: v.Get("cron"), Until: v.Get("sampai"), Zone: v.Get("zona"),
		Urgent: v.Get("mendesak") == "1", Archive: v.Get("arsip") == "1", Drop: v.Get("hapus_berkas") == "1", Draft: v.Get("draf"),
	}
	return f
}

// defaultForm is a new announcement: sent now, in the console's zone.
func (c *Console) defaultForm() composeForm {
	return composeForm{When: "now", Clock: "08:00", Weekday: "1", MonthDay: "1", Zone: c.zone.String(), Draft: newDraft(),
		Archive: c.deps.Schedules == nil || c.deps.Schedules.ArchiveDefault()}
}

// newDraft is a fresh draft name: 16 random bytes in hex.
func newDraft() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// validDraft reports whether s has newDraft's shape.
func validDraft(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && len(s) == 32
}

// Checked reports whether code is among the chosen targets (templates).
func (f composeForm) Checked(code region.Code) bool {
	for _, t := range f.Targets {
		if t == string(code) {
			return true
		}
	}
	return false
}

// draft turns f into a broadcast.Draft with media (the uploaded file, if
// any), or the errors of the fields broadcast cannot even be given.
func (c *Console) draft(f composeForm, m media, now time.Time) (broadcast.Draft, fieldErrors) {
	errs := fieldErrors{}
	d := broadcast.Draft{Urgent: f.Urgent, Content: broadcast.Content{Text: f.Text}, Archive: &f.Archive}
	switch m.Kind {
	case mediaPhoto:
		d.Content.PhotoFileID = m.FileID
	case mediaDocument:
		d.Content.DocumentFileID = m.FileID
	}
	rows, msg := readLinks(d.Content, f.Links)
	if msg != "" {
		errs["tombol"] = msg
	}
	d.Content.Buttons = rows
	for _, t := range f.Targets {
		code, err := region.ParseCode(t)
		if err != nil {
			errs["target"] = catalog.T("web.compose.err.unknown_region")
			continue
		}
		d.Targets = append(d.Targets, code)
	}
	if len(f.Targets) == 0 {
		errs["target"] = catalog.T("web.compose.err.bad_targets")
	}
	loc, err := broadcast.ParseZone(f.Zone)
	if err != nil {
		errs["zona"], loc = catalog.T("web.compose.err.bad_zone"), c.zone
	}
	d.Timing, err = f.timing(loc, now)
	if err != nil {
		field, text := errorText(err)
		errs[field] = text
	}
	return d, errs
}

// presets are the repeating timings offered by name, as cron specs of a
// minute and hour (and weekday or day of month).
var presets = map[string]string{"daily": "%d %d * * *", "weekly": "%d %d * * %s", "monthly": "%d %d %s * *"}

// timing reads the chosen timing; broadcast parses and checks the parts
// (ParseAt, ParseCron, ParseUntil), as in chat.
func (f composeForm) timing(loc *time.Location, now time.Time) (broadcast.Timing, error) {
	t := broadcast.Timing{Kind: broadcast.KindNow, Zone: loc}
	spec := ""
	switch f.When {
	case "now":
		return t, nil
	case "once":
		at, err := broadcast.ParseAt(f.At, loc, now)
		t.Kind, t.At = broadcast.KindOnce, at
		return t, err
	case "daily", "weekly", "monthly":
		hh, mm, ok := readClock(f.Clock)
		if !ok {
			return t, &broadcast.InputError{Field: "jam", Reason: "bad_clock"}
		}
		arg := f.Weekday
		if n, err := strconv.Atoi(arg); f.When == "weekly" && (err != nil || n < 0 || n > 6) {
			return t, &broadcast.InputError{Field: "hari", Reason: "bad_weekday"} // the form offers Minggu (0) to Sabtu (6)
		}
		if f.When == "monthly" {
			arg = f.MonthDay
			if n, err := strconv.Atoi(arg); err != nil || n < 1 || n > 28 {
				return t, &broadcast.InputError{Field: "tanggal", Reason: "bad_monthday"} // days every month has
			}
		}
		spec = fmt.Sprintf(presets[f.When], mm, hh)
		if f.When != "daily" {
			spec = fmt.Sprintf(presets[f.When], mm, hh, arg)
		}
	case "cron":
		spec = strings.Join(strings.Fields(f.Cron), " ")
		if nth, err := broadcast.ParseMonthlyWeekday(f.Cron); err == nil {
			spec = nth // "Senin pertama 08.00" as well as a cron spec, as in chat
		}
	default:
		return t, &broadcast.InputError{Field: "waktu", Reason: "bad_when"}
	}
	t.Kind, t.Cron = broadcast.KindCron, spec
	if _, err := broadcast.ParseCron(spec, loc, now); err != nil {
		return t, err
	}
	if strings.TrimSpace(f.Until) != "" {
		until, err := broadcast.ParseUntil(f.Until, loc, now)
		if err != nil {
			return t, err
		}
		t.Until = &until
	}
	return t, nil
}

// readClock reads "08:00" or "8.00".
func readClock(s string) (hh, mm int, ok bool) {
	h, m, found := strings.Cut(strings.ReplaceAll(strings.TrimSpace(s), ".", ":"), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	return hh, mm, found && err1 == nil && err2 == nil && hh >= 0 && hh < 24 && mm >= 0 && mm < 60
}

// readLinks reads the typed link buttons, one a line, with the same line
// reader and checks as chat; msg says which line is wrong.
func readLinks(c broadcast.Content, typed string) (rows [][]message.Button, msg string) {
	for _, line := range strings.Split(typed, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		b, ok := broadcast.ParseLinkLine(line)
		if !ok {
			return nil, catalog.T("web.compose.err.link_line", strings.TrimSpace(line))
		}
		if broadcast.CheckLinkURL(b.URL) != nil {
			return nil, catalog.T("web.compose.err.link_url", b.URL)
		}
		one := c
		one.Text, one.PhotoFileID, one.DocumentFileID = "x", "", ""
		one.Buttons = [][]message.Button{{b}}
		if one.Validate() != nil { // the address is good, so the label broke a limit
			return nil, catalog.T("web.compose.err.link_text", b.Text)
		}
		rows = append(rows, []message.Button{b})
	}
	if len(rows) > broadcast.MaxButtonRows {
		return nil, catalog.T("web.compose.err.link_count", broadcast.MaxButtonRows)
	}
	return rows, ""
}

// formFields maps broadcast's field names to the form's.
var formFields = map[string]string{
	"text": "teks", "content": "teks", "buttons": "tombol", "region": "target",
	"at": "pada", "cron": "cron", "until": "sampai", "tz": "zona",
}

// errorText is the field a refusal belongs to and its Indonesian text.
func errorText(err error) (field, text string) {
	var ie *broadcast.InputError
	if !errors.As(err, &ie) {
		return "", ""
	}
	field = formFields[ie.Field]
	if field == "" {
		field = ie.Field
	}
	key := catalog.Key("web.compose.err." + string(ie.Reason))
	if ie.Max > 0 {
		return field, catalog.T(key, ie.Len, ie.Max, ie.Len-ie.Max)
	}
	return field, catalog.T(key)
}
