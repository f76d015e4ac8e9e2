package resident

import (
	"context"
	"errors"
	"html"
	"strconv"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// pickerPageSize is how many regions one keyboard page lists (two per row).
const (
	pickerPageSize = 12
	searchLimit    = 8
)

// noParent stands for "the provinces" in callback data.
const noParent = "-"

// showPicker lists the regions inside parent ("" = the provinces) at page,
// after intro, and opens the resident flow so a typed name searches. A
// root that is itself a village is offered as the only choice.
func (f *Flow) showPicker(ctx context.Context, r *chat.Request, parent region.Code, page int, intro string) error {
	if err := r.SetState(ctx, chat.State{Flow: flowName, Step: "pick"}); err != nil {
		r.Log().Warn("opening the picker flow", "update_id", r.Update.ID, "err", err) // the buttons work without it
	}
	if parent != "" && parent.Level() == region.Village {
		return f.showVillageOnly(ctx, r, parent, intro)
	}
	m, err := f.pickerMessage(ctx, parent, page)
	if err != nil {
		return err
	}
	m.Text = intro + m.Text
	return r.Show(ctx, m)
}

func (f *Flow) pickerMessage(ctx context.Context, parent region.Code, page int) (message.Message, error) {
	regions, total, err := f.cache.Children(ctx, parent, page*pickerPageSize, pickerPageSize)
	if err != nil {
		return message.Message{}, err
	}
	p := chat.PageAt(page*pickerPageSize, pickerPageSize, total)
	text, err := f.pickerTitle(ctx, parent)
	if err != nil {
		return message.Message{}, err
	}
	if p.Count > 1 {
		text += catalog.T("res.pick.page", p.Number, p.Count)
	}
	m := message.Message{Text: text + catalog.T("res.pick.typing")}
	m.Buttons = regionButtons(regions)
	if nav := f.navRow(parent, p); len(nav) > 0 {
		m.Buttons = append(m.Buttons, nav)
	}
	return m, nil
}

// pickerTitle asks for the level inside parent.
func (f *Flow) pickerTitle(ctx context.Context, parent region.Code) (string, error) {
	if parent == "" {
		return catalog.T("res.pick.province"), nil
	}
	reg, err := f.cache.Get(ctx, parent)
	if err != nil {
		return "", err
	}
	name := html.EscapeString(reg.Name)
	switch reg.Level {
	case region.Province:
		return catalog.T("res.pick.regency", name), nil
	case region.Regency:
		return catalog.T("res.pick.district", name), nil
	}
	return catalog.T("res.pick.village", name), nil
}

// regionButtons lays regions out two per row: a village subscribes, a
// bigger region opens its list.
func regionButtons(regions []region.Region) [][]message.Button {
	var rows [][]message.Button
	for i, reg := range regions {
		b := message.Button{Text: reg.Name, Data: listData(reg.Code, 0)}
		if reg.Level == region.Village {
			b.Data = pickData(reg.Code)
		}
		if i%2 == 0 {
			rows = append(rows, []message.Button{b})
		} else {
			rows[len(rows)-1] = append(rows[len(rows)-1], b)
		}
	}
	return rows
}

// navRow has the page buttons and, below the root, a way back up.
func (f *Flow) navRow(parent region.Code, p chat.Page) []message.Button {
	nav := p.Nav(catalog.T("res.pick.prev"), catalog.T("res.pick.next"), func(offset int) string {
		return listData(parent, offset/pickerPageSize)
	})
	if parent != f.root && parent != "" {
		nav = append(nav, message.Button{Text: catalog.T("res.pick.back"), Data: listData(parent.Parent(), 0)})
	}
	return nav
}

func (f *Flow) showVillageOnly(ctx context.Context, r *chat.Request, village region.Code, intro string) error {
	reg, err := f.cache.Get(ctx, village)
	if err != nil {
		return err
	}
	return r.Show(ctx, message.Message{Text: intro + catalog.T("res.pick.village", html.EscapeString(reg.Name)),
		Buttons: [][]message.Button{{{Text: reg.Name, Data: pickData(village)}}}})
}

func listData(parent region.Code, page int) string {
	p := string(parent)
	if p == "" {
		p = noParent
	}
	return message.Callback{Area: area, Action: "l", Args: []string{p, strconv.Itoa(page)}}.String()
}

func pickData(village region.Code) string {
	return message.Callback{Area: area, Action: "v", Args: []string{string(village)}}.String()
}

// onButton handles the resident flow's buttons. Every press is checked
// again (a forged or old button cannot subscribe outside the root).
func (f *Flow) onButton(ctx context.Context, r *chat.Request) error {
	c, err := message.ParseCallback(r.Data)
	if err != nil || len(c.Args) == 0 {
		return f.stale(ctx, r)
	}
	switch {
	case c.Action == "l" && len(c.Args) == 2:
		return f.onList(ctx, r, c.Args[0], c.Args[1])
	case c.Action == "v" && len(c.Args) == 1:
		return f.onPick(ctx, r, c.Args[0])
	case c.Action == "del" && c.Args[0] == "y":
		r.Answer(ctx, "")
		return f.erase(ctx, r)
	case c.Action == "del" && c.Args[0] == "n":
		return r.Show(ctx, chat.Text("res.erase.cancelled"))
	}
	return f.stale(ctx, r)
}

func (f *Flow) onList(ctx context.Context, r *chat.Request, parentArg, pageArg string) error {
	page, err := strconv.Atoi(pageArg)
	if err != nil || page < 0 {
		return f.stale(ctx, r)
	}
	parent := region.Code("")
	if parentArg != noParent {
		parent, err = region.ParseCode(parentArg)
		if err != nil {
			return f.stale(ctx, r)
		}
	}
	if !f.root.Contains(parent) {
		parent, page = f.root, 0 // never list above the root
	}
	err = f.showPicker(ctx, r, parent, page, "")
	if errors.Is(err, region.ErrNotFound) {
		return f.stale(ctx, r)
	}
	return err
}

func (f *Flow) onPick(ctx context.Context, r *chat.Request, arg string) error {
	code, err := region.ParseCode(arg)
	if err != nil || code.Level() != region.Village {
		return f.stale(ctx, r)
	}
	if !f.root.Contains(code) {
		return f.showPicker(ctx, r, f.root, 0, catalog.T("res.outside_root", f.rootName(ctx))+"\n\n")
	}
	r.Answer(ctx, "")
	return f.subscribe(ctx, r, code)
}

// search looks a typed village name up within the root.
func (f *Flow) search(ctx context.Context, r *chat.Request, query string) error {
	if err := r.SetState(ctx, chat.State{Flow: flowName, Step: "pick"}); err != nil {
		r.Log().Warn("keeping the picker flow", "update_id", r.Update.ID, "err", err)
	}
	matches, err := f.regions.SearchVillages(ctx, query, f.root, searchLimit)
	list := []message.Button{{Text: catalog.T("res.pick.list"), Data: listData(f.root, 0)}}
	if errors.Is(err, region.ErrSearchTimeout) {
		r.Log().Warn("village search gave up", "update_id", r.Update.ID, "err", err)
	}
	if text, refused := searchRefusal(err); refused {
		_, err = r.Reply(ctx, message.Message{Text: text, Buttons: [][]message.Button{list}})
		return err
	}
	if err != nil {
		return err
	}
	shown := html.EscapeString(chat.Truncate(query, 40))
	if len(matches) == 0 {
		_, err = r.Reply(ctx, message.Message{Text: catalog.T("res.search.none", shown), Buttons: [][]message.Button{list}})
		return err
	}
	m := message.Message{Text: catalog.T("res.search.results", shown)}
	for _, mt := range matches {
		m.Buttons = append(m.Buttons, []message.Button{{Text: chat.Truncate(mt.Name+" — "+mt.District+", "+mt.Regency, 60),
			Data: pickData(mt.Code)}})
	}
	m.Buttons = append(m.Buttons, list)
	_, err = r.Reply(ctx, m)
	return err
}

// searchRefusal is the short answer to a search the region store
// refused (too short, longer than any village name) or gave up (slower
// than its budget); refused is false for other outcomes.
func searchRefusal(err error) (text string, refused bool) {
	switch {
	case errors.Is(err, region.ErrQueryTooShort):
		return catalog.T("res.search.short"), true
	case errors.Is(err, region.ErrQueryTooLong):
		return catalog.T("res.search.long", region.MaxQueryRunes), true
	case errors.Is(err, region.ErrSearchTimeout):
		return catalog.T("res.search.slow"), true
	}
	return "", false
}

// menuMessage is text key with a button that opens the picker.
func (f *Flow) menuMessage(key catalog.Key) message.Message {
	return message.Message{Text: catalog.T(key), Buttons: [][]message.Button{{
		{Text: catalog.T("res.pick.list"), Data: listData(f.root, 0)}}}}
}

// ShowPicker opens the village picker at the root after intro, for flows
// that need the resident's village first.
func (f *Flow) ShowPicker(ctx context.Context, r *chat.Request, intro string) error {
	return f.showPicker(ctx, r, f.root, 0, intro)
}
