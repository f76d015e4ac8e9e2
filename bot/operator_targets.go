package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// opTargetsPage is how many regions one page of the targets keyboard shows.
const opTargetsPage = 8

// targetsMessage is the targets keyboard for the region s.View: toggle a
// region (✅ when it or a region around it is chosen), › to open it, pages,
// and Done.
func (f *operatorFlow) targetsMessage(ctx context.Context, op staff.Actor, s *opSession) message.Message {
	if s.View == "" || !op.Allows(s.View) {
		s.View = op.Scope
	}
	m := opText("operator.siaran.targets")
	m.Text += "\n\n" + f.selectedLine(ctx, s)
	var rows [][]message.Button
	if s.View != op.Scope {
		rows = append(rows, []message.Button{{Text: catalog.T("operator.siaran.back"), Data: "op:tv:" + string(s.View.Parent())}})
	}
	name := string(s.View)
	if r, err := f.regions.Get(ctx, s.View); err == nil {
		name = r.Name
	}
	rows = append(rows, []message.Button{{Text: opMark(s, s.View) + catalog.T("operator.siaran.all", name), Data: "op:tg:" + string(s.View)}})
	children, total, err := f.regions.Children(ctx, s.View, s.Page*opTargetsPage, opTargetsPage)
	if err != nil {
		f.logger.Error("listing regions failed", "err", err)
	}
	for _, c := range children {
		row := []message.Button{{Text: opMark(s, c.Code) + c.Name, Data: "op:tg:" + string(c.Code)}}
		if c.Level < region.Village {
			row = append(row, message.Button{Text: "›", Data: "op:tv:" + string(c.Code)})
		}
		rows = append(rows, row)
	}
	rows = append(rows, opPager(s, total)...)
	rows = append(rows, []message.Button{{Text: catalog.T("operator.siaran.done", len(broadcast.NormalizeTargets(s.Targets))), Data: "op:td"}})
	m.Buttons = rows
	return m
}

func opPager(s *opSession, total int) [][]message.Button {
	var row []message.Button
	if s.Page > 0 {
		row = append(row, message.Button{Text: catalog.T("operator.siaran.prev"), Data: "op:tp:" + strconv.Itoa(s.Page-1)})
	}
	if (s.Page+1)*opTargetsPage < total {
		row = append(row, message.Button{Text: catalog.T("operator.siaran.next"), Data: "op:tp:" + strconv.Itoa(s.Page+1)})
	}
	if row == nil {
		return nil
	}
	return [][]message.Button{row}
}

func opMark(s *opSession, c region.Code) string {
	for _, t := range s.Targets {
		if t.Contains(c) {
			return "✅ "
		}
	}
	return ""
}

func (f *operatorFlow) selectedLine(ctx context.Context, s *opSession) string {
	if len(s.Targets) == 0 {
		return catalog.T("operator.siaran.targets_none_sel")
	}
	return catalog.T("operator.siaran.targets_sel", f.targetNames(ctx, s.Targets))
}

// onTargets handles the targets keyboard and typed region names.
func (f *operatorFlow) onTargets(ctx context.Context, op staff.Actor, s *opSession, in opInput) opReply {
	if in.Data == "" {
		return f.searchTargets(ctx, op, s, in.Plain)
	}
	verb, arg, _ := strings.Cut(strings.TrimPrefix(in.Data, "op:"), ":")
	switch verb {
	case "tg":
		if c, err := region.ParseCode(arg); err == nil && op.Allows(c) {
			s.Targets = opToggle(s.Targets, c)
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
			return opRespond(s, opText("operator.siaran.targets_none"), f.targetsMessage(ctx, op, s))
		}
		s.Targets, s.Step = broadcast.NormalizeTargets(s.Targets), stepTiming
		return opRespond(s, f.timingMessage(s))
	}
	return opRespond(s, f.targetsMessage(ctx, op, s))
}

// opToggle removes c (and whatever lies inside it) when chosen, else adds it.
func opToggle(targets []region.Code, c region.Code) []region.Code {
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
func (f *operatorFlow) searchTargets(ctx context.Context, op staff.Actor, s *opSession, q string) opReply {
	q = strings.TrimSpace(q)
	var rows [][]message.Button
	key := region.SearchKey(q)
	if children, _, err := f.regions.Children(ctx, op.Scope, 0, 100); err == nil && key != "" {
		for _, c := range children {
			if strings.Contains(region.SearchKey(c.Name), key) {
				rows = append(rows, []message.Button{{Text: opMark(s, c.Code) + c.Name, Data: "op:tg:" + string(c.Code)}})
			}
		}
	}
	if matches, err := f.regions.SearchVillages(ctx, q, op.Scope, 8); err == nil {
		for _, m := range matches {
			rows = append(rows, []message.Button{{Text: opMark(s, m.Code) + m.Name + " (" + m.District + ")", Data: "op:tg:" + string(m.Code)}})
		}
	}
	if len(rows) == 0 {
		return opRespond(s, opText("operator.siaran.targets_nomatch", broadcast.EscapeHTML(q)), f.targetsMessage(ctx, op, s))
	}
	m := opText("operator.siaran.targets_found", broadcast.EscapeHTML(q))
	m.Buttons = append(rows, []message.Button{{Text: catalog.T("operator.siaran.done", len(broadcast.NormalizeTargets(s.Targets))), Data: "op:td"}})
	return opRespond(s, m)
}
