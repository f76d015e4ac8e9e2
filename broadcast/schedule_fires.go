package broadcast

import "time"

// NextFires is when t fires next after now, at most n times: now itself
// for KindNow, the one time of KindOnce, and for KindCron the next n
// fires of its spec in its zone before its end (the dispatcher computes
// the same times: parseSpec serves both).
func (t Timing) NextFires(n int, now time.Time) []time.Time {
	switch t.Kind {
	case KindNow:
		return []time.Time{now}
	case KindOnce:
		return []time.Time{t.At}
	case KindCron:
		return t.cronFires(n, now)
	}
	return nil
}

func (t Timing) cronFires(n int, after time.Time) []time.Time {
	sched, err := parseSpec(t.Cron, t.zone())
	if err != nil {
		return nil
	}
	var out []time.Time
	for len(out) < n {
		after = sched.Next(after.In(t.zone())).Truncate(time.Microsecond)
		if after.IsZero() || (t.Until != nil && after.After(*t.Until)) {
			break
		}
		out = append(out, after)
	}
	return out
}

// Timing is sc's timing as it was set (the time of a one-off is its next
// run, which is when it was set to fire).
func (sc Schedule) Timing() Timing {
	t := Timing{Kind: sc.Kind, Cron: sc.CronSpec, Zone: sc.Zone, Until: sc.EndAt}
	if sc.NextRunAt != nil && sc.Kind != KindCron {
		t.At = *sc.NextRunAt
	}
	return t
}

// NextFires is when sc fires next, at most n times: none once it is
// finished or cancelled; an active schedule's stored next run first; a
// paused cron schedule's fires after now, where Resume continues.
func (sc Schedule) NextFires(n int, now time.Time) []time.Time {
	if sc.NextRunAt == nil || n < 1 || (sc.Status != ScheduleActive && sc.Status != SchedulePaused) {
		return nil
	}
	t := sc.Timing()
	switch {
	case sc.Kind != KindCron:
		return []time.Time{*sc.NextRunAt}
	case sc.Status == SchedulePaused:
		return t.cronFires(n, now)
	}
	return append([]time.Time{*sc.NextRunAt}, t.cronFires(n-1, *sc.NextRunAt)...)
}
