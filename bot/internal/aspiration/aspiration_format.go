package aspiration

import (
	"html"
	"strings"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/staff"
)

// snippet shortens s to at most n runes on one line, ending in "…" when
// it was cut, and escapes it for Telegram HTML.
func snippet(s string, n int) string {
	return html.EscapeString(chat.Truncate(strings.Join(strings.Fields(s), " "), n))
}

// statusList renders /status: one block per ticket, newest first
// as the service returns them.
func statusList(ts []aspirations.Ticket, now time.Time) string {
	if len(ts) == 0 {
		return catalog.T("asp.status_empty")
	}
	parts := []string{catalog.T("asp.status_header")}
	for _, t := range ts {
		parts = append(parts, catalog.T("asp.status_line", t.Number, t.CategoryLabel(),
			t.Status.Label(), aspirations.Age(now, t.CreatedAt), snippet(t.Text, 80)))
	}
	return strings.Join(parts, "\n\n")
}

// queueText renders one page of /antrian, oldest first, numbered from the
// page's offset so a moderator can say "nomor 7".
func queueText(ts []aspirations.Ticket, p chat.Page, total int, now time.Time) string {
	if total == 0 {
		return catalog.T("asp.queue_empty")
	}
	parts := []string{catalog.T("asp.queue_header", total, p.Number, p.Count)}
	for i, t := range ts {
		parts = append(parts, catalog.T("asp.queue_line", p.Offset+i+1, t.Number,
			t.Status.Label(), aspirations.Age(now, t.CreatedAt), snippet(t.Text, 60)))
	}
	return strings.Join(parts, "\n\n")
}

// residentLabel is how staff see who filed a ticket: never a name for an
// anonymous ticket.
func residentLabel(t aspirations.Ticket) string {
	if t.Anonymous || t.ResidentName == "" {
		return catalog.T("asp.resident_anon")
	}
	return html.EscapeString(t.ResidentName)
}

// ticketCard renders one ticket for staff with its thread.
func ticketCard(t aspirations.Ticket, msgs []aspirations.Message, now time.Time) string {
	var b strings.Builder
	b.WriteString(catalog.T("asp.card", t.Number, t.CategoryLabel(), t.Status.Label(),
		aspirations.Age(now, t.CreatedAt), residentLabel(t), html.EscapeString(chat.Truncate(t.Text, cardTextRunes))))
	if len(msgs) > cardThreadMsgs {
		msgs = msgs[len(msgs)-cardThreadMsgs:]
	}
	if len(msgs) > 0 {
		b.WriteString(catalog.T("asp.card_thread"))
		for _, m := range msgs {
			who := catalog.T("asp.from_staff")
			if m.From == staff.RoleResident {
				who = catalog.T("asp.from_citizen")
			}
			b.WriteString(catalog.T("asp.card_msg", who, snippet(m.Text, 300)))
		}
	}
	return b.String()
}

// A card shows at most this much of the ticket and its latest messages,
// so it stays under Telegram's 4096 characters.
const (
	cardTextRunes  = 1500
	cardThreadMsgs = 6
)

// attachLabel names an attachment in the resident's preview.
func attachLabel(a *aspirations.Attachment) string {
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
