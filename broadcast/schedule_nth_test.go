package broadcast_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/staff"
)

func TestParseMonthlyWeekday(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Senin pertama 08.00", "0 8 * * 1#1"},
		{"1 Senin 08:00", "0 8 * * 1#1"},
		{"Senin pertama setiap bulan pukul 08.00", "0 8 * * 1#1"},
		{"Jumat terakhir 13.30", "30 13 * * 5L"},
		{"Jum'at ketiga, 9.05", "5 9 * * 5#3"},
		{"minggu kedua 07.00", "0 7 * * 0#2"},
		{"ke-4 Sabtu 20:15", "15 20 * * 6#4"},
		{"first monday 8:00", "0 8 * * 1#1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, err := broadcast.ParseMonthlyWeekday(tt.in); err != nil || got != tt.want {
				t.Fatalf("ParseMonthlyWeekday(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, in := range []string{"", "Senin 08.00", "pertama 08.00", "Senin pertama", "Senin kelima 08.00", "Senin pertama 25.00", "Senin Selasa pertama 08.00", "0 8 * * 1"} {
		if _, err := broadcast.ParseMonthlyWeekday(in); broadcast.ReasonOf(err) != broadcast.ReasonBadNthWeekday {
			t.Errorf("ParseMonthlyWeekday(%q) = %v, want bad_nth_weekday", in, err)
		}
	}
}

// firstMondays is an oracle apart from the code under test: the first
// Monday at 08:00 of each of n months from November 2026, in loc.
func firstMondays(loc *time.Location, n int) []time.Time {
	var out []time.Time
	for m := 0; m < n; m++ {
		d := time.Date(2026, time.December+time.Month(m), 1, 8, 0, 0, 0, loc)
		for d.Weekday() != time.Monday {
			d = d.AddDate(0, 0, 1)
		}
		out = append(out, d)
	}
	return out
}

// TestNthWeekday_Year computes a year of "Senin pertama 08.00" fires in WIB
// and WIT: exactly one a month, always a Monday within days 1-7.
func TestNthWeekday_Year(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for _, zone := range []string{"WIB", "WIT"} {
		t.Run(zone, func(t *testing.T) {
			loc := mustZone(t, zone)
			spec, err := broadcast.ParseMonthlyWeekday("Senin pertama 08.00")
			if err != nil {
				t.Fatal(err)
			}
			got := broadcast.Timing{Kind: broadcast.KindCron, Cron: spec, Zone: loc}.NextFires(12, now)
			want := firstMondays(loc, 12)
			if len(got) != 12 {
				t.Fatalf("%d fires in a year: %v", len(got), got)
			}
			for i := range want {
				if !got[i].Equal(want[i]) {
					t.Fatalf("fire %d = %s, want %s", i, got[i].In(loc), want[i])
				}
			}
		})
	}
}

// TestDispatcher_NthWeekdayYear runs "Senin pertama 08.00" through Create
// and the dispatcher for a year, the clock stepping a day at a time: runs
// go out on the first Monday of each month and on no other day.
func TestDispatcher_NthWeekdayYear(t *testing.T) {
	for _, zone := range []string{"WIB", "WIT"} {
		t.Run(zone, func(t *testing.T) {
			e := newSchedEnv(t)
			loc := mustZone(t, zone)
			spec, err := broadcast.ParseMonthlyWeekday("1 Senin 08:00")
			if err != nil {
				t.Fatal(err)
			}
			sc := e.create(t, staff.Admin(), textDraft("Kerja bakti Senin pertama", broadcast.Timing{Kind: broadcast.KindCron, Cron: spec, Zone: loc}, "35.73.05.1003"))
			want := firstMondays(loc, 12)
			if !sc.NextRunAt.Equal(want[0]) {
				t.Fatalf("first fire %s, want %s", sc.NextRunAt.In(loc), want[0])
			}
			// 08:30 local each day: every fire is caught within the grace hour.
			day := time.Date(2026, 11, 23, 8, 30, 0, 0, loc)
			for ; day.Before(want[11].Add(time.Hour)); day = day.AddDate(0, 0, 1) {
				e.clock.Set(day)
				e.tick(t)
			}
			var fires []time.Time
			if err := e.db.Select(&fires, `SELECT fire_at FROM runs WHERE schedule_id = $1 ORDER BY fire_at`, sc.ID); err != nil {
				t.Fatal(err)
			}
			if len(fires) != len(want) {
				t.Fatalf("%d runs in a year, want %d: %v", len(fires), len(want), fires)
			}
			for i := range want {
				if !fires[i].Equal(want[i]) {
					t.Fatalf("run %d fired %s, want %s", i, fires[i].In(loc), want[i])
				}
			}
			got, _ := e.schedules.Get(context.Background(), staff.Admin(), sc.ID)
			if next := firstMondays(loc, 13)[12]; !got.NextRunAt.Equal(next) {
				t.Fatalf("next after a year %s, want %s", got.NextRunAt.In(loc), next)
			}
		})
	}
}
