package broadcast

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/kimbot/kimbot/catalog"
)

// Describe says when t fires in plain Bahasa Indonesia, as the CLI and
// the chat show it: "setiap Senin pukul 08.00 WIB", "Senin pertama setiap
// bulan pukul 08.00 WIB", "sekali, Senin 1 Desember 2026 pukul 08.00 WIB".
// The words come from package catalog.
func (t Timing) Describe() string {
	loc := t.zone()
	switch t.Kind {
	case KindOnce:
		if t.At.IsZero() { // a one-off that fired: its time is in its run
			return catalog.T("timing.once_done")
		}
		return catalog.T("timing.once", LongTime(t.At, loc))
	case KindCron:
		s := describeSpec(t.Cron, loc)
		if t.Until != nil {
			s = catalog.T("timing.until", s, untilText(*t.Until, loc))
		}
		return s
	}
	return catalog.T("timing.now")
}

func (t Timing) zone() *time.Location {
	if t.Zone == nil {
		return defaultZone()
	}
	return t.Zone
}

// describeSpec is a cron spec's days and times; a spec that does not
// parse (it never should) is shown as it is.
func describeSpec(spec string, loc *time.Location) string {
	sched, err := parseSpec(spec, loc)
	if err != nil {
		return catalog.T("timing.cron", spec)
	}
	switch s := sched.(type) {
	case nthWeekday:
		days := catalog.T("timing.nth_monthly", weekdayName(s.weekday), ordinal(s.n))
		if !allMonths(s.base.Month) {
			days = catalog.T("timing.nth_months", weekdayName(s.weekday), ordinal(s.n), monthList(s.base.Month))
		}
		return withClock(days, s.base, loc)
	case *cron.SpecSchedule:
		return withClock(describeDays(s), s, loc)
	case cron.ConstantDelaySchedule:
		return catalog.T("timing.every", describeDelay(s.Delay))
	}
	return catalog.T("timing.cron", spec)
}

// describeDays is the days a spec fires on, with its months.
func describeDays(s *cron.SpecSchedule) string {
	every := allMonths(s.Month)
	dom := catalog.T("timing.dom_monthly", join(numbers(bitList(s.Dom, 1, 31))))
	if !every {
		dom = catalog.T("timing.dom_yearly", join(numbers(bitList(s.Dom, 1, 31))), monthList(s.Month))
	}
	dow := catalog.T("timing.daily")
	if wds := bitList(s.Dow, 0, 6); len(wds) < 7 {
		dow = catalog.T("timing.weekly", join(runs(wds, func(d int) string { return weekdayName(time.Weekday(d)) })))
	}
	if !every {
		dow = catalog.T("timing.in_months", dow, monthList(s.Month))
	}
	switch {
	case bothDays(s): // refused since issue 9; older schedules may still have it
		return catalog.T("timing.either", dom, dow)
	case s.Dom&starBit == 0:
		return dom
	}
	return dow
}

func allMonths(bits uint64) bool { return len(bitList(bits, 1, 12)) == 12 }

// withClock adds the times of day: "… pukul 08.00 WIB".
func withClock(days string, s *cron.SpecSchedule, loc *time.Location) string {
	hours, mins := bitList(s.Hour, 0, 23), bitList(s.Minute, 0, 59)
	if len(hours) == 24 && len(mins) == 1 {
		return catalog.T("timing.hourly", days, mins[0])
	}
	var clocks []string
	for _, h := range hours {
		for _, m := range mins {
			clocks = append(clocks, fmt.Sprintf("%02d.%02d", h, m))
		}
	}
	return catalog.T("timing.at", days, join(clocks), ZoneAbbrev(loc))
}

func describeDelay(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case m == 0:
		return catalog.T("timing.hours", h)
	case h == 0:
		return catalog.T("timing.minutes", m)
	}
	return catalog.T("timing.hours", h) + " " + catalog.T("timing.minutes", m)
}

// LongTime is "Senin 1 Desember 2026 pukul 08.00 WIB".
func LongTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return catalog.T("timing.date_time", weekdayName(t.Weekday()), t.Day(), monthName(t.Month()), t.Year(), t.Format("15.04"), ZoneAbbrev(loc))
}

// ShortTime is "Sen 7 Des 08.00", for lists on a phone.
func ShortTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return catalog.T("timing.short", abbrev(weekdayName(t.Weekday())), t.Day(), abbrev(monthName(t.Month())), t.Format("15.04"))
}

// untilText is an end date; the end of a day (a date typed alone) shows
// as the date alone.
func untilText(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	date := catalog.T("timing.date", t.Day(), monthName(t.Month()), t.Year())
	if t.Hour() == 23 && t.Minute() == 59 {
		return date
	}
	return catalog.T("timing.date_clock", date, t.Format("15.04"), ZoneAbbrev(loc))
}

func weekdayName(d time.Weekday) string {
	return catalog.T(catalog.Key(fmt.Sprintf("timing.day.%d", d)))
}

func monthName(m time.Month) string { return catalog.T(catalog.Key(fmt.Sprintf("timing.month.%d", m))) }

func ordinal(n int) string {
	if n == lastWeek {
		return catalog.T("timing.nth.last")
	}
	return catalog.T(catalog.Key(fmt.Sprintf("timing.nth.%d", n)))
}

func abbrev(name string) string {
	if r := []rune(name); len(r) > 3 {
		return string(r[:3])
	}
	return name
}

func monthList(bits uint64) string {
	return join(runs(bitList(bits, 1, 12), func(m int) string { return monthName(time.Month(m)) }))
}

func numbers(vs []int) []string {
	return runs(vs, func(v int) string { return fmt.Sprint(v) })
}

// runs names vs, writing three or more consecutive values as a range
// ("Senin–Jumat", "1–7").
func runs(vs []int, name func(int) string) []string {
	var out []string
	for i := 0; i < len(vs); {
		j := i
		for j+1 < len(vs) && vs[j+1] == vs[j]+1 {
			j++
		}
		if j-i >= 2 {
			out = append(out, name(vs[i])+"–"+name(vs[j]))
		} else {
			for k := i; k <= j; k++ {
				out = append(out, name(vs[k]))
			}
		}
		i = j + 1
	}
	return out
}

// join is "a, b dan c".
func join(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return catalog.T("timing.and", strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
}
