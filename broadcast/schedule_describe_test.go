package broadcast_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
)

func TestTiming_Describe(t *testing.T) {
	wib := mustZone(t, "WIB")
	endOfYear := time.Date(2026, 12, 31, 23, 59, 59, 0, wib)
	noon := time.Date(2027, 1, 15, 12, 0, 0, 0, wib)
	cron := func(spec, zone string) broadcast.Timing {
		return broadcast.Timing{Kind: broadcast.KindCron, Cron: spec, Zone: mustZone(t, zone)}
	}
	until := func(tm broadcast.Timing, end time.Time) broadcast.Timing { tm.Until = &end; return tm }
	tests := []struct {
		name   string
		timing broadcast.Timing
		want   string
	}{
		{"now", broadcast.Timing{Kind: broadcast.KindNow, Zone: wib}, "sekarang"},
		{"once", broadcast.Timing{Kind: broadcast.KindOnce, At: time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC), Zone: wib},
			"sekali, Senin 30 November 2026 pukul 08.00 WIB"},
		{"once, fired", broadcast.Timing{Kind: broadcast.KindOnce, Zone: wib}, "sekali"},
		{"weekly", cron("0 8 * * 1", "WIB"), "setiap Senin pukul 08.00 WIB"},
		{"daily", cron("0 7 * * *", "WIB"), "setiap hari pukul 07.00 WIB"},
		{"monthly", cron("0 8 1 * *", "WIB"), "tanggal 1 setiap bulan pukul 08.00 WIB"},
		{"first monday", cron("0 8 * * 1#1", "WIB"), "Senin pertama setiap bulan pukul 08.00 WIB"},
		{"last friday WIT", cron("30 13 * * 5L", "WIT"), "Jumat terakhir setiap bulan pukul 13.30 WIT"},
		{"nth in some months", cron("0 9 * 1,7 3#2", "WITA"), "Rabu kedua bulan Januari dan Juli pukul 09.00 WITA"},
		{"weekdays", cron("0 6 * * 1-5", "WIB"), "setiap Senin–Jumat pukul 06.00 WIB"},
		{"weekend twice", cron("0 6,18 * * 0,6", "WIB"), "setiap Minggu dan Sabtu pukul 06.00 dan 18.00 WIB"},
		{"yearly date", cron("0 9 17 8 *", "WIB"), "tanggal 17 Agustus setiap tahun pukul 09.00 WIB"},
		{"days of month", cron("0 8 1,15 * *", "WIB"), "tanggal 1 dan 15 setiap bulan pukul 08.00 WIB"},
		{"daily in december", cron("0 7 * 12 *", "WIB"), "setiap hari pada bulan Desember pukul 07.00 WIB"},
		{"@weekly", cron("@weekly", "WIB"), "setiap Minggu pukul 00.00 WIB"},
		{"@daily WITA", cron("@daily", "WITA"), "setiap hari pukul 00.00 WITA"},
		{"hourly", cron("0 * * * *", "WIB"), "setiap hari, setiap jam pada menit ke-0"},
		{"@every 24h", cron("@every 24h", "WIB"), "setiap 24 jam"},
		{"@every 1h30m", cron("@every 1h30m", "WIB"), "setiap 1 jam 30 menit"},
		// Refused since issue 9, but a schedule stored before must be told as cron runs it.
		{"both day fields", cron("0 8 1-7 * 1", "WIB"), "tanggal 1–7 setiap bulan, dan juga setiap Senin pukul 08.00 WIB"},
		{"until a date", until(cron("0 8 * * 1", "WIB"), endOfYear), "setiap Senin pukul 08.00 WIB, sampai 31 Desember 2026"},
		{"until a time", until(cron("0 8 * * 1", "WIB"), noon), "setiap Senin pukul 08.00 WIB, sampai 15 Januari 2027 pukul 12.00 WIB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.timing.Describe(); got != tt.want {
				t.Fatalf("Describe() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTiming_NextFires(t *testing.T) {
	wib, wit := mustZone(t, "WIB"), mustZone(t, "WIT")
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) // Sunday 19:00 WIB, 21:00 WIT
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	end := at(wib, 2026, 12, 1, 23, 59)
	tests := []struct {
		name   string
		timing broadcast.Timing
		want   []time.Time
	}{
		{"now", broadcast.Timing{Kind: broadcast.KindNow, Zone: wib}, []time.Time{now}},
		{"once", broadcast.Timing{Kind: broadcast.KindOnce, At: at(wib, 2026, 11, 30, 8, 0), Zone: wib}, []time.Time{at(wib, 2026, 11, 30, 8, 0)}},
		{"every monday", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1", Zone: wib}, []time.Time{
			at(wib, 2026, 11, 23, 8, 0), at(wib, 2026, 11, 30, 8, 0), at(wib, 2026, 12, 7, 8, 0), at(wib, 2026, 12, 14, 8, 0), at(wib, 2026, 12, 21, 8, 0)}},
		{"first monday", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1#1", Zone: wib}, []time.Time{
			at(wib, 2026, 12, 7, 8, 0), at(wib, 2027, 1, 4, 8, 0), at(wib, 2027, 2, 1, 8, 0), at(wib, 2027, 3, 1, 8, 0), at(wib, 2027, 4, 5, 8, 0)}},
		{"late evening WIT", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 23 * * *", Zone: wit}, []time.Time{
			at(wit, 2026, 11, 22, 23, 0), at(wit, 2026, 11, 23, 23, 0), at(wit, 2026, 11, 24, 23, 0), at(wit, 2026, 11, 25, 23, 0), at(wit, 2026, 11, 26, 23, 0)}},
		{"ends early", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1", Zone: wib, Until: &end}, []time.Time{
			at(wib, 2026, 11, 23, 8, 0), at(wib, 2026, 11, 30, 8, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.timing.NextFires(5, now)
			if len(got) != len(tt.want) {
				t.Fatalf("NextFires = %v, want %v", got, tt.want)
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) {
					t.Fatalf("fire %d = %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestLongTime_ShortTime(t *testing.T) {
	wita := mustZone(t, "WITA")
	tm := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC) // Monday 7 December 07.30 WITA
	if got := broadcast.LongTime(tm, wita); got != "Senin 7 Desember 2026 pukul 07.30 WITA" {
		t.Fatalf("LongTime = %q", got)
	}
	if got := broadcast.ShortTime(tm, wita); got != "Sen 7 Des 07.30" {
		t.Fatalf("ShortTime = %q", got)
	}
}

// TestParseCron_BothDayFields: cron ORs the day fields when both are
// restricted, so "the first Monday" written as "0 8 1-7 * 1" would send on
// days 1-7 and on every Monday; it is refused with the trap, the way to
// say it and Sunday = 0.
func TestParseCron_BothDayFields(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct{ spec, example string }{
		{"0 8 1-7 * 1", "Senin pertama 08.00"},
		{"30 9 15-21 * 5", "Jumat ketiga 09.30"},
		{"0 8 1,15 * 1", "Senin pertama 08.00"},
		{"0 8 1 * 0", "Senin pertama 08.00"},
		{"0 8 1 * 1#1", "Senin pertama 08.00"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := broadcast.ParseCron(tt.spec, mustZone(t, "WIB"), now)
			var ie *broadcast.InputError
			if broadcast.ReasonOf(err) != broadcast.ReasonCronBothDays || !errors.As(err, &ie) || ie.Example != tt.example {
				t.Fatalf("ParseCron(%q) = %v, want cron_both_days suggesting %q", tt.spec, err, tt.example)
			}
			for _, want := range []string{"0 = Minggu (Sunday)", "6 = Sabtu", "--monthly-weekday"} {
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("error %q does not say %q", err, want)
				}
			}
		})
	}
	for _, spec := range []string{"0 8 * * 1", "0 8 ? * 1", "0 8 1-7 * *", "0 8 1-7 * ?", "0 8 * * 1#1", "0 8 * * 0L"} {
		if _, err := broadcast.ParseCron(spec, time.UTC, now); err != nil {
			t.Errorf("ParseCron(%q) = %v, want accepted", spec, err)
		}
	}
	for _, spec := range []string{"0 8 * * 1#5", "0 8 * * 7#1", "0 8 * * 1#0", "* 8 * * 1#1"} {
		if _, err := broadcast.ParseCron(spec, time.UTC, now); err == nil {
			t.Errorf("ParseCron(%q) accepted", spec)
		}
	}
	if !strings.Contains(broadcast.ExampleCron, "0 = Minggu") {
		t.Error("the hint for a bad spec does not say Sunday is 0")
	}
}
