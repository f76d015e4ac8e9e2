package operator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The steps of /siaran, in order.
const (
	stepContent = "content"
	stepLinks   = "links"
	stepTargets = "targets"
	stepTiming  = "timing"
	stepAt      = "at"
	stepCron    = "cron"
	stepUntil   = "until"
	stepUrgent  = "urgent"
	stepConfirm = "confirm"
)

// session is an operator's /siaran in progress, kept in the chat's
// conversation state between updates.
type session struct {
	Step    string            `json:"step"`
	Content broadcast.Content `json:"content"`
	Targets []region.Code     `json:"targets,omitempty"`
	View    region.Code       `json:"view"`
	Page    int               `json:"page"`
	Kind    broadcast.Kind    `json:"kind,omitempty"`
	Cron    string            `json:"cron,omitempty"`
	At      time.Time         `json:"at"`
	Until   *time.Time        `json:"until,omitempty"` // last moment a repeating schedule may fire
	Zone    string            `json:"zone"`
	Urgent  bool              `json:"urgent"`
}

// input is one update as the operator flow sees it.
type input struct {
	HTML           string // text or caption converted from its entities
	Plain          string // text as typed, for answers such as a time
	PhotoFileID    string
	DocumentFileID string
	Data           string // callback data
	Other          bool   // a sticker, location, voice…: not usable content
	Album          bool   // the first item of an album; the rest are never seen
}

// reply is what the flow answers: messages to send to the operator and
// the session to keep (nil ends it).
type reply struct {
	Messages []message.Message
	Session  *session
}

// flow holds what the operator commands need; it has no state of
// its own, so concurrent updates share it safely.
type flow struct {
	staff     *staff.Directory
	schedules *broadcast.Schedules
	regions   *region.Store
	clock     message.Clock
	zone      *time.Location
	logger    *slog.Logger
}

func respond(s *session, msgs ...message.Message) reply {
	return reply{Messages: msgs, Session: s}
}

// startSiaran begins /siaran.
func (f *flow) startSiaran(op staff.Actor) reply {
	s := &session{Step: stepContent, View: op.Scope, Zone: f.zone.String()}
	return respond(s, chat.Text("operator.siaran.content"))
}

// onContent takes the announcement as residents should see it.
func (f *flow) onContent(ctx context.Context, op staff.Actor, s *session, in input) reply {
	if in.Other || (in.HTML == "" && in.PhotoFileID == "" && in.DocumentFileID == "") {
		return respond(s, chat.Text("operator.siaran.content_kind"))
	}
	c := broadcast.Content{Text: in.HTML, PhotoFileID: in.PhotoFileID, DocumentFileID: in.DocumentFileID}
	if err := c.Validate(); err != nil {
		return respond(s, f.inputError(err))
	}
	s.Content, s.Step = c, stepLinks
	m := linksMessage()
	if in.Album { // an announcement carries one photo or document
		m.Text = catalog.T("operator.siaran.album_first") + "\n\n" + m.Text
	}
	return respond(s, m)
}

// inputError is the operator's text for a refused input.
func (f *flow) inputError(err error) message.Message {
	var ie *broadcast.InputError
	if !errors.As(err, &ie) {
		f.logger.Error("operator flow failed", "err", err)
		return chat.Text("operator.err.failed")
	}
	key := catalog.Key("operator.err." + string(ie.Reason))
	if ie.Max > 0 {
		return chat.Text(key, ie.Len, ie.Max, ie.Len-ie.Max)
	}
	if strings.Contains(catalog.T(key), "%s") {
		return chat.Text(key, ie.Example)
	}
	return chat.Text(key)
}

// onTiming handles the timing keyboard.
func (f *flow) onTiming(ctx context.Context, s *session, data string) reply {
	presets := map[string]string{"daily": "0 7 * * *", "monday": "0 8 * * 1", "monthly": "0 8 1 * *"}
	choice := ""
	if action, arg, _ := parseData(data); action == "w" {
		choice = arg
	}
	s.Until = nil // an end date belongs to the timing it was typed for
	switch {
	case data == callbackData("z"):
		s.Zone = nextZone(s.Zone)
		return respond(s, f.timingMessage(s))
	case choice == "now":
		s.Kind = broadcast.KindNow
	case choice == "once":
		s.Step = stepAt
		loc := f.loc(s)
		example := f.clock.Now().In(loc).Add(24*time.Hour).Format("02/01/2006") + " 08.00"
		return respond(s, chat.Text("operator.siaran.ask_at", broadcast.ZoneAbbrev(loc), example))
	case choice == "cron":
		s.Step = stepCron
		return respond(s, chat.Text("operator.siaran.ask_cron"))
	case presets[choice] != "":
		s.Kind, s.Cron, s.Step = broadcast.KindCron, presets[choice], stepUntil
		return respond(s, f.untilMessage(s))
	default:
		return respond(s, f.timingMessage(s))
	}
	s.Step = stepUrgent
	return respond(s, urgentMessage())
}

// onTypedTiming reads a typed time (stepAt) or cron spec (stepCron).
func (f *flow) onTypedTiming(s *session, typed string) reply {
	loc, now := f.loc(s), f.clock.Now()
	if s.Step == stepCron {
		spec := strings.Join(strings.Fields(typed), " ")
		if nth, err := broadcast.ParseMonthlyWeekday(typed); err == nil {
			spec = nth // "Senin pertama 08.00" as well as a cron spec
		}
		if _, err := broadcast.ParseCron(spec, loc, now); err != nil {
			return respond(s, f.inputError(err))
		}
		s.Kind, s.Cron, s.Step = broadcast.KindCron, spec, stepUntil
		return respond(s, f.untilMessage(s))
	}
	at, err := broadcast.ParseAt(typed, loc, now)
	if err != nil {
		return respond(s, f.inputErrorAt(err, loc, now))
	}
	s.Kind, s.At, s.Step = broadcast.KindOnce, at, stepUrgent
	return respond(s, urgentMessage())
}

// inputErrorAt shows the example time in the form operators type it.
func (f *flow) inputErrorAt(err error, loc *time.Location, now time.Time) message.Message {
	var ie *broadcast.InputError
	if errors.As(err, &ie) {
		example := now.In(loc).Add(24*time.Hour).Format("02/01/2006") + " 08.00"
		return chat.Text(catalog.Key("operator.err."+string(ie.Reason)), example)
	}
	return f.inputError(err)
}

func (f *flow) loc(s *session) *time.Location {
	if loc, err := broadcast.ParseZone(s.Zone); err == nil {
		return loc
	}
	return f.zone
}

func nextZone(z string) string {
	switch z {
	case "Asia/Jakarta":
		return "Asia/Makassar"
	case "Asia/Makassar":
		return "Asia/Jayapura"
	}
	return "Asia/Jakarta"
}

// onUrgent takes the urgent answer and shows the preview.
func (f *flow) onUrgent(ctx context.Context, s *session, data string) reply {
	if data != callbackData("u", "1") && data != callbackData("u", "0") {
		return respond(s, urgentMessage())
	}
	s.Urgent = data == callbackData("u", "1")
	s.Step = stepConfirm
	return respond(s, f.preview(ctx, s)...)
}

// preview is the announcement exactly as residents get it, then the
// summary with the confirm buttons.
func (f *flow) preview(ctx context.Context, s *session) []message.Message {
	n, err := f.schedules.CountAudience(ctx, s.Targets)
	if err != nil {
		f.logger.Error("counting audience failed", "err", err)
	}
	urgent := catalog.T("operator.no")
	if s.Urgent {
		urgent = catalog.T("operator.yes")
	}
	summary := chat.Text("operator.siaran.preview", f.targetNames(ctx, s.Targets), n, f.timing(s).Describe(), f.nextFires(s), urgent)
	summary.Buttons = [][]message.Button{{
		{Text: catalog.T("operator.siaran.confirm"), Data: callbackData("ok")},
		{Text: catalog.T("operator.siaran.abort"), Data: callbackData("x")},
	}}
	return []message.Message{s.Content.Message(), summary}
}

// onConfirm saves the schedule.
func (f *flow) onConfirm(ctx context.Context, op staff.Actor, s *session, data string) reply {
	if data == callbackData("x") {
		return respond(nil, chat.Text("operator.siaran.cancelled"))
	}
	if data != callbackData("ok") {
		return respond(s, f.preview(ctx, s)...)
	}
	d := broadcast.Draft{Content: s.Content, Urgent: s.Urgent, Targets: s.Targets, Timing: f.timing(s)}
	sc, err := f.schedules.Create(ctx, op, d)
	switch broadcast.ReasonOf(err) {
	case broadcast.ReasonPastTime:
		s.Step = stepTiming
		return respond(s, f.inputErrorAt(err, f.loc(s), f.clock.Now()), f.timingMessage(s))
	case broadcast.ReasonBadEnd:
		// The session waited so long that the end date no longer fits.
		s.Step, s.Until = stepUntil, nil
		return respond(s, f.untilTooEarly(s), f.untilMessage(s))
	}
	if err != nil {
		return respond(s, f.inputError(err))
	}
	f.logger.Info("schedule created in chat", "schedule_id", sc.ID, "kind", string(sc.Kind))
	if sc.Kind == broadcast.KindNow {
		return respond(nil, chat.Text("operator.siaran.created_now", sc.ID))
	}
	return respond(nil, chat.Text("operator.siaran.created", sc.ID, sc.Timing().Describe(), formatTime(sc.NextRunAt, sc.Zone)))
}

// timing is what s has chosen so far.
func (f *flow) timing(s *session) broadcast.Timing {
	return broadcast.Timing{Kind: s.Kind, At: s.At, Cron: s.Cron, Zone: f.loc(s), Until: s.Until}
}

// fireCount is how many next fires the preview and /jadwal list.
const fireCount = 5

// nextFires lists a repeating timing's next fires under the preview, one
// a line, so that the operator sees the days it really sends on.
func (f *flow) nextFires(s *session) string {
	t := f.timing(s)
	if t.Kind != broadcast.KindCron {
		return ""
	}
	var lines []string
	for _, at := range t.NextFires(fireCount, f.clock.Now()) {
		lines = append(lines, catalog.T("operator.siaran.fire", broadcast.LongTime(at, t.Zone)))
	}
	return catalog.T("operator.siaran.fires", strings.Join(lines, "\n"))
}

func formatTime(t *time.Time, loc *time.Location) string {
	if t == nil {
		return catalog.T("operator.none")
	}
	return t.In(loc).Format("02/01/2006 15.04") + " " + broadcast.ZoneAbbrev(loc)
}

// targetNames names the chosen regions ("Lowokwaru, Tlogomas").
func (f *flow) targetNames(ctx context.Context, targets []region.Code) string {
	names := make([]string, 0, len(targets))
	for _, c := range broadcast.NormalizeTargets(targets) {
		name := string(c)
		if r, err := f.regions.Get(ctx, c); err == nil {
			name = r.Name
		}
		names = append(names, broadcast.EscapeHTML(name))
	}
	return strings.Join(names, ", ")
}

func urgentMessage() message.Message {
	m := chat.Text("operator.siaran.urgent")
	m.Buttons = [][]message.Button{{
		{Text: catalog.T("operator.siaran.urgent_yes"), Data: callbackData("u", "1")},
		{Text: catalog.T("operator.siaran.urgent_no"), Data: callbackData("u", "0")},
	}}
	return m
}

func (f *flow) timingMessage(s *session) message.Message {
	zone := broadcast.ZoneAbbrev(f.loc(s))
	m := chat.Text("operator.siaran.timing", zone)
	b := func(key catalog.Key, data string) message.Button {
		return message.Button{Text: catalog.T(key), Data: data}
	}
	m.Buttons = [][]message.Button{
		{b("operator.siaran.when_now", callbackData("w", "now")), b("operator.siaran.when_once", callbackData("w", "once"))},
		{b("operator.siaran.when_daily", callbackData("w", "daily")), b("operator.siaran.when_monday", callbackData("w", "monday"))},
		{b("operator.siaran.when_monthly", callbackData("w", "monthly")), b("operator.siaran.when_cron", callbackData("w", "cron"))},
		{{Text: catalog.T("operator.siaran.zone", zone), Data: callbackData("z")}},
	}
	return m
}

// String keeps fmt from printing sessions (content is a resident-facing
// text, not for logs).
func (s *session) String() string { return fmt.Sprintf("session{step=%s}", s.Step) }
