package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

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

// opSession is an operator's /siaran in progress, kept in the chat's
// conversation state between updates.
type opSession struct {
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

// opInput is one update as the operator flow sees it.
type opInput struct {
	HTML           string // text or caption converted from its entities
	Plain          string // text as typed, for answers such as a time
	PhotoFileID    string
	DocumentFileID string
	Data           string // callback data
	Other          bool   // a sticker, location, voice…: not usable content
}

// opReply is what the flow answers: messages to send to the operator and
// the session to keep (nil ends it).
type opReply struct {
	Messages []message.Message
	Session  *opSession
}

// operatorFlow holds what the operator commands need; it has no state of
// its own, so concurrent updates share it safely.
type operatorFlow struct {
	staff     *staff.Directory
	schedules *broadcast.Schedules
	regions   *region.Store
	clock     message.Clock
	zone      *time.Location
	logger    *slog.Logger
}

func opText(key catalog.Key, args ...any) message.Message {
	return message.Message{Text: catalog.T(key, args...)}
}

func opRespond(s *opSession, msgs ...message.Message) opReply {
	return opReply{Messages: msgs, Session: s}
}

// startSiaran begins /siaran.
func (f *operatorFlow) startSiaran(op staff.Actor) opReply {
	s := &opSession{Step: stepContent, View: op.Scope, Zone: f.zone.String()}
	return opRespond(s, opText("operator.siaran.content"))
}

// onContent takes the announcement as residents should see it.
func (f *operatorFlow) onContent(ctx context.Context, op staff.Actor, s *opSession, in opInput) opReply {
	if in.Other || (in.HTML == "" && in.PhotoFileID == "" && in.DocumentFileID == "") {
		return opRespond(s, opText("operator.siaran.content_kind"))
	}
	c := broadcast.Content{Text: in.HTML, PhotoFileID: in.PhotoFileID, DocumentFileID: in.DocumentFileID}
	if err := c.Validate(); err != nil {
		return opRespond(s, f.inputError(err))
	}
	s.Content, s.Step = c, stepLinks
	return opRespond(s, opLinksMessage())
}

// inputError is the operator's text for a refused input.
func (f *operatorFlow) inputError(err error) message.Message {
	var ie *broadcast.InputError
	if !errors.As(err, &ie) {
		f.logger.Error("operator flow failed", "err", err)
		return opText("operator.err.failed")
	}
	key := catalog.Key("operator.err." + string(ie.Reason))
	if strings.Contains(catalog.T(key), "%s") {
		return opText(key, ie.Example)
	}
	return opText(key)
}

// onTiming handles the timing keyboard.
func (f *operatorFlow) onTiming(ctx context.Context, s *opSession, data string) opReply {
	presets := map[string]string{"daily": "0 7 * * *", "monday": "0 8 * * 1", "monthly": "0 8 1 * *"}
	choice := strings.TrimPrefix(data, "op:w:")
	s.Until = nil // an end date belongs to the timing it was typed for
	switch {
	case data == "op:z":
		s.Zone = opNextZone(s.Zone)
		return opRespond(s, f.timingMessage(s))
	case choice == "now":
		s.Kind = broadcast.KindNow
	case choice == "once":
		s.Step = stepAt
		loc := f.loc(s)
		example := f.clock.Now().In(loc).Add(24*time.Hour).Format("02/01/2006") + " 08.00"
		return opRespond(s, opText("operator.siaran.ask_at", broadcast.ZoneAbbrev(loc), example))
	case choice == "cron":
		s.Step = stepCron
		return opRespond(s, opText("operator.siaran.ask_cron"))
	case presets[choice] != "":
		s.Kind, s.Cron, s.Step = broadcast.KindCron, presets[choice], stepUntil
		return opRespond(s, f.untilMessage(s))
	default:
		return opRespond(s, f.timingMessage(s))
	}
	s.Step = stepUrgent
	return opRespond(s, opUrgentMessage())
}

// onTypedTiming reads a typed time (stepAt) or cron spec (stepCron).
func (f *operatorFlow) onTypedTiming(s *opSession, typed string) opReply {
	loc, now := f.loc(s), f.clock.Now()
	if s.Step == stepCron {
		if _, err := broadcast.ParseCron(typed, loc, now); err != nil {
			return opRespond(s, f.inputError(err))
		}
		s.Kind, s.Cron, s.Step = broadcast.KindCron, strings.Join(strings.Fields(typed), " "), stepUntil
		return opRespond(s, f.untilMessage(s))
	}
	at, err := broadcast.ParseAt(typed, loc, now)
	if err != nil {
		return opRespond(s, f.inputErrorAt(err, loc, now))
	}
	s.Kind, s.At, s.Step = broadcast.KindOnce, at, stepUrgent
	return opRespond(s, opUrgentMessage())
}

// inputErrorAt shows the example time in the form operators type it.
func (f *operatorFlow) inputErrorAt(err error, loc *time.Location, now time.Time) message.Message {
	var ie *broadcast.InputError
	if errors.As(err, &ie) {
		example := now.In(loc).Add(24*time.Hour).Format("02/01/2006") + " 08.00"
		return opText(catalog.Key("operator.err."+string(ie.Reason)), example)
	}
	return f.inputError(err)
}

func (f *operatorFlow) loc(s *opSession) *time.Location {
	if loc, err := broadcast.ParseZone(s.Zone); err == nil {
		return loc
	}
	return f.zone
}

func opNextZone(z string) string {
	switch z {
	case "Asia/Jakarta":
		return "Asia/Makassar"
	case "Asia/Makassar":
		return "Asia/Jayapura"
	}
	return "Asia/Jakarta"
}

// onUrgent takes the urgent answer and shows the preview.
func (f *operatorFlow) onUrgent(ctx context.Context, s *opSession, data string) opReply {
	if data != "op:u:1" && data != "op:u:0" {
		return opRespond(s, opUrgentMessage())
	}
	s.Urgent = data == "op:u:1"
	s.Step = stepConfirm
	return opRespond(s, f.preview(ctx, s)...)
}

// preview is the announcement exactly as residents get it, then the
// summary with the confirm buttons.
func (f *operatorFlow) preview(ctx context.Context, s *opSession) []message.Message {
	n, err := f.schedules.CountAudience(ctx, s.Targets)
	if err != nil {
		f.logger.Error("counting audience failed", "err", err)
	}
	urgent := catalog.T("operator.no")
	if s.Urgent {
		urgent = catalog.T("operator.yes")
	}
	summary := opText("operator.siaran.preview", f.targetNames(ctx, s.Targets), n, f.describeTiming(s), urgent)
	summary.Buttons = [][]message.Button{{
		{Text: catalog.T("operator.siaran.confirm"), Data: "op:ok"},
		{Text: catalog.T("operator.siaran.abort"), Data: "op:x"},
	}}
	return []message.Message{s.Content.Message(), summary}
}

// onConfirm saves the schedule.
func (f *operatorFlow) onConfirm(ctx context.Context, op staff.Actor, s *opSession, data string) opReply {
	if data == "op:x" {
		return opRespond(nil, opText("operator.siaran.cancelled"))
	}
	if data != "op:ok" {
		return opRespond(s, f.preview(ctx, s)...)
	}
	d := broadcast.Draft{Content: s.Content, Urgent: s.Urgent, Targets: s.Targets,
		Timing: broadcast.Timing{Kind: s.Kind, At: s.At, Cron: s.Cron, Zone: f.loc(s), Until: s.Until}}
	sc, err := f.schedules.Create(ctx, op, d)
	switch broadcast.ReasonOf(err) {
	case broadcast.ReasonPastTime:
		s.Step = stepTiming
		return opRespond(s, f.inputErrorAt(err, f.loc(s), f.clock.Now()), f.timingMessage(s))
	case broadcast.ReasonBadEnd:
		// The session waited so long that the end date no longer fits.
		s.Step, s.Until = stepUntil, nil
		return opRespond(s, f.untilTooEarly(s), f.untilMessage(s))
	}
	if err != nil {
		return opRespond(s, f.inputError(err))
	}
	f.logger.Info("schedule created in chat", "schedule_id", sc.ID, "kind", string(sc.Kind))
	if sc.Kind == broadcast.KindNow {
		return opRespond(nil, opText("operator.siaran.created_now", sc.ID))
	}
	return opRespond(nil, opText("operator.siaran.created", sc.ID, f.describeTiming(s), opFormatTime(sc.NextRunAt, sc.Zone)))
}

// describeTiming says when s fires, in the operator's words.
func (f *operatorFlow) describeTiming(s *opSession) string {
	return opDescribeWhen(s.Kind, s.At, s.Cron, s.Until, f.loc(s))
}

// opDescribeWhen is a timing in the operator's words, with the end date
// of a repeating one when it has one.
func opDescribeWhen(kind broadcast.Kind, at time.Time, spec string, until *time.Time, loc *time.Location) string {
	switch kind {
	case broadcast.KindOnce:
		return catalog.T("operator.when.once", opFormatTime(&at, loc))
	case broadcast.KindCron:
		labels := map[string]catalog.Key{"0 7 * * *": "operator.siaran.when_daily", "0 8 * * 1": "operator.siaran.when_monday", "0 8 1 * *": "operator.siaran.when_monthly"}
		label := spec
		if k, ok := labels[spec]; ok {
			label = catalog.T(k)
		}
		when := catalog.T("operator.when.cron", label+" "+broadcast.ZoneAbbrev(loc))
		if until != nil {
			when = catalog.T("operator.when.until", when, opFormatUntil(*until, loc))
		}
		return when
	}
	return catalog.T("operator.when.now")
}

func opFormatTime(t *time.Time, loc *time.Location) string {
	if t == nil {
		return catalog.T("operator.none")
	}
	return t.In(loc).Format("02/01/2006 15.04") + " " + broadcast.ZoneAbbrev(loc)
}

// targetNames names the chosen regions ("Lowokwaru, Tlogomas").
func (f *operatorFlow) targetNames(ctx context.Context, targets []region.Code) string {
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

func opUrgentMessage() message.Message {
	m := opText("operator.siaran.urgent")
	m.Buttons = [][]message.Button{{
		{Text: catalog.T("operator.siaran.urgent_yes"), Data: "op:u:1"},
		{Text: catalog.T("operator.siaran.urgent_no"), Data: "op:u:0"},
	}}
	return m
}

func (f *operatorFlow) timingMessage(s *opSession) message.Message {
	zone := broadcast.ZoneAbbrev(f.loc(s))
	m := opText("operator.siaran.timing", zone)
	b := func(key catalog.Key, data string) message.Button {
		return message.Button{Text: catalog.T(key), Data: data}
	}
	m.Buttons = [][]message.Button{
		{b("operator.siaran.when_now", "op:w:now"), b("operator.siaran.when_once", "op:w:once")},
		{b("operator.siaran.when_daily", "op:w:daily"), b("operator.siaran.when_monday", "op:w:monday")},
		{b("operator.siaran.when_monthly", "op:w:monthly"), b("operator.siaran.when_cron", "op:w:cron")},
		{{Text: catalog.T("operator.siaran.zone", zone), Data: "op:z"}},
	}
	return m
}

// String keeps fmt from printing sessions (content is a resident-facing
// text, not for logs).
func (s *opSession) String() string { return fmt.Sprintf("opSession{step=%s}", s.Step) }
