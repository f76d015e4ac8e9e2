package bot

import (
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/staff"
)

// aspSnippet shortens s to at most n runes on one line, ending in "…" when
// it was cut, and escapes it for Telegram HTML.
func aspSnippet(s string, n int) string {
	return html.EscapeString(aspTrunc(strings.Join(strings.Fields(s), " "), n))
}

// aspPage describes one page of a list: 1-based number, page count, and the
// offsets the Prev/Next buttons lead to (-1 when there is none).
type aspPage struct {
	Number, Count int
	Offset        int
	Prev, Next    int
}

// aspPageAt clamps offset into [0, total) on a page boundary and works out
// the neighbours. An empty list is one empty page.
func aspPageAt(offset, per, total int) aspPage {
	if per <= 0 {
		per = 1
	}
	count := (total + per - 1) / per
	if count == 0 {
		count = 1
	}
	if offset < 0 {
		offset = 0
	}
	offset -= offset % per
	if last := (count - 1) * per; offset > last {
		offset = last
	}
	p := aspPage{Number: offset/per + 1, Count: count, Offset: offset, Prev: -1, Next: -1}
	if offset > 0 {
		p.Prev = offset - per
	}
	if offset+per < total {
		p.Next = offset + per
	}
	return p
}

// aspStatusList renders /status: one block per ticket, newest first
// as the service returns them.
func aspStatusList(ts []aspirations.Ticket, now time.Time) string {
	if len(ts) == 0 {
		return catalog.T("asp.status_empty")
	}
	parts := []string{catalog.T("asp.status_header")}
	for _, t := range ts {
		parts = append(parts, catalog.T("asp.status_line", t.Number, t.Category.Label(),
			t.Status.Label(), aspirations.Age(now, t.CreatedAt), aspSnippet(t.Text, 80)))
	}
	return strings.Join(parts, "\n\n")
}

// aspQueueText renders one page of /antrian, oldest first, numbered from the
// page's offset so a moderator can say "nomor 7".
func aspQueueText(ts []aspirations.Ticket, p aspPage, total int, now time.Time) string {
	if total == 0 {
		return catalog.T("asp.queue_empty")
	}
	parts := []string{catalog.T("asp.queue_header", total, p.Number, p.Count)}
	for i, t := range ts {
		parts = append(parts, catalog.T("asp.queue_line", p.Offset+i+1, t.Number,
			t.Status.Label(), aspirations.Age(now, t.CreatedAt), aspSnippet(t.Text, 60)))
	}
	return strings.Join(parts, "\n\n")
}

// aspResidentLabel is how staff see who filed a ticket: never a name for an
// anonymous ticket.
func aspResidentLabel(t aspirations.Ticket) string {
	if t.Anonymous || t.ResidentName == "" {
		return catalog.T("asp.resident_anon")
	}
	return html.EscapeString(t.ResidentName)
}

// aspCard renders one ticket for staff with its thread.
func aspCard(t aspirations.Ticket, msgs []aspirations.Message, now time.Time) string {
	var b strings.Builder
	b.WriteString(catalog.T("asp.card", t.Number, t.Category.Label(), t.Status.Label(),
		aspirations.Age(now, t.CreatedAt), aspResidentLabel(t), html.EscapeString(aspTrunc(t.Text, aspCardTextRunes))))
	if len(msgs) > aspCardThreadMsgs {
		msgs = msgs[len(msgs)-aspCardThreadMsgs:]
	}
	if len(msgs) > 0 {
		b.WriteString(catalog.T("asp.card_thread"))
		for _, m := range msgs {
			who := catalog.T("asp.from_staff")
			if m.From == staff.RoleResident {
				who = catalog.T("asp.from_citizen")
			}
			b.WriteString(catalog.T("asp.card_msg", who, aspSnippet(m.Text, 300)))
		}
	}
	return b.String()
}

// A card shows at most this much of the ticket and its latest messages,
// so it stays under Telegram's 4096 characters.
const (
	aspCardTextRunes  = 1500
	aspCardThreadMsgs = 6
)

// aspTrunc cuts s to n runes, ending in "…" when cut. It runs before
// HTML escaping so no entity is split.
func aspTrunc(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// aspAttachLabel names an attachment in the resident's preview.
func aspAttachLabel(a *aspirations.Attachment) string {
	if a == nil {
		return catalog.T("asp.attach_none")
	}
	switch a.Kind {
	case "photo":
		return catalog.T("asp.attach_photo")
	case "document":
		return catalog.T("asp.attach_document", html.EscapeString(a.FileName))
	case "location":
		return catalog.T("asp.attach_location")
	}
	return catalog.T("asp.attach_none")
}
