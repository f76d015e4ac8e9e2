package message

import (
	"strings"
	"unicode"
)

// Telegram's limits on one message, counted in UTF-16 code units of the
// text a reader sees once the HTML is parsed (VisibleLen).
// Specs: https://core.telegram.org/bots/api#sendmessage (text: 1-4096
// characters after entities parsing) and #sendphoto (caption: 0-1024).
const (
	MaxTextLen    = 4096
	MaxCaptionLen = 1024
)

// UTF16Len is the length of s in UTF-16 code units, the unit of Telegram's
// limits and entity offsets: a character beyond U+FFFF (most emoji, 🙏)
// counts two.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}

// Invisible reports whether r shows nothing on a phone: whitespace, the
// zero-width space, non-joiner and joiner (U+200B–U+200D), the direction
// marks, the word joiner and invisible operators (U+2060–U+2064), the
// BOM (U+FEFF), the soft hyphen, and the characters tdlib strips as
// empty (Unicode spaces, the Braille blank, the Hangul filler).
// Source: tdlib td/telegram/misc.cpp, strip_empty_characters.
func Invisible(r rune) bool {
	switch {
	case unicode.IsSpace(r), r == '\u00ad', r == '\u180e', r == '\u2800', r == '\u3164', r == '\ufeff', r == '\ufffc':
		return true
	case r >= '\u200b' && r <= '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2060' && r <= '\u2064':
		return true
	}
	return false
}

// ContentLen counts the characters of s that show something; text whose
// ContentLen is 0 is empty to Telegram and to a reader.
func ContentLen(s string) int {
	n := 0
	for _, r := range s {
		if !Invisible(r) {
			n++
		}
	}
	return n
}

// TrimInvisible removes invisible characters from both ends of s; those
// inside stay (a joiner inside 👨‍👩‍👧 holds the emoji together).
func TrimInvisible(s string) string {
	return strings.TrimFunc(s, Invisible)
}

// CutUTF16 is the longest prefix of s that is at most n UTF-16 code units,
// cut on a character boundary (never inside a surrogate pair).
func CutUTF16(s string, n int) string {
	used := 0
	for i, r := range s {
		if used += runeUnits(r); used > n {
			return s[:i]
		}
	}
	return s
}

// FitHTML composes a Telegram HTML message around the plain text body,
// which compose receives escaped. When the result would show more than
// limit UTF-16 units, body is cut on a character boundary and ends with
// marker, so the message fits by construction. A compose whose result is
// no valid HTML is returned as it is (the send fails and says why).
func FitHTML(compose func(escapedBody string) string, body, marker string, limit int) string {
	full := compose(EscapeHTML(body))
	n, err := VisibleLen(full)
	if err != nil || n <= limit {
		return full
	}
	keep := max(UTF16Len(body)-(n-limit)-UTF16Len(marker), 0)
	cut := strings.TrimRightFunc(CutUTF16(body, keep), Invisible)
	return compose(EscapeHTML(cut + marker))
}
