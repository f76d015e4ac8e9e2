package broadcast_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := broadcast.ParseZone(name)
	if err != nil {
		t.Fatalf("ParseZone(%q): %v", name, err)
	}
	return loc
}

func TestParseZone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Asia/Jakarta", "Asia/Jakarta", true},
		{"wib", "Asia/Jakarta", true},
		{" WITA ", "Asia/Makassar", true},
		{"asia/makassar", "Asia/Makassar", true},
		{"WIT", "Asia/Jayapura", true},
		{"Asia/Jayapura", "Asia/Jayapura", true},
		{"UTC", "", false},
		{"Europe/Berlin", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			loc, err := broadcast.ParseZone(tt.in)
			if !tt.ok {
				if broadcast.ReasonOf(err) != broadcast.ReasonBadZone || !strings.Contains(err.Error(), "Asia/Makassar (WITA)") {
					t.Fatalf("ParseZone(%q) = %v, want a bad-zone error naming the valid zones", tt.in, err)
				}
				return
			}
			if err != nil || loc.String() != tt.want {
				t.Fatalf("ParseZone(%q) = %v, %v; want %s", tt.in, loc, err, tt.want)
			}
		})
	}
}

// TestParseCron_ZonesAcrossDateChange checks that the next fire is computed
// in the schedule's zone, where the local date differs from UTC's.
func TestParseCron_ZonesAcrossDateChange(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, spec, zone, now, want string
	}{
		// 23:00 WIT is 14:00 UTC the same day.
		{"jayapura late evening", "0 23 * * *", "Asia/Jayapura", "2026-11-22T12:00:00Z", "2026-11-22T14:00:00Z"},
		// 06:00 WIB on the 23rd is 23:00 UTC on the 22nd; at 23:30 UTC it is past, so the 24th.
		{"jakarta early morning", "0 6 * * *", "Asia/Jakarta", "2026-11-22T23:30:00Z", "2026-11-23T23:00:00Z"},
		{"jakarta before local midnight", "0 6 * * *", "Asia/Jakarta", "2026-11-22T16:59:00Z", "2026-11-22T23:00:00Z"},
		// 07:30 WITA Monday = 23:30 UTC Sunday.
		{"makassar monday", "30 7 * * 1", "WITA", "2026-11-22T12:00:00Z", "2026-11-22T23:30:00Z"},
		// @weekly is Sunday 00:00 local: Sunday 2026-11-29 00:00 WIB = Saturday 17:00 UTC.
		{"weekly jakarta", "@weekly", "WIB", "2026-11-22T12:00:00Z", "2026-11-28T17:00:00Z"},
		{"monthly jayapura", "@monthly", "WIT", "2026-11-22T12:00:00Z", "2026-11-30T15:00:00Z"},
		{"every 24h", "@every 24h", "WIB", "2026-11-22T12:00:00Z", "2026-11-23T12:00:00Z"},
		{"hourly", "0 * * * *", "WIB", "2026-11-22T12:10:00Z", "2026-11-22T13:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			now := utc(tt.now)
			sched, err := broadcast.ParseCron(tt.spec, loc, now)
			if err != nil {
				t.Fatalf("ParseCron(%q): %v", tt.spec, err)
			}
			if got := sched.Next(now.In(loc)); !got.Equal(utc(tt.want)) {
				t.Fatalf("next fire of %q in %s after %s = %s, want %s", tt.spec, tt.zone, tt.now, got.UTC(), tt.want)
			}
		})
	}
}

func TestParseCron_Refused(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		spec   string
		reason broadcast.Reason
	}{
		{"", broadcast.ReasonBadCron},
		{"every monday", broadcast.ReasonBadCron},
		{"0 8 * *", broadcast.ReasonBadCron},
		{"61 8 * * 1", broadcast.ReasonBadCron},
		{"0 0 8 * * 1", broadcast.ReasonBadCron}, // seconds field: not the standard 5
		{"0 8 31 2 *", broadcast.ReasonBadCron},  // never fires
		{"CRON_TZ=Asia/Jakarta 0 8 * * 1", broadcast.ReasonBadCron},
		{"TZ=UTC 0 8 * * 1", broadcast.ReasonBadCron},
		{"* * * * *", broadcast.ReasonCronTooOften},
		{"*/30 * * * *", broadcast.ReasonCronTooOften},
		{"0,30 8 * * *", broadcast.ReasonCronTooOften},
		{"@every 30m", broadcast.ReasonCronTooOften},
		{"@every 59m59s", broadcast.ReasonCronTooOften},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := broadcast.ParseCron(tt.spec, time.UTC, now)
			if got := broadcast.ReasonOf(err); got != tt.reason {
				t.Fatalf("ParseCron(%q) = %v (reason %q), want reason %q", tt.spec, err, got, tt.reason)
			}
			if !strings.Contains(err.Error(), "e.g.") {
				t.Fatalf("error %q does not say what a valid value looks like", err)
			}
		})
	}
}

func TestParseAt(t *testing.T) {
	loc := mustZone(t, "WIB")
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) // 19:00 WIB
	tests := []struct {
		in     string
		want   time.Time
		reason broadcast.Reason
	}{
		{"2026-11-30T08:00:00+07:00", time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC), ""},
		{"2026-11-30 08:00", time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC), ""},
		{"30/11/2026 08.00", time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC), ""},
		{"2026-11-22 19:30", time.Date(2026, 11, 22, 12, 30, 0, 0, time.UTC), ""},
		{"2026-11-22 18:59", time.Time{}, broadcast.ReasonPastTime},
		{"2026-11-22T12:00:00Z", time.Time{}, broadcast.ReasonPastTime},
		{"2020-01-01T08:00:00+07:00", time.Time{}, broadcast.ReasonPastTime},
		{"besok pagi", time.Time{}, broadcast.ReasonBadTime},
		{"2026-13-01 08:00", time.Time{}, broadcast.ReasonBadTime},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := broadcast.ParseAt(tt.in, loc, now)
			if tt.reason != "" {
				if broadcast.ReasonOf(err) != tt.reason || !strings.Contains(err.Error(), "2026-11-23T08:00:00+07:00") {
					t.Fatalf("ParseAt(%q) = %v, want %s with an example of tomorrow 08:00", tt.in, err, tt.reason)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("ParseAt(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseUntil_DateMeansEndOfDay(t *testing.T) {
	loc := mustZone(t, "WIT")
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	got, err := broadcast.ParseUntil("2026-11-30", loc, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 30, 23, 59, 59, 0, loc); !got.Equal(want) {
		t.Fatalf("ParseUntil = %s, want %s", got, want)
	}
	if _, err := broadcast.ParseUntil("2026-11-01", loc, now); broadcast.ReasonOf(err) != broadcast.ReasonBadEnd {
		t.Fatalf("past end date: %v, want ReasonBadEnd", err)
	}
}

func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"0 8 * * 1", "@weekly", "@every 2h", "*/5 * * * *", "0 0 30 2 *", "CRON_TZ=x 0 0 * * *", "0-59/60 1-2 * * 1-5"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	loc := mustZone(f, "WIB")
	f.Fuzz(func(t *testing.T, spec string) {
		sched, err := broadcast.ParseCron(spec, loc, now)
		if err != nil {
			var ie *broadcast.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseCron(%q) returned a non-input error %v", spec, err)
			}
			return
		}
		// Accepted specs fire, in the future, at most once an hour.
		a := sched.Next(now.In(loc))
		b := sched.Next(a)
		if !a.After(now) || (!b.IsZero() && b.Sub(a) < broadcast.MinCronInterval) {
			t.Fatalf("ParseCron(%q) accepted a spec firing at %s then %s", spec, a, b)
		}
	})
}

func FuzzParseAt(f *testing.F) {
	for _, s := range []string{"2026-11-30 08:00", "2026-11-30T08:00:00+07:00", "30/11/2026 08.00", "x", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	loc := mustZone(f, "WITA")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := broadcast.ParseAt(s, loc, now)
		if err == nil && !got.After(now) {
			t.Fatalf("ParseAt(%q) accepted %s, not after now", s, got)
		}
		if err != nil && broadcast.ReasonOf(err) == "" {
			t.Fatalf("ParseAt(%q) returned a non-input error %v", s, err)
		}
	})
}
