package operator

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// targetsPage is how many regions one page of the targets keyboard shows.
const targetsPage = 8

// targetsMessage is the targets keyboard for the region s.View: toggle a
// region (✅ when it or a region around it is chosen), › to open it, pages,
// and Done.
func (f *flow) targetsMessage(ctx context.Context, op staff.Actor, s *session) message.Message {
	if s.View == "" || !op.Allows(s.View) {
		s.View = op.Scope
	}
	m := chat.Text("operator.siaran.targets")
	m.Text += "\n\n" + f.selectedLine(ctx, s)
	var rows [][]message.Button
	if s.View != op.Scope {
		rows = append(rows, []message.Button{{Text: catalog.T("operator.siaran.back"), Data: callbackData("tv", string(s.View.Parent()))}})
	}
	name := string(s.View)
	if r, err := f.regions.Get(ctx, s.View); err == nil {
		name = r.Name
	}
	rows = append(rows, []message.Button{{Text: mark(s, s.View) + catalog.T("operator.siaran.all", name), Data: callbackData("tg", string(s.View))}})
	children, total, err := f.regions.Children(ctx, s.View, s.Page*targetsPage, targetsPage)
	if err != nil {
		f.logger.Error("listing regions failed", "err", err)
	}
	for _, c := range children {
		row := []message.Button{{Text: mark(s, c.Code) + c.Name, Data: callbackData("tg", string(c.Code))}}
		if c.Level < region.Village {
			row = append(row, message.Button{Text: "›", Data: callbackData("tv", string(c.Code))})
		}
		rows = append(rows, row)
	}
	rows = append(rows, pager(s, total)...)
	rows = append(rows, []message.Button{{Text: catalog.T("operator.siaran.done", len(broadcast.NormalizeTargets(s.Targets))), Data: callbackData("td")}})
	m.Buttons = rows
	return m
}

func pager(s *session, total int) [][]message.Button {
	var row []message.Button
	if s.Page > 0 {
		row = append(row, message.Button{Text: catalog.T("operator.siaran.prev"), Data: callbackData("tp", strconv.Itoa(s.Page-1))})
	}
	if (s.Page+1)*targetsPage < total {
		row = append(row, message.Button{Text: catalog.T("operator.siaran.next"), Data: callbackData("tp", strconv.Itoa(s.Page+1))})
	}
	if row == nil {
		return nil
	}
	return [][]message.Button{row}
}

func mark(s *session, c region.Code) string {
	for _, t := range s.Targets {
		if t.Contains(c) {
			return "✅ "
		}
	}
	return ""
}

func (f *flow) selectedLine(ctx context.Context, s *session) string {
	if len(s.Targets) == 0 {
		return catalog.T("operator.siaran.targets_none_sel")
	}
	return catalog.T("operator.siaran.targets_sel", f.targetNames(ctx, s.Targets))
}

// onTargets handles the targets keyboard and typed region names.
func (f *flow) onTargets(ctx context.Context, op staff.Actor, s *session, in input) reply {
	if in.Data == "" {
		return f.searchTargets(ctx, op, s, in.Plain)
	}
	verb, arg, _ := parseData(in.Data)
	switch verb {
	case "tg":
		if c, err := region.ParseCode(arg); err == nil && op.Allows(c) {
			s.Targets = toggle(s.Targets, c)
		}
	case "tv":
		if c, err := region.ParseCode(arg); err == nil && op.Allows(c) {
			s.View, s.Page = c, 0
		}
	case "tp":
		if p, err := strconv.Atoi(arg); err == nil && p >= 0 {
			s.Page = p
		}
	case "td":
		if len(s.Targets) == 0 {
			return respond(s, chat.Text("operator.siaran.targets_none"), f.targetsMessage(ctx, op, s))
		}
		s.Targets, s.Step = broadcast.NormalizeTargets(s.Targets), stepTiming
		return respond(s, f.timingMessage(s))
	}
	return respond(s, f.targetsMessage(ctx, op, s))
}

// toggle removes c (and whatever lies inside it) when chosen, else adds it.
func toggle(targets []region.Code, c region.Code) []region.Code {
	if slices.Contains(targets, c) {
		return slices.DeleteFunc(slices.Clone(targets), func(t region.Code) bool { return c.Contains(t) })
	}
	for _, t := range targets {
		if t.Contains(c) {
			return targets // already inside a chosen region
		}
	}
	return append(targets, c)
}

// searchTargets offers districts and villages in scope whose names match.
func (f *flow) searchTargets(ctx context.Context, op staff.Actor, s *session, q string) reply {
	q = strings.TrimSpace(q)
	var rows [][]message.Button
	key := region.SearchKey(q)
	if children, _, err := f.regions.Children(ctx, op.Scope, 0, 100); err == nil && key != "" {
		for _, c := range children {
			if strings.Contains(region.SearchKey(c.Name), key) {
				rows = append(rows, []message.Button{{Text: mark(s, c.Code) + c.Name, Data: callbackData("tg", string(c.Code))}})
			}
		}
	}
	if matches, err := f.regions.SearchVillages(ctx, q, op.Scope, 8); err == nil {
		for _, m := range matches {
			rows = append(rows, []message.Button{{Text: mark(s, m.Code) + m.Name + " (" + m.District + ")", Data: callbackData("tg", string(m.Code))}})
		}
	}
	if len(rows) == 0 {
		return respond(s, chat.Text("operator.siaran.targets_nomatch", broadcast.EscapeHTML(q)), f.targetsMessage(ctx, op, s))
	}
	m := chat.Text("operator.siaran.targets_found", broadcast.EscapeHTML(q))
	m.Buttons = append(rows, []message.Button{{Text: catalog.T("operator.siaran.done", len(broadcast.NormalizeTargets(s.Targets))), Data: callbackData("td")}})
	return respond(s, m)
}
