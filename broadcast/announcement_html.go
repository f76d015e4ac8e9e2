package broadcast

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrBadHTML wraps every reason CheckHTML rejects a text.
var ErrBadHTML = errors.New("not valid Telegram HTML")

// htmlTags are the tags Telegram's HTML parse mode supports, with the
// attributes each may carry.
var htmlTags = map[string][]string{
	"b": nil, "strong": nil, "i": nil, "em": nil, "u": nil, "ins": nil,
	"s": nil, "strike": nil, "del": nil, "tg-spoiler": nil,
	"span":       {"class"},
	"a":          {"href"},
	"code":       {"class"},
	"pre":        nil,
	"blockquote": {"expandable"},
	"tg-emoji":   {"emoji-id"},
}

// VisibleLength checks that s is Telegram HTML that Telegram will accept
// (supported tags only, balanced, entities well formed) and returns the
// length of its visible text the way Telegram counts it: tags stripped,
// entities unescaped, in UTF-16 code units.
func VisibleLength(s string) (int, error) {
	if !utf8.ValidString(s) {
		return 0, fmt.Errorf("%w: text is not valid UTF-8", ErrBadHTML)
	}
	var stack []string
	n := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end, name, closing, err := parseTag(s, i)
			if err != nil {
				return 0, err
			}
			if stack, err = applyTag(stack, name, closing); err != nil {
				return 0, err
			}
			i = end
		case '&':
			r, end, err := parseEntity(s, i)
			if err != nil {
				return 0, err
			}
			n += utf16Len(r)
			i = end
		case '>':
			return 0, fmt.Errorf("%w: a lone \">\" must be written &gt;", ErrBadHTML)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			n += utf16Len(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return 0, fmt.Errorf("%w: <%s> is never closed", ErrBadHTML, stack[len(stack)-1])
	}
	return n, nil
}

func utf16Len(r rune) int {
	if utf16.IsSurrogate(r) || r > 0xFFFF {
		return 2
	}
	return 1
}

func applyTag(stack []string, name string, closing bool) ([]string, error) {
	if !closing {
		return append(stack, name), nil
	}
	if len(stack) == 0 || stack[len(stack)-1] != name {
		return nil, fmt.Errorf("%w: </%s> does not close the last opened tag", ErrBadHTML, name)
	}
	return stack[:len(stack)-1], nil
}

// parseTag reads the tag starting at s[i] == '<' and returns the index
// after its '>'.
func parseTag(s string, i int) (end int, name string, closing bool, err error) {
	j := strings.IndexByte(s[i:], '>')
	if j < 0 {
		return 0, "", false, fmt.Errorf("%w: a lone \"<\" must be written &lt;", ErrBadHTML)
	}
	body := s[i+1 : i+j]
	end = i + j + 1
	if strings.HasPrefix(body, "/") {
		name = strings.ToLower(strings.TrimSpace(body[1:]))
		if _, ok := htmlTags[name]; !ok {
			return 0, "", false, unsupportedTag(name)
		}
		return end, name, true, nil
	}
	name, rest, _ := strings.Cut(body, " ")
	name = strings.ToLower(name)
	allowed, ok := htmlTags[name]
	if !ok {
		return 0, "", false, unsupportedTag(name)
	}
	if err := checkAttrs(name, rest, allowed); err != nil {
		return 0, "", false, err
	}
	return end, name, false, nil
}

func unsupportedTag(name string) error {
	return fmt.Errorf("%w: <%s> is not supported (use b, i, u, s, a href, code, pre, blockquote, tg-spoiler; write a literal \"<\" as &lt;)", ErrBadHTML, name)
}

// checkAttrs accepts name="value", name='value' and bare names (e.g.
// blockquote expandable), only among allowed; <a> needs an href.
func checkAttrs(tag, rest string, allowed []string) error {
	seen := map[string]bool{}
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		k := strings.IndexAny(rest, "= ")
		if k < 0 {
			k = len(rest)
		}
		attr := strings.ToLower(rest[:k])
		rest = rest[k:]
		if strings.HasPrefix(rest, "=") {
			v, after, err := cutQuoted(rest[1:])
			if err != nil {
				return fmt.Errorf("%w: <%s %s=…> %w", ErrBadHTML, tag, attr, err)
			}
			if tag == "a" && attr == "href" {
				if err := CheckLinkURL(v); err != nil {
					return fmt.Errorf("%w: <a href>: %w", ErrBadHTML, err)
				}
			}
			rest = after
		}
		if !contains(allowed, attr) {
			return fmt.Errorf("%w: <%s> cannot have the attribute %q", ErrBadHTML, tag, attr)
		}
		seen[attr] = true
	}
	if tag == "a" && !seen["href"] {
		return fmt.Errorf("%w: <a> needs href, e.g. <a href=\"https://malangkota.go.id\">", ErrBadHTML)
	}
	return nil
}

func cutQuoted(s string) (value, rest string, err error) {
	if s == "" {
		return "", "", errors.New("has no value")
	}
	q := s[0]
	if q != '"' && q != '\'' {
		k := strings.IndexByte(s, ' ')
		if k < 0 {
			return s, "", nil
		}
		return s[:k], s[k:], nil
	}
	k := strings.IndexByte(s[1:], q)
	if k < 0 {
		return "", "", errors.New("has an unclosed quote")
	}
	return s[1 : k+1], s[k+2:], nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var namedEntities = map[string]rune{"lt": '<', "gt": '>', "amp": '&', "quot": '"'}

// parseEntity reads &lt; &gt; &amp; &quot; &#NNN; or &#xHH; at s[i].
func parseEntity(s string, i int) (rune, int, error) {
	j := strings.IndexByte(s[i:], ';')
	bad := fmt.Errorf("%w: a lone \"&\" must be written &amp;", ErrBadHTML)
	if j < 2 || j > 10 {
		return 0, 0, bad
	}
	name := s[i+1 : i+j]
	if r, ok := namedEntities[name]; ok {
		return r, i + j + 1, nil
	}
	if !strings.HasPrefix(name, "#") {
		return 0, 0, bad
	}
	num, base := name[1:], 10
	if strings.HasPrefix(num, "x") || strings.HasPrefix(num, "X") {
		num, base = num[1:], 16
	}
	v, err := strconv.ParseUint(num, base, 32)
	if err != nil || v == 0 || v > utf8.MaxRune || utf16.IsSurrogate(rune(v)) {
		return 0, 0, bad
	}
	return rune(v), i + j + 1, nil
}

// EscapeHTML escapes plain text for Telegram HTML.
func EscapeHTML(s string) string {
	return htmlEscaper.Replace(s)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
