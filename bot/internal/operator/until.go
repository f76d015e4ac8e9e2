package operator

import (
	"strconv"
	"strings"
	"time"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// The end-date step of a repeating /siaran: "every Monday 08.00 until the
// analog TV switch-off". It follows a preset or typed cron timing.

// untilMessage asks until when a repeating schedule runs, naming its
// first fire so the operator sees what the end must come after.
func (f *flow) untilMessage(s *session) message.Message {
	loc := f.loc(s)
	first := f.firstFire(s)
	m := chat.Text("operator.siaran.until", formatTime(&first, loc), broadcast.ZoneAbbrev(loc), untilExample(first, loc))
	m.Buttons = [][]message.Button{{{Text: catalog.T("operator.siaran.until_none"), Data: callbackData("e", "none")}}}
	return m
}

// onUntil takes "no end" or a typed end date, then asks about urgency.
func (f *flow) onUntil(s *session, in input) reply {
	switch {
	case in.Data == callbackData("e", "none"):
		s.Until = nil
	case in.Data != "" || strings.TrimSpace(in.Plain) == "":
		return respond(s, f.untilMessage(s))
	default:
		until, err := broadcast.ParseUntil(dateISO(in.Plain), f.loc(s), f.clock.Now())
		switch {
		case broadcast.ReasonOf(err) == broadcast.ReasonBadEnd, err == nil && until.Before(f.firstFire(s)):
			return respond(s, f.untilTooEarly(s))
		case err != nil:
			return respond(s, chat.Text("operator.err.until_bad", untilExample(f.firstFire(s), f.loc(s))))
		}
		s.Until = &until
	}
	s.Step = stepUrgent
	return respond(s, urgentMessage())
}

// untilTooEarly says the end must come after the first fire (an end in
// the past is the same mistake).
func (f *flow) untilTooEarly(s *session) message.Message {
	loc, first := f.loc(s), f.firstFire(s)
	return chat.Text("operator.err.until_early", formatTime(&first, loc), untilExample(first, loc))
}

// firstFire is when s's cron timing fires first from now. The spec was
// checked when it was chosen; a zero time only shows as a dash.
func (f *flow) firstFire(s *session) time.Time {
	t := f.timing(s)
	t.Until = nil // the end is what is being asked
	if fires := t.NextFires(1, f.clock.Now()); len(fires) == 1 {
		return fires[0]
	}
	return time.Time{}
}

// untilExample is an end date a month after the first fire, typed the
// way the question shows it.
func untilExample(first time.Time, loc *time.Location) string {
	if first.IsZero() {
		return "30/11/2026"
	}
	return first.In(loc).AddDate(0, 1, 0).Format("02/01/2006")
}

// months reads Indonesian (and English) month names by their first
// three letters.
var months = map[string]time.Month{
	"jan": time.January, "feb": time.February, "peb": time.February, "mar": time.March,
	"apr": time.April, "mei": time.May, "may": time.May, "jun": time.June, "jul": time.July,
	"agu": time.August, "agt": time.August, "ags": time.August, "aug": time.August,
	"sep": time.September, "okt": time.October, "oct": time.October, "nov": time.November,
	"nop": time.November, "des": time.December, "dec": time.December,
}

// dateISO turns a bare date as operators write it ("30/11/2026",
// "30-11-2026", "30 November 2026", "1 Des 2026") into the "2026-11-30"
// that broadcast.ParseUntil reads as the end of that day. Anything else
// is returned as typed, for ParseUntil to read or refuse.
func dateISO(typed string) string {
	s := strings.TrimSpace(typed)
	if f := strings.Fields(s); len(f) == 3 && len(f[1]) >= 3 {
		if m, ok := months[strings.ToLower(f[1][:3])]; ok {
			s = f[0] + "/" + strconv.Itoa(int(m)) + "/" + f[2]
		}
	}
	for _, layout := range []string{"2/1/2006", "2-1-2006", "2.1.2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d.Format("2006-01-02")
		}
	}
	return strings.TrimSpace(typed)
}
