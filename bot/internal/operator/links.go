package operator

import (
	"context"
	"strings"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// The link-buttons step of /siaran, right after the content: optional URL
// buttons under the announcement, typed one per line as
// "Teks | https://alamat". broadcast.Content.Validate has the last word on
// what residents may get; this file only reads the lines and says which
// one is wrong.

// linksMessage offers link buttons or skipping them.
func linksMessage() message.Message {
	m := chat.Text("operator.siaran.links")
	m.Buttons = [][]message.Button{{
		{Text: catalog.T("operator.siaran.links_add"), Data: callbackData("b", "add")},
		{Text: catalog.T("operator.siaran.links_skip"), Data: callbackData("b", "skip")},
	}}
	return m
}

// withSkip adds the skip button to m, so a refusal is never a dead end.
func withSkip(m message.Message) message.Message {
	m.Buttons = [][]message.Button{{{Text: catalog.T("operator.siaran.links_skip"), Data: callbackData("b", "skip")}}}
	return m
}

// onLinks handles the offer's buttons and the typed buttons; typing them
// without pressing "add" first works too.
func (f *flow) onLinks(ctx context.Context, op staff.Actor, s *session, in input) reply {
	switch {
	case in.Data == callbackData("b", "skip"):
		s.Content.Buttons, s.Step = nil, stepTargets
		return respond(s, f.targetsMessage(ctx, op, s))
	case in.Data == callbackData("b", "add"):
		return respond(s, withSkip(chat.Text("operator.siaran.links_ask", broadcast.MaxButtonRows)))
	case in.Data != "" || strings.TrimSpace(in.Plain) == "":
		return respond(s, linksMessage())
	}
	rows, refusal, ok := f.readLinks(s.Content, in.Plain)
	if !ok {
		return respond(s, withSkip(refusal))
	}
	s.Content.Buttons, s.Step = rows, stepTargets
	return respond(s, chat.Text("operator.siaran.links_ok", len(rows)), f.targetsMessage(ctx, op, s))
}

// readLinks reads typed buttons, one row each, and checks them with c as
// broadcast will; when ok is false, refusal says what to type instead.
func (f *flow) readLinks(c broadcast.Content, typed string) (rows [][]message.Button, refusal message.Message, ok bool) {
	for _, line := range strings.Split(typed, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		b, parsed := broadcast.ParseLinkLine(line)
		if !parsed {
			return nil, chat.Text("operator.err.link_line", quote(line)), false
		}
		if broadcast.CheckLinkURL(b.URL) != nil {
			return nil, chat.Text("operator.err.link_url", quote(b.URL)), false
		}
		one := c
		one.Buttons = [][]message.Button{{b}}
		if one.Validate() != nil { // the address is good, so the label is what broke a limit
			return nil, chat.Text("operator.err.link_text", quote(b.Text)), false
		}
		rows = append(rows, []message.Button{b})
	}
	if len(rows) > broadcast.MaxButtonRows {
		return nil, chat.Text("operator.err.link_count", broadcast.MaxButtonRows), false
	}
	c.Buttons = rows
	if err := c.Validate(); err != nil {
		return nil, f.inputError(err), false
	}
	return rows, message.Message{}, true
}

// quote shows a piece of what the operator typed back to them, short
// and safe inside HTML.
func quote(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return broadcast.EscapeHTML(s)
}
