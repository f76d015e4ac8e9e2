package broadcast

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// A cron spec's day-of-week field may name the nth weekday of the month
// instead of a list, as Quartz writes it: "1#1" is the first Monday, "5#4"
// the fourth Friday, "1L" the last Monday. kimbot stores such a spec as
// it is (kind cron, cron_spec "0 8 * * 1#1"), so no migration is needed and
// every place that computes a fire (Create, the dispatcher, resume) reads
// it through parseSpec. Plain cron cannot say "first Monday": with both day
// fields restricted, "0 8 1-7 * 1" fires on days 1-7 OR on Mondays.

// starBit marks a cron field written "*" or "?" (robfig/cron's own bit):
// only when one day field has it are the two day fields ANDed.
const starBit = 1 << 63

// lastWeek is the n of a "last weekday of the month" rule ("1L").
const lastWeek = -1

// nthField reads the day-of-week field of an nth-weekday spec.
var nthField = regexp.MustCompile(`^([0-6])(?:#([1-4])|L)$`)

// maxNthSteps bounds the walk over base fires (at most 24 fires a day
// for five weeks, then the right week has come).
const maxNthSteps = 24 * 7 * 6

// nthWeekday fires at base's times, but only on the nth weekday of the
// month in base's zone.
type nthWeekday struct {
	base    *cron.SpecSchedule // day of month "*", day of week the one weekday
	weekday time.Weekday
	n       int // 1..4, or lastWeek
}

// Next is the first fire after t on the right week of its month.
func (s nthWeekday) Next(t time.Time) time.Time {
	for i := 0; i < maxNthSteps; i++ {
		t = s.base.Next(t)
		if t.IsZero() || s.matches(t) {
			return t
		}
	}
	return time.Time{}
}

func (s nthWeekday) matches(t time.Time) bool {
	t = t.In(s.base.Location)
	if s.n == lastWeek {
		return t.AddDate(0, 0, 7).Month() != t.Month()
	}
	return (t.Day()-1)/7+1 == s.n
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// parseSpec reads a stored or typed spec in loc, nth-weekday rules
// included, without checking how often it fires.
func parseSpec(spec string, loc *time.Location) (cron.Schedule, error) {
	f := strings.Fields(spec)
	if len(f) == 5 {
		if m := nthField.FindStringSubmatch(f[4]); m != nil {
			return parseNth(f, m, loc)
		}
	}
	sched, err := cronParser.Parse(spec)
	if err != nil {
		return nil, err
	}
	if s, ok := sched.(*cron.SpecSchedule); ok {
		s.Location = loc
	}
	return sched, nil
}

func parseNth(f, m []string, loc *time.Location) (cron.Schedule, error) {
	if f[2] != "*" && f[2] != "?" {
		return nil, errBothDays
	}
	sched, err := cronParser.Parse(strings.Join([]string{f[0], f[1], "*", f[3], m[1]}, " "))
	if err != nil {
		return nil, err
	}
	base := sched.(*cron.SpecSchedule)
	base.Location = loc
	wd, _ := strconv.Atoi(m[1])
	n := lastWeek
	if m[2] != "" {
		n, _ = strconv.Atoi(m[2])
	}
	return nthWeekday{base: base, weekday: time.Weekday(wd), n: n}, nil
}

// errBothDays is parseSpec's error for an nth weekday with a day of month.
var errBothDays = fmt.Errorf("an nth weekday (#, L) needs * as day of month")

// bothDays says whether s ORs its day fields: both are restricted.
func bothDays(s *cron.SpecSchedule) bool {
	return s.Dom&starBit == 0 && s.Dow&starBit == 0
}

// bothDaysErr explains the trap of spec and how to say the nth weekday.
func bothDaysErr(spec string, s *cron.SpecSchedule) *InputError {
	f := strings.Fields(spec)
	dom, dow := "?", "?"
	if len(f) == 5 {
		dom, dow = f[2], f[4]
	}
	return inputErr("cron", ReasonCronBothDays, suggestNth(s),
		"%q restricts both day of month (%s) and day of week (%s), and cron then fires when EITHER matches (on days %s and also on day of week %s), not only when both do; "+
			"keep one of them \"*\"; for a weekday in one week of the month use --monthly-weekday with a phrase like the example (in chat, type the phrase); day of week: %s",
		spec, dom, dow, dom, dow, SundayIsZero)
}

// SundayIsZero is the day-of-week hint every refused spec carries.
const SundayIsZero = "0 = Minggu (Sunday), 1 = Senin, 2 = Selasa, 3 = Rabu, 4 = Kamis, 5 = Jumat, 6 = Sabtu"

// suggestNth is the nth-weekday phrase a both-day spec most likely meant:
// "0 8 1-7 * 1" → "Senin pertama 08.00". Anything else gets that example.
func suggestNth(s *cron.SpecSchedule) string {
	days, wds, hours, mins := bitList(s.Dom, 1, 31), bitList(s.Dow, 0, 6), bitList(s.Hour, 0, 23), bitList(s.Minute, 0, 59)
	if len(wds) != 1 || len(hours) != 1 || len(mins) != 1 || len(days) != 7 || days[6]-days[0] != 6 || (days[0]-1)%7 != 0 || days[0] > 22 {
		return "Senin pertama 08.00"
	}
	return fmt.Sprintf("%s %s %02d.%02d", weekdayName(time.Weekday(wds[0])), ordinal((days[0]-1)/7+1), hours[0], mins[0])
}

// bitList is the values lo..hi set in a cron field's bits.
func bitList(bits uint64, lo, hi int) []int {
	var out []int
	for v := lo; v <= hi; v++ {
		if bits&(1<<uint(v)) != 0 {
			out = append(out, v)
		}
	}
	return out
}
