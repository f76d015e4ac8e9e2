package message

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrBadHTML wraps every reason VisibleText rejects a text.
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

// VisibleText checks that s is Telegram HTML that Telegram will accept
// (supported tags only, balanced, entities well formed) and returns the
// text a reader sees: tags stripped, entities unescaped. Telegram counts
// its limits on this text, in UTF-16 code units (see UTF16Len).
// Specs: https://core.telegram.org/bots/api#html-style
func VisibleText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: text is not valid UTF-8", ErrBadHTML)
	}
	var stack []string
	var out strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end, name, closing, err := parseTag(s, i)
			if err != nil {
				return "", err
			}
			if stack, err = applyTag(stack, name, closing); err != nil {
				return "", err
			}
			i = end
		case '&':
			r, end, err := parseEntity(s, i)
			if err != nil {
				return "", err
			}
			out.WriteRune(r)
			i = end
		case '>':
			return "", fmt.Errorf("%w: a lone \">\" must be written &gt;", ErrBadHTML)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("%w: <%s> is never closed", ErrBadHTML, stack[len(stack)-1])
	}
	return out.String(), nil
}

// VisibleLen is the length of the Telegram HTML s the way Telegram counts
// it against MaxTextLen and MaxCaptionLen: UTF-16 code units of
// VisibleText(s).
func VisibleLen(s string) (int, error) {
	v, err := VisibleText(s)
	if err != nil {
		return 0, err
	}
	return UTF16Len(v), nil
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

// CheckLinkURL accepts http, https and tg links, as Telegram's buttons and
// <a href> do.
func CheckLinkURL(raw string) error {
	if strings.ContainsAny(strings.TrimSpace(raw), " \t\r\n") {
		return fmt.Errorf("%q holds a space; a link has none", raw)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return fmt.Errorf("%q is not a link", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("%q has no host", raw)
		}
	case "tg":
		if u.Host == "" && u.Opaque == "" {
			return fmt.Errorf("%q is not a tg:// link", raw)
		}
	default:
		return fmt.Errorf("%q must start with https://, http:// or tg://", raw)
	}
	return nil
}
