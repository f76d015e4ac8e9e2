package broadcast

import (
	"fmt"
	"strconv"
	"strings"
)

// ExampleNthWeekday is what the error for an unreadable nth-weekday phrase
// suggests.
const ExampleNthWeekday = `"Senin pertama 08.00", "1 Senin 08:00", "Jumat terakhir 13.30"`

// weekdayWords are the day names operators type, Indonesian and English.
var weekdayWords = map[string]int{
	"minggu": 0, "ahad": 0, "sunday": 0, "sun": 0,
	"senin": 1, "monday": 1, "mon": 1,
	"selasa": 2, "tuesday": 2, "tue": 2,
	"rabu": 3, "wednesday": 3, "wed": 3,
	"kamis": 4, "thursday": 4, "thu": 4,
	"jumat": 5, "friday": 5, "fri": 5,
	"sabtu": 6, "saturday": 6, "sat": 6,
}

// ordinalWords are the weeks of the month operators type; lastWeek is
// the last.
var ordinalWords = map[string]int{
	"1": 1, "pertama": 1, "ke-1": 1, "first": 1, "1st": 1,
	"2": 2, "kedua": 2, "ke-2": 2, "second": 2, "2nd": 2,
	"3": 3, "ketiga": 3, "ke-3": 3, "third": 3, "3rd": 3,
	"4": 4, "keempat": 4, "ke-4": 4, "fourth": 4, "4th": 4,
	"terakhir": lastWeek, "last": lastWeek,
}

// fillerWords may stand between the parts of a phrase ("Senin pertama
// setiap bulan pukul 08.00") and mean nothing more.
var fillerWords = map[string]bool{"setiap": true, "tiap": true, "bulan": true, "pukul": true, "jam": true,
	"pada": true, "hari": true, "every": true, "of": true, "the": true, "month": true, "at": true}

// ParseMonthlyWeekday reads "the nth weekday of every month at a time",
// as operators say it ("Senin pertama 08.00", "1 Senin 08:00", "Jumat
// terakhir setiap bulan pukul 13.30"), into the cron spec kimbot stores
// for it ("0 8 * * 1#1"). Check the spec with ParseCron.
func ParseMonthlyWeekday(phrase string) (string, error) {
	wd, n, hh, mm := -1, 0, -1, -1
	for _, w := range strings.Fields(strings.ToLower(strings.NewReplacer("'", "", ",", " ").Replace(phrase))) {
		if fillerWords[w] {
			continue
		}
		d, isDay := weekdayWords[w]
		o, isOrd := ordinalWords[w]
		ok := true
		switch {
		case isDay && wd < 0:
			wd = d
		case isOrd && n == 0:
			n = o
		case hh < 0:
			hh, mm, ok = clockTime(w)
		default:
			ok = false
		}
		if !ok {
			return "", inputErr("monthly-weekday", ReasonBadNthWeekday, ExampleNthWeekday,
				"%q is not a weekday, a week of the month (1-4, pertama…keempat, terakhir) or a time, in %q", w, phrase)
		}
	}
	if wd < 0 || n == 0 || hh < 0 {
		return "", inputErr("monthly-weekday", ReasonBadNthWeekday, ExampleNthWeekday, "%q needs a weekday, which one of the month and a time", phrase)
	}
	nth := "#" + strconv.Itoa(n)
	if n == lastWeek {
		nth = "L"
	}
	return fmt.Sprintf("%d %d * * %d%s", mm, hh, wd, nth), nil
}

// clockTime reads "08.00", "8:30" or "13.30".
func clockTime(w string) (hh, mm int, ok bool) {
	h, m, found := strings.Cut(strings.ReplaceAll(w, ":", "."), ".")
	if !found || len(m) != 2 {
		return -1, -1, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return -1, -1, false
	}
	return hh, mm, true
}
