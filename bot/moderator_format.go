package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// aspQueuePageSize is how many tickets one /antrian page lists.
const aspQueuePageSize = 5

// Canned answer limits: a title fits on a button, a text in one message.
const (
	aspCannedTitleMax = 40
	aspCannedTextMax  = 3000
)

// aspParseCanned splits "/templat judul | isi" arguments into a title and a
// text. Both must be non-empty and within limits.
func aspParseCanned(args string) (title, text string, ok bool) {
	title, text, found := strings.Cut(args, "|")
	title, text = strings.Join(strings.Fields(title), " "), strings.TrimSpace(text)
	if !found || title == "" || text == "" ||
		utf8.RuneCountInString(title) > aspCannedTitleMax || utf8.RuneCountInString(text) > aspCannedTextMax {
		return "", "", false
	}
	return title, text, true
}

// aspStaffButtons are the actions on t in its status: Ambil while nobody
// holds it, Template once someone does, Teruskan only for moderators (an
// operator is where escalations end). The Service still decides whether
// the presser may take them.
func aspStaffButtons(t aspirations.Ticket, operator bool) [][]message.Button {
	b := func(key catalog.Key, act string) message.Button {
		return message.Button{Text: catalog.T(key), Data: aspirations.ButtonData(act, t.ID)}
	}
	var first []message.Button
	switch t.Status {
	case aspirations.StatusNew, aspirations.StatusEscalated:
		first = []message.Button{b("asp.btn_claim", aspirations.ActionClaim), b("asp.btn_answer", aspirations.ActionAnswer)}
	case aspirations.StatusClaimed:
		first = []message.Button{b("asp.btn_answer", aspirations.ActionAnswer), b("asp.btn_canned", aspirations.ActionCanned)}
	default:
		return nil
	}
	last := []message.Button{b("asp.btn_reject", aspirations.ActionReject)}
	if !operator && t.Status != aspirations.StatusEscalated {
		last = append(last, b("asp.btn_escalate", aspirations.ActionEscalate))
	}
	return [][]message.Button{first, last}
}

// aspQueueButtons let a moderator open each listed ticket and page on.
func aspQueueButtons(ts []aspirations.Ticket, p aspPage) [][]message.Button {
	var rows [][]message.Button
	for _, t := range ts {
		rows = append(rows, []message.Button{{Text: t.Number, Data: aspirations.ButtonData(aspirations.ActionOpen, t.ID)}})
	}
	var nav []message.Button
	if p.Prev >= 0 {
		nav = append(nav, message.Button{Text: catalog.T("asp.btn_prev"), Data: aspPageData(p.Prev)})
	}
	if p.Next >= 0 {
		nav = append(nav, message.Button{Text: catalog.T("asp.btn_next"), Data: aspPageData(p.Next)})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	return rows
}

// aspCannedButtons offer a moderator's saved answers, one per row.
func aspCannedButtons(cs []aspirations.Canned) [][]message.Button {
	rows := make([][]message.Button, 0, len(cs)+1)
	for _, c := range cs {
		rows = append(rows, []message.Button{{Text: aspTrunc(c.Title, aspCannedTitleMax), Data: aspirations.ButtonData(aspirations.ActionCannedPick, c.ID)}})
	}
	return append(rows, []message.Button{{Text: catalog.T("asp.btn_cancel"), Data: aspStopData}})
}

// aspPageData is the button to the queue page starting at offset; the
// codec takes positive ids only, so page n (0-based) travels as n+1.
func aspPageData(offset int) string {
	return aspirations.ButtonData(aspirations.ActionPage, int64(offset/aspQueuePageSize)+1)
}
