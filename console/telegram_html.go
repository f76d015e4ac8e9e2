package console

import (
	"html"
	"html/template"
	"strings"

	"github.com/kimbot/kimbot/message"
)

// The preview shows an announcement as residents will see it: its
// Telegram HTML becomes browser HTML with only Telegram's formatting kept
// (bold, italic, underline, strike, spoiler, code, quote, links) and
// everything else escaped. Text that is not valid Telegram HTML is shown
// escaped as it was typed; Content.Validate has already said why it
// cannot be sent.

// webTags maps each Telegram tag to the browser tag the preview uses.
var webTags = map[string]string{
	"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
	"s": "s", "strike": "s", "del": "s", "code": "code", "pre": "pre",
	"blockquote": "blockquote", "tg-emoji": "span",
}

// telegramHTML renders s (Telegram HTML) safely for the browser.
func telegramHTML(s string) template.HTML {
	if _, err := message.VisibleText(s); err != nil {
		return template.HTML(template.HTMLEscapeString(s)) //nolint:gosec // escaped
	}
	var b strings.Builder
	var open []string // the browser tag closing each open Telegram tag
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := i + strings.IndexByte(s[i:], '>') // valid HTML: every '<' starts a tag
			open = writeTag(&b, open, s[i+1:j])
			i = j + 1
		case '&':
			j := i + strings.IndexByte(s[i:], ';') // valid HTML: a known entity, safe as is
			b.WriteString(s[i : j+1])
			i = j + 1
		default:
			j := i + 1
			for j < len(s) && s[j] != '<' && s[j] != '&' {
				j++
			}
			b.WriteString(template.HTMLEscapeString(s[i:j]))
			i = j
		}
	}
	return template.HTML(b.String()) //nolint:gosec // built from escaped text and fixed tags only
}

// writeTag writes the browser form of the tag body (between < and >).
func writeTag(b *strings.Builder, open []string, body string) []string {
	if strings.HasPrefix(body, "/") {
		if len(open) > 0 {
			b.WriteString("</" + open[len(open)-1] + ">")
			open = open[:len(open)-1]
		}
		return open
	}
	name, attrs, _ := strings.Cut(body, " ")
	name = strings.ToLower(name)
	switch {
	case name == "a":
		href := html.UnescapeString(attrValue(attrs, "href"))
		if message.CheckLinkURL(href) != nil { // checked already; never a javascript: link
			href = "#"
		}
		b.WriteString(`<a href="` + template.HTMLEscapeString(href) + `" rel="noopener noreferrer nofollow" target="_blank">`)
		return append(open, "a")
	case name == "tg-spoiler" || (name == "span" && attrValue(attrs, "class") == "tg-spoiler"):
		b.WriteString(`<span class="spoiler">`)
		return append(open, "span")
	case webTags[name] != "":
		b.WriteString("<" + webTags[name] + ">")
		return append(open, webTags[name])
	}
	b.WriteString("<span>")
	return append(open, "span")
}

// attrValue finds name="value" (or 'value', or bare) in a tag's
// attributes; "" when absent.
func attrValue(attrs, name string) string {
	for rest := strings.TrimSpace(attrs); rest != ""; rest = strings.TrimSpace(rest) {
		k := strings.IndexAny(rest, "= ")
		if k < 0 {
			return ""
		}
		key := strings.ToLower(rest[:k])
		rest = rest[k:]
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = rest[1:]
		var v string
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				return ""
			}
			v, rest = rest[1:end+1], rest[end+2:]
		} else {
			v, rest, _ = strings.Cut(rest, " ")
		}
		if key == name {
			return v
		}
	}
	return ""
}
