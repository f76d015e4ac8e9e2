package message

import (
	"html"
	"strings"
)

// displayTags maps the Telegram tags a web page shows as residents see
// them to the one HTML tag each becomes; other Telegram tags (spoiler,
// blockquote, custom emoji, span) are dropped and their text kept.
var displayTags = map[string]string{
	"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
	"s": "s", "strike": "s", "del": "s", "a": "a", "code": "code", "pre": "pre",
}

// DisplayHTML turns Telegram HTML into HTML a web page may embed as it
// is: b, i, u, s, a (http, https and tg links only), code and pre are
// kept, without any attribute but a link's href, and every other
// character is escaped. Text that is not valid Telegram HTML is escaped
// whole and ok is false, so nothing a person typed can ever become markup
// of the page.
func DisplayHTML(s string) (out string, ok bool) {
	if _, err := VisibleText(s); err != nil {
		return html.EscapeString(s), false
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end, name, closing, err := parseTag(s, i)
			if err != nil { // VisibleText accepted s, so this cannot happen
				return html.EscapeString(s), false
			}
			b.WriteString(displayTag(name, s[i+1:end-1], closing))
			i = end
		case '&':
			r, end, err := parseEntity(s, i)
			if err != nil {
				return html.EscapeString(s), false
			}
			b.WriteString(html.EscapeString(string(r)))
			i = end
		default:
			j := strings.IndexAny(s[i:], "<&")
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(html.EscapeString(s[i : i+j]))
			i += j
		}
	}
	return b.String(), true
}

// displayTag is the HTML for one Telegram tag (body is what lies between
// its angle brackets); "" for a tag the page does not show.
func displayTag(name, body string, closing bool) string {
	tag, ok := displayTags[name]
	if !ok {
		return ""
	}
	if closing {
		return "</" + tag + ">"
	}
	if tag != "a" {
		return "<" + tag + ">"
	}
	href := attrValue(strings.TrimPrefix(body, name), "href")
	if CheckLinkURL(href) != nil { // checked when saved; checked again before it reaches a page
		href = ""
	}
	return `<a href="` + html.EscapeString(strings.TrimSpace(href)) + `" rel="noopener noreferrer nofollow">`
}

// attrValue is the value of attribute attr in a tag's attribute text, as
// checkAttrs reads it; "" when absent.
func attrValue(rest, attr string) string {
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		k := strings.IndexAny(rest, "= ")
		if k < 0 {
			return ""
		}
		name := strings.ToLower(rest[:k])
		rest = rest[k:]
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		v, after, err := cutQuoted(rest[1:])
		if err != nil {
			return ""
		}
		if name == attr {
			return v
		}
		rest = after
	}
	return ""
}
