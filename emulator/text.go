package emulator

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Telegram's length limits, counted in UTF-16 code units after entity parsing.
const (
	maxTextLen     = 4096
	maxCaptionLen  = 1024
	maxCallbackLen = 64
)

// utf16Len is the length of s in UTF-16 code units, the unit Telegram uses
// for entity offsets and length limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16RuneLen(r)
	}
	return n
}

func utf16RuneLen(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}

// commandEntities returns a bot_command entity for every "/command" (with an
// optional "@botname") that starts the text or follows a non-word character,
// with UTF-16 offsets and lengths, as Telegram generates them.
func commandEntities(text string) []wEntity {
	var out []wEntity
	off := 0 // UTF-16 offset of position i
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '/' && !isWordRune(prev) && prev != '/' {
			if n := commandLen(text[i:]); n > 0 {
				out = append(out, wEntity{Type: "bot_command", Offset: off, Length: utf16Len(text[i : i+n])})
				off += utf16Len(text[i : i+n])
				prev = 'a'
				i += n
				continue
			}
		}
		off += utf16RuneLen(r)
		prev = r
		i += size
	}
	return out
}

// commandLen is the byte length of the command at the start of s ("/start",
// "/start@bot"), or 0 when s does not start with one.
func commandLen(s string) int {
	n := 1
	for n < len(s) && n <= 64 && isCommandByte(s[n]) {
		n++
	}
	if n == 1 {
		return 0
	}
	if n < len(s) && s[n] == '@' {
		m := n + 1
		for m < len(s) && isCommandByte(s[m]) {
			m++
		}
		if m > n+1 {
			n = m
		}
	}
	return n
}

func isCommandByte(b byte) bool {
	return b == '_' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// htmlTags are the tags Telegram's HTML parse mode accepts.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// plainText validates s in the given parse mode and returns the text a user
// would see (tags removed, HTML entities decoded). Errors carry Telegram's
// description after "Bad Request: ".
func plainText(s, parseMode string) (string, error) {
	if !strings.EqualFold(parseMode, "HTML") {
		return s, nil
	}
	var out strings.Builder
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("can't parse entities: Unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+end]
			if strings.HasPrefix(tag, "/") {
				name := strings.ToLower(strings.TrimSpace(tag[1:]))
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("can't parse entities: Unexpected end tag at byte offset %d", i)
				}
				stack = stack[:len(stack)-1]
			} else {
				name := strings.ToLower(tag)
				if j := strings.IndexAny(name, " \t\n"); j >= 0 {
					name = name[:j]
				}
				if !htmlTags[name] {
					return "", fmt.Errorf("can't parse entities: Unsupported start tag \"%s\" at byte offset %d", name, i)
				}
				stack = append(stack, name)
			}
			i += end + 1
		case '&':
			r, n := htmlEntity(s[i:])
			out.WriteRune(r)
			i += n
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1])
	}
	return out.String(), nil
}

// htmlEntity decodes the entity at the start of s ("&amp;", "&#39;"); a lone
// "&" is kept as it is, like Telegram does.
func htmlEntity(s string) (rune, int) {
	semi := strings.IndexByte(s, ';')
	if semi < 0 || semi > 10 {
		return '&', 1
	}
	name := s[1:semi]
	switch name {
	case "lt":
		return '<', semi + 1
	case "gt":
		return '>', semi + 1
	case "amp":
		return '&', semi + 1
	case "quot":
		return '"', semi + 1
	}
	if len(name) > 1 && name[0] == '#' {
		var r rune
		var err error
		if name[1] == 'x' || name[1] == 'X' {
			_, err = fmt.Sscanf(name[2:], "%x", &r)
		} else {
			_, err = fmt.Sscanf(name[1:], "%d", &r)
		}
		if err == nil && utf8.ValidRune(r) {
			return r, semi + 1
		}
	}
	return '&', 1
}

// checkText applies Telegram's validation of a message text or caption and
// returns the error description, or "" when it is fine.
func checkText(text, parseMode string, limit int, caption bool) string {
	plain, err := plainText(text, parseMode)
	if err != nil {
		return "Bad Request: " + err.Error()
	}
	if !caption && isEmptyText(plain) {
		return "Bad Request: message text is empty"
	}
	if utf16Len(plain) > limit {
		if caption {
			return "Bad Request: message caption is too long"
		}
		return "Bad Request: message is too long"
	}
	return ""
}

// isEmptyText reports whether Telegram sees no text in s: nothing but
// whitespace and the characters tdlib's is_empty_string strips (Unicode
// spaces, zero-width spaces and joiners, direction marks, the BOM, the
// no-break space, the Braille blank). "<b> </b>" and five U+200B are empty.
// Source: tdlib td/telegram/misc.cpp, strip_empty_characters.
func isEmptyText(s string) bool {
	for _, r := range s {
		if !emptyRune(r) {
			return false
		}
	}
	return true
}

func emptyRune(r rune) bool {
	switch {
	case r <= ' ', r == '\u00a0', r == '\u1680', r == '\u180e', r == '\u2800', r == '\u3000', r == '\ufeff', r == '\ufffc':
		return true
	case r >= '\u2000' && r <= '\u200f', r == '\u202e', r == '\u202f', r == '\u205f':
		return true
	case r >= 0xE0000 && r <= 0xE01FF: // tag characters, stripped like spaces
		return true
	}
	return false
}

// stripHTML renders Telegram HTML as plain text for the terminal; on invalid
// markup it returns the text unchanged.
func stripHTML(s string) string {
	plain, err := plainText(s, "HTML")
	if err != nil {
		return s
	}
	return plain
}
