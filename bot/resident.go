package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// The resident flow's name in State and its callback area.
const (
	residentFlow = "resident"
	residentArea = "res"
)

// resident is the subscription flow: /start (with or without a deep-link
// code), /wilayah, /berhenti, /bantuan, /hapusdata and the village picker.
type resident struct {
	regions *region.Store
	cache   *regionCache // the picker's lookups
	subs    *broadcast.Subscribers
	root    region.Code
	deps    *Deps // DataErasers, read when /hapusdata runs: areas add theirs while registering
}

// newResident builds the resident flow; the aspiration flow shows its
// village picker too.
func newResident(a *App) *resident {
	return &resident{regions: a.deps.Regions, cache: newRegionCache(a.deps.Regions, 10*time.Minute),
		subs: a.deps.Subscribers, root: a.deps.RegionRoot, deps: &a.deps}
}

func registerResidentRoutes(rt *Router, f *resident) {
	rt.Command("start", privateOnly(f.onStart))
	rt.Command("wilayah", privateOnly(f.onWilayah))
	rt.Command("berhenti", privateOnly(f.onBerhenti))
	rt.Command("bantuan", func(ctx context.Context, r *Request) error { return r.Say(ctx, "res.help") })
	rt.Command("help", func(ctx context.Context, r *Request) error { return r.Say(ctx, "res.help") })
	rt.Command("hapusdata", privateOnly(f.onHapusdata))
	rt.Menu("start", "res.menu.start")
	rt.Menu("wilayah", "res.menu.wilayah")
	rt.Menu("berhenti", "res.menu.berhenti")
	rt.Menu("bantuan", "res.menu.bantuan")
	rt.Menu("hapusdata", "res.menu.hapusdata")
	rt.Callback(residentArea, f.onButton)
	rt.Flow(residentFlow, f.onTyped)
	rt.ChatMember(f.onChatMember)
	rt.Fallback(f.onOther)
}

// privateOnly keeps resident commands out of groups, with a pointer to
// the private chat.
func privateOnly(h HandlerFunc) HandlerFunc {
	return func(ctx context.Context, r *Request) error {
		if !r.Private {
			return r.Say(ctx, "res.private_only")
		}
		return h(ctx, r)
	}
}

// onStart subscribes by deep link, resumes a stopped subscription, or
// greets a newcomer with the picker.
func (f *resident) onStart(ctx context.Context, r *Request) error {
	if r.Command.Args != "" {
		return f.deepLink(ctx, r, r.Command.Args)
	}
	sub, err := f.subs.Get(ctx, r.ChatID)
	switch {
	case errors.Is(err, broadcast.ErrNotFound):
		if _, err := r.Reply(ctx, textMessage("res.welcome")); err != nil {
			return err
		}
		return f.showPicker(ctx, r, f.root, 0, "")
	case err != nil:
		return err
	case sub.Status == broadcast.StatusActive:
		return r.Say(ctx, "res.already", f.label(ctx, sub.VillageCode))
	}
	sub, err = f.subs.Resume(ctx, r.ChatID)
	if err != nil {
		return err
	}
	return r.Say(ctx, "res.resumed", f.label(ctx, sub.VillageCode))
}

// deepLink handles /start <code>: a village subscribes at once; a bigger
// region opens the picker there; anything else explains and shows the
// picker from the top.
func (f *resident) deepLink(ctx context.Context, r *Request, payload string) error {
	code, err := region.ParseCode(strings.TrimSpace(payload))
	if err != nil {
		return f.showPicker(ctx, r, f.root, 0, catalog.T("res.deeplink_invalid")+"\n\n")
	}
	reg, err := f.regions.Get(ctx, code)
	if errors.Is(err, region.ErrNotFound) {
		return f.showPicker(ctx, r, f.root, 0, catalog.T("res.deeplink_invalid")+"\n\n")
	}
	if err != nil {
		return err
	}
	if !f.within(code) {
		return f.showPicker(ctx, r, f.root, 0, catalog.T("res.outside_root", f.rootName(ctx))+"\n\n")
	}
	if reg.Level != region.Village {
		return f.showPicker(ctx, r, code, 0, catalog.T("res.deeplink_area", html.EscapeString(reg.Name))+"\n\n")
	}
	return f.subscribe(ctx, r, code)
}

// subscribe subscribes the chat to village (already checked to be a
// village within the root) and confirms.
func (f *resident) subscribe(ctx context.Context, r *Request, village region.Code) error {
	_, err := f.subs.Subscribe(ctx, r.ChatID, village)
	if errors.Is(err, broadcast.ErrUnknownVillage) {
		return f.showPicker(ctx, r, f.root, 0, catalog.T("res.unknown_village")+"\n\n")
	}
	if err != nil {
		return err
	}
	r.ClearState(ctx)
	return r.Show(ctx, textMessage("res.subscribed", f.label(ctx, village)))
}

// onWilayah shows the picker to change the village.
func (f *resident) onWilayah(ctx context.Context, r *Request) error {
	intro := ""
	if sub, err := f.subs.Get(ctx, r.ChatID); err == nil {
		intro = catalog.T("res.pick.current", f.label(ctx, sub.VillageCode))
	}
	return f.showPicker(ctx, r, f.root, 0, intro)
}

func (f *resident) onBerhenti(ctx context.Context, r *Request) error {
	r.ClearState(ctx)
	err := f.subs.Stop(ctx, r.ChatID)
	if errors.Is(err, broadcast.ErrNotFound) {
		return r.Say(ctx, "res.not_subscribed")
	}
	if err != nil {
		return err
	}
	return r.Say(ctx, "res.stopped")
}

func (f *resident) onHapusdata(ctx context.Context, r *Request) error {
	_, err := r.Reply(ctx, message.Message{Text: catalog.T("res.erase.ask"), Buttons: [][]message.Button{{
		{Text: catalog.T("res.erase.yes"), Data: Callback{Area: residentArea, Action: "del", Args: []string{"y"}}.String()},
		{Text: catalog.T("res.erase.no"), Data: Callback{Area: residentArea, Action: "del", Args: []string{"n"}}.String()},
	}}})
	return err
}

// erase deletes the resident's data in every area, then the subscription.
func (f *resident) erase(ctx context.Context, r *Request) error {
	for _, erase := range f.deps.DataErasers {
		if err := erase(ctx, r.ChatID); err != nil {
			return fmt.Errorf("erasing a resident's data: %w", err)
		}
	}
	if err := f.subs.Delete(ctx, r.ChatID); err != nil {
		return err
	}
	r.ClearState(ctx)
	return r.Show(ctx, textMessage("res.erase.done"))
}

// onChatMember marks a resident who blocked the bot (status "kicked" in
// their private chat); unblocking changes nothing until they /start.
func (f *resident) onChatMember(ctx context.Context, r *Request) error {
	m := r.Update.MyChatMember
	if !r.Private || m.NewChatMember.Type != models.ChatMemberTypeBanned {
		return nil
	}
	return f.subs.MarkBlocked(ctx, r.ChatID)
}

// onOther answers a private message nothing else took: text from someone
// not yet subscribed is a village search; anything else gets help.
func (f *resident) onOther(ctx context.Context, r *Request) error {
	text := strings.TrimSpace(r.Message.Text)
	if text != "" {
		_, err := f.subs.Get(ctx, r.ChatID)
		if errors.Is(err, broadcast.ErrNotFound) {
			return f.search(ctx, r, text)
		}
		if err != nil {
			return err
		}
	}
	return r.Say(ctx, "res.unexpected")
}

// onTyped is a message while the picker is open: a typed name searches.
func (f *resident) onTyped(ctx context.Context, r *Request) error {
	text := strings.TrimSpace(r.Message.Text)
	if text == "" {
		return r.Say(ctx, "res.unexpected")
	}
	return f.search(ctx, r, text)
}

// within reports whether code lies under the deployment's root.
func (f *resident) within(code region.Code) bool {
	return f.root.Contains(code)
}

// label is "Tlogomas, Kec. Lowokwaru, Kota Malang" (HTML-escaped), or the
// bare code when the names cannot be read.
func (f *resident) label(ctx context.Context, village region.Code) string {
	path, err := f.regions.Path(ctx, village)
	if err != nil || len(path) == 0 {
		return html.EscapeString(string(village))
	}
	parts := make([]string, 0, 3)
	for i := len(path) - 1; i >= 0 && len(parts) < 3; i-- {
		name := path[i].Name
		if path[i].Level == region.District {
			name = "Kec. " + name
		}
		parts = append(parts, name)
	}
	return html.EscapeString(strings.Join(parts, ", "))
}

func (f *resident) rootName(ctx context.Context) string {
	reg, err := f.regions.Get(ctx, f.root)
	if err != nil {
		return html.EscapeString(string(f.root))
	}
	return html.EscapeString(reg.Name)
}
