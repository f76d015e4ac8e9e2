package broadcast

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"time"
	_ "time/tzdata" // the three Indonesian zones must resolve in a scratch container too

	"github.com/robfig/cron/v3"
)

// Kind is how a schedule fires.
type Kind string

// The kinds of schedule.
const (
	KindNow  Kind = "now"  // once, as soon as the dispatcher sees it
	KindOnce Kind = "once" // once at a given time
	KindCron Kind = "cron" // repeatedly, by a cron spec in a time zone
)

// Timing says when a schedule fires. Build it with ParseTiming or by hand
// and check it with Schedules.Create.
type Timing struct {
	Kind  Kind
	At    time.Time      // KindOnce
	Cron  string         // KindCron
	Zone  *time.Location // zone of Cron and of times typed without an offset
	Until *time.Time     // optional: no fire after this (KindCron only)
}

// MinCronInterval is the shortest gap allowed between two fires of a cron
// schedule: announcements are not a chat, and each fire reaches every
// subscriber of the targets.
const MinCronInterval = time.Hour

// zones maps what operators type to the three Indonesian time zones.
var zones = map[string]string{
	"asia/jakarta": "Asia/Jakarta", "wib": "Asia/Jakarta",
	"asia/makassar": "Asia/Makassar", "wita": "Asia/Makassar",
	"asia/jayapura": "Asia/Jayapura", "wit": "Asia/Jayapura",
}

const exampleZone = "Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"

// ParseZone accepts Asia/Jakarta, Asia/Makassar, Asia/Jayapura or their
// everyday names WIB, WITA, WIT, in any case.
func ParseZone(s string) (*time.Location, error) {
	name, ok := zones[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return nil, inputErr("tz", ReasonBadZone, exampleZone, "%q is not an Indonesian time zone", s)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("loading zone %s: %w", name, err)
	}
	return loc, nil
}

// ZoneAbbrev is WIB, WITA or WIT for the three zones, else the zone's name.
func ZoneAbbrev(loc *time.Location) string {
	switch loc.String() {
	case "Asia/Jakarta":
		return "WIB"
	case "Asia/Makassar":
		return "WITA"
	case "Asia/Jayapura":
		return "WIT"
	}
	return loc.String()
}

// timeLayouts are the forms a time may be typed in; all but RFC 3339 are
// read in the schedule's zone.
var timeLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "02/01/2006 15:04", "02-01-2006 15:04", "2006-01-02 15.04", "02/01/2006 15.04"}

func exampleAt(now time.Time, loc *time.Location) string {
	t := now.In(loc).Add(24 * time.Hour)
	t = time.Date(t.Year(), t.Month(), t.Day(), 8, 0, 0, 0, loc)
	return fmt.Sprintf("%s or %q", t.Format(time.RFC3339), t.Format("2006-01-02 15:04"))
}

// ParseAt reads a one-off fire time: RFC 3339 ("2026-11-30T08:00:00+07:00")
// or "2026-11-30 08:00" in loc. A time not after now is refused with an
// example of a valid one.
func ParseAt(s string, loc *time.Location, now time.Time) (time.Time, error) {
	t, err := parseTime(s, loc)
	if err != nil {
		return t, inputErr("at", ReasonBadTime, exampleAt(now, loc), "%q is not a date and time", s)
	}
	if !t.After(now) {
		return t, inputErr("at", ReasonPastTime, exampleAt(now, loc), "%s is already in the past", t.In(loc).Format("2006-01-02 15:04 MST"))
	}
	return t, nil
}

// ParseUntil reads an end date: like ParseAt, or a bare date
// ("2026-11-30"), meaning the end of that day in loc.
func ParseUntil(s string, loc *time.Location, now time.Time) (time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc); err == nil {
		s = d.Add(24*time.Hour - time.Second).Format(time.RFC3339)
	}
	t, err := ParseAt(s, loc, now)
	var ie *InputError
	if errors.As(err, &ie) {
		ie.Field = "until"
		if ie.Reason == ReasonPastTime {
			ie.Reason = ReasonBadEnd
		}
	}
	return t, err
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	var firstErr error
	for _, layout := range timeLayouts {
		t, err := time.ParseInLocation(layout, s, loc)
		if err == nil {
			return t, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, firstErr
}

// ExampleCron is what the error for a bad cron spec suggests.
const ExampleCron = `"0 8 * * 1" = every Monday 08:00, "30 6 * * *" = every day 06:30, "0 9 1 * *" = the 1st of each month 09:00, "@weekly" = Sunday 00:00; day of week ` + SundayIsZero

// ParseCron parses a standard 5-field cron spec or a descriptor (@daily,
// @weekly, @monthly, @every 24h…), or an nth weekday ("0 8 * * 1#1", see
// schedule_spec.go), and checks that it fires at most once an hour (one
// fixed minute; @every at least 1h), that it does not restrict both day
// fields (cron would OR them) and that it fires at all. The zone is
// applied by the caller (Timing.Zone), never inside the spec.
func ParseCron(spec string, loc *time.Location, now time.Time) (cron.Schedule, error) {
	spec = strings.Join(strings.Fields(spec), " ")
	if strings.HasPrefix(strings.ToUpper(spec), "TZ=") || strings.HasPrefix(strings.ToUpper(spec), "CRON_TZ=") {
		return nil, inputErr("cron", ReasonBadCron, ExampleCron, "give the time zone separately (--tz), not in the spec")
	}
	sched, err := parseSpec(spec, loc)
	if errors.Is(err, errBothDays) {
		return nil, inputErr("cron", ReasonCronBothDays, "Senin pertama 08.00",
			"%q names an nth weekday and a day of month; write * as day of month, or use --monthly-weekday; day of week: %s", spec, SundayIsZero)
	}
	if err != nil {
		return nil, inputErr("cron", ReasonBadCron, ExampleCron, "%q is not a cron spec: minute hour day-of-month month day-of-week (an nth weekday is one day with # and 1-4, or L: 1#1 = first Monday, 5L = last Friday)", spec)
	}
	if err := checkSpec(spec, sched); err != nil {
		return nil, err
	}
	if sched.Next(now.In(loc)).IsZero() {
		return nil, inputErr("cron", ReasonBadCron, ExampleCron, "%q never fires", spec)
	}
	return sched, nil
}

// checkSpec refuses a spec that fires more than once an hour or ORs its
// day fields.
func checkSpec(spec string, sched cron.Schedule) error {
	switch s := sched.(type) {
	case nthWeekday:
		return checkSpec(spec, s.base)
	case *cron.SpecSchedule:
		if bits.OnesCount64(s.Minute&^starBit) != 1 {
			return inputErr("cron", ReasonCronTooOften, ExampleCron, "%q fires more than once an hour; use one fixed minute", spec)
		}
		if bothDays(s) {
			return bothDaysErr(spec, s)
		}
	case cron.ConstantDelaySchedule:
		if s.Delay < MinCronInterval {
			return inputErr("cron", ReasonCronTooOften, "@every 24h", "@every must be at least 1h")
		}
	}
	return nil
}
