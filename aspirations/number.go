package aspirations

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// FormatNumber is the ticket number for the seq-th ticket of year:
// "ASP-2026-000123", short enough to read aloud over the phone.
func FormatNumber(year int, seq int64) string {
	return fmt.Sprintf("ASP-%04d-%06d", year, seq)
}

var errBadNumber = errors.New("not a ticket number (like ASP-2026-000123)")

// ParseNumber accepts a ticket number however it was typed or read back
// ("asp-2026-123", "ASP 2026 000123", "ASP2026000123") and returns it in
// canonical form.
func ParseNumber(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 40 || !strings.HasPrefix(s, "ASP") {
		return "", errBadNumber
	}
	rest := strings.TrimLeft(s[3:], " -_#")
	year, seq, ok := splitYearSeq(rest)
	if !ok {
		return "", errBadNumber
	}
	return FormatNumber(year, seq), nil
}

func splitYearSeq(rest string) (int, int64, bool) {
	var y, q string
	if i := strings.IndexAny(rest, " -_/"); i >= 0 {
		y, q = rest[:i], strings.TrimLeft(rest[i:], " -_/")
	} else if len(rest) > 4 {
		y, q = rest[:4], rest[4:]
	}
	if len(y) != 4 || !digits(y) || q == "" || len(q) > 9 || !digits(q) {
		return 0, 0, false
	}
	year, _ := strconv.Atoi(y)
	seq, _ := strconv.ParseInt(q, 10, 64)
	if year < 2000 || seq <= 0 {
		return 0, 0, false
	}
	return year, seq, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
