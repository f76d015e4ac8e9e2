package message

import (
	"html"
	"strings"
)

// displayTags maps the Telegram tags a web page shows as residents see
// them to the one HTML tag each becomes (a spoiler, tg-spoiler or span
// class="tg-spoiler", is a span the page's style covers); a custom emoji
// is dropped and its fallback text kept.
var displayTags = map[string]string{
	"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
	"s": "s", "strike": "s", "del": "s", "a": "a", "code": "code", "pre": "pre",
	"blockquote": "blockquote", "tg-spoiler": "span", "span": "span",
}

// DisplayHTML turns Telegram HTML into HTML a web page may embed as it
// is: b, i, u, s, a (http, https and tg links only), code, pre,
// blockquote and spoilers (span class="spoiler") are kept, without any
// other attribute, and every other character is escaped. Text that is not valid Telegram HTML is escaped
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
	switch {
	case closing:
		return "</" + tag + ">"
	case tag == "span":
		return `<span class="spoiler">`
	case tag != "a":
		return "<" + tag + ">"
	}
	// The attribute holds entities (&amp;): the link is what they stand for.
	href := strings.TrimSpace(html.UnescapeString(attrValue(strings.TrimPrefix(body, name), "href")))
	if CheckLinkURL(href) != nil { // checked when saved; checked again before it reaches a page
		href = ""
	}
	return `<a href="` + html.EscapeString(href) + `" rel="noopener noreferrer nofollow">`
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
