package aspiration

import (
	"strings"
	"unicode/utf8"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// queuePageSize is how many tickets one /antrian page lists.
const queuePageSize = 5

// Canned answer limits: a title fits on a button, a text in one message.
const (
	cannedTitleMax = 40
	cannedTextMax  = 3000
)

// parseCanned splits "/templat judul | isi" arguments into a title and a
// text. Both must be non-empty and within limits.
func parseCanned(args string) (title, text string, ok bool) {
	title, text, found := strings.Cut(args, "|")
	title, text = strings.Join(strings.Fields(title), " "), strings.TrimSpace(text)
	if !found || title == "" || text == "" ||
		utf8.RuneCountInString(title) > cannedTitleMax || utf8.RuneCountInString(text) > cannedTextMax {
		return "", "", false
	}
	return title, text, true
}

// queueButtons let a moderator open each listed ticket and page on.
func queueButtons(ts []aspirations.Ticket, p chat.Page) [][]message.Button {
	var rows [][]message.Button
	for _, t := range ts {
		rows = append(rows, []message.Button{{Text: t.Number, Data: aspirations.ButtonData(aspirations.ActionOpen, t.ID)}})
	}
	if nav := p.Nav(catalog.T("asp.btn_prev"), catalog.T("asp.btn_next"), pageData); len(nav) > 0 {
		rows = append(rows, nav)
	}
	return rows
}

// cannedButtons offer a moderator's saved answers, one per row.
func cannedButtons(cs []aspirations.Canned) [][]message.Button {
	rows := make([][]message.Button, 0, len(cs)+1)
	for _, c := range cs {
		rows = append(rows, []message.Button{{Text: chat.Truncate(c.Title, cannedTitleMax), Data: aspirations.ButtonData(aspirations.ActionCannedPick, c.ID)}})
	}
	return append(rows, []message.Button{{Text: catalog.T("asp.btn_cancel"), Data: stopData}})
}

// pageData is the button to the queue page starting at offset; the
// codec takes positive ids only, so page n (0-based) travels as n+1.
func pageData(offset int) string {
	return aspirations.ButtonData(aspirations.ActionPage, int64(offset/queuePageSize)+1)
}
