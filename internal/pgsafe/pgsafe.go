// Package pgsafe keeps one bad value from stalling a queue: it makes text
// and JSON storable by PostgreSQL before they are written, and isolates
// the row PostgreSQL still refuses so the rest of its batch goes through.
//
// What PostgreSQL refuses that Go produces or accepts (PostgreSQL 15,
// "Data Types: Character Types" and "JSON Types"):
//   - text: invalid UTF-8 and the NUL character (SQLSTATE 22021);
//   - jsonb: the \u0000 escape and a UTF-16 surrogate without its pair
//     (22P05, 22P02), a number outside numeric's range (22003).
package pgsafe

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/lib/pq"
)

// Text returns s as PostgreSQL text accepts it: invalid bytes become
// U+FFFD, NUL characters are dropped, and it is cut to at most maxBytes
// bytes on a character boundary (maxBytes <= 0: no cut).
func Text(s string, maxBytes int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if maxBytes <= 0 || len(s) <= maxBytes {
		return s
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// JSON returns raw with the escapes jsonb refuses replaced by \ufffd: the
// NUL escape \u0000 and any surrogate escape (\ud800-\udfff) that is not
// a high one directly followed by a low one. A backslash escaped as \\ is
// left alone, so a typed "\u0000" survives as text. raw is returned
// unchanged (not copied) when nothing needs replacing.
func JSON(raw []byte) []byte {
	var out []byte // nil until the first replacement
	last := 0      // raw[last:i] is not yet copied to out
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // \\, \", \n ...: skip the escaped byte
			continue
		}
		r, ok := hex4(raw, i+2)
		if !ok {
			continue
		}
		width := 6
		bad := r == 0
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if lo, ok := lowSurrogateAt(raw, i+6); ok && lo {
				width = 12 // a proper pair: keep both halves
			} else {
				bad = true
			}
		case r >= 0xDC00 && r <= 0xDFFF:
			bad = true
		}
		if bad {
			out = append(out, raw[last:i]...)
			out = append(out, `\ufffd`...)
			last = i + 6
		}
		i += width - 1
	}
	if out == nil {
		return raw
	}
	return append(out, raw[last:]...)
}

// lowSurrogateAt reports whether raw[i:] starts with a \uDC00-\uDFFF escape.
func lowSurrogateAt(raw []byte, i int) (isLow, ok bool) {
	if i+1 >= len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
		return false, false
	}
	r, ok := hex4(raw, i+2)
	return ok && r >= 0xDC00 && r <= 0xDFFF, ok
}

// hex4 reads the four hex digits at raw[i:].
func hex4(raw []byte, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// Refused reports whether PostgreSQL refused a statement for the data it
// was given (SQLSTATE class 22, data exception, or 54, a program limit
// such as an index row too large) rather than for a fault of the
// connection or the server: writing the same rows again fails the same
// way, while writing the other rows without them can succeed.
func Refused(err error) bool {
	var pe *pq.Error
	if !errors.As(err, &pe) {
		return false
	}
	class := pe.Code.Class()
	return class == "22" || class == "54"
}

// Isolate writes rows with write. When PostgreSQL refuses the batch for
// its data (Refused), it writes each half on its own, down to single
// rows, so only the rows that are refused alone are left; each of those
// is handed to setAside (which should write it in a form that cannot be
// refused, such as without its text) with the error it caused. Any other
// error ends Isolate and is returned: the caller retries the whole batch
// later, so write must be idempotent for rows it already wrote.
func Isolate[T any](rows []T, write func([]T) error, setAside func(T, error) error) error {
	if len(rows) == 0 {
		return nil
	}
	err := write(rows)
	if err == nil || !Refused(err) {
		return err
	}
	if len(rows) == 1 {
		return setAside(rows[0], err)
	}
	mid := len(rows) / 2
	if err := Isolate(rows[:mid], write, setAside); err != nil {
		return err
	}
	return Isolate(rows[mid:], write, setAside)
}
