package broadcast

import (
	"regexp"
	"strings"

	"github.com/kimbot/kimbot/message"
)

// schemeRe finds where an address starts in a line typed without a bar.
var schemeRe = regexp.MustCompile(`(?i)https?://`)

// ParseLinkLine reads one link button as operators type it, in chat and
// in the web console, forgiving of spaces: "Teks | alamat" (split at the
// last bar); without a bar, a label followed by an address starting with
// http(s):// ("Daftar: https://…", or the CLI's "Daftar=https://…"). A
// bare domain ("malangkota.go.id") gets https://. ok is false when the
// line has no label or no address; Content.Validate checks the rest.
func ParseLinkLine(line string) (b message.Button, ok bool) {
	var label, addr string
	if i := strings.LastIndex(line, "|"); i >= 0 {
		label, addr = line[:i], line[i+1:]
	} else if loc := schemeRe.FindStringIndex(line); loc != nil {
		label, addr = strings.TrimRight(line[:loc[0]], " \t:=-–—"), line[loc[0]:]
	}
	label, addr = strings.Join(strings.Fields(label), " "), strings.TrimSpace(addr)
	if label == "" || addr == "" {
		return message.Button{}, false
	}
	if strings.Contains(addr, ".") && !strings.ContainsAny(addr, ":@") {
		addr = "https://" + addr
	}
	return message.Button{Text: label, URL: addr}, true
}
