// Package resident holds the residents' subscription flows: /start (with
// or without a deep-link village code from a poster's QR), the village
// picker (district and village keyboards, or a typed name), /wilayah,
// /berhenti, /bantuan and /hapusdata, the answer to private messages no
// other flow took, and to stale buttons. Every press is checked again: a
// forged button never subscribes outside the deployment's root.
//
// It must not know about tickets or operators; other areas erase their
// data through Deps.Erasers and reuse the picker through ShowPicker.
package resident

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// The resident flow's name in State and its callback area.
const (
	flowName = "resident"
	area     = "res"
)

// Deps are what the resident flows use.
type Deps struct {
	Regions     *region.Store
	Cache       *region.Cache // the picker's lookups and place names
	Subscribers *broadcast.Subscribers
	Root        region.Code // residents only pick villages under it ("" = all of Indonesia)
	// Erasers delete or anonymise everything about a resident on
	// /hapusdata, run in order; the subscription is among them.
	Erasers []func(ctx context.Context, chatID int64) error
}

// Flow is the subscription flow: /start (with or without a deep-link
// code), /wilayah, /berhenti, /bantuan, /hapusdata and the village picker.
type Flow struct {
	regions *region.Store
	cache   *region.Cache
	subs    *broadcast.Subscribers
	root    region.Code
	erasers []func(ctx context.Context, chatID int64) error
}

// New builds the resident flow; the aspiration flow shows its village
// picker too (ShowPicker).
func New(d Deps) *Flow {
	return &Flow{regions: d.Regions, cache: d.Cache, subs: d.Subscribers, root: d.Root, erasers: d.Erasers}
}

// Register adds the resident commands, the picker's buttons, the fallback
// for private messages nothing else took, and the answer to stale buttons.
func (f *Flow) Register(rt *chat.Router) {
	rt.Command("start", chat.PrivateOnly(f.onStart))
	rt.Command("wilayah", chat.PrivateOnly(f.onWilayah))
	rt.Command("berhenti", chat.PrivateOnly(f.onBerhenti))
	rt.Command("bantuan", func(ctx context.Context, r *chat.Request) error { return r.Say(ctx, "res.help") })
	rt.Command("help", func(ctx context.Context, r *chat.Request) error { return r.Say(ctx, "res.help") })
	rt.Command("hapusdata", chat.PrivateOnly(f.onHapusdata))
	rt.AddMenu("start", "res.menu.start")
	rt.AddMenu("wilayah", "res.menu.wilayah")
	rt.AddMenu("berhenti", "res.menu.berhenti")
	rt.AddMenu("bantuan", "res.menu.bantuan")
	rt.AddMenu("hapusdata", "res.menu.hapusdata")
	rt.Callback(area, chat.ResidentButtons, f.onButton)
	rt.Flow(flowName, f.onTyped)
	rt.ChatMember(f.onChatMember)
	rt.Fallback(f.onOther)
	rt.Stale(f.stale)
}

// stale answers a press the bot cannot place (an old version's button, a
// forged one, or one whose flow expired) with the way back to the menu.
func (f *Flow) stale(ctx context.Context, r *chat.Request) error {
	r.Answer(ctx, catalog.T("res.stale_button"))
	_, err := r.Reply(ctx, f.menuMessage("res.stale_button_help"))
	return err
}

// onStart subscribes by deep link, resumes a stopped subscription, or
// greets a newcomer with the picker.
func (f *Flow) onStart(ctx context.Context, r *chat.Request) error {
	if r.Command.Args != "" {
		return f.deepLink(ctx, r, r.Command.Args)
	}
	sub, err := f.subs.Get(ctx, r.ChatID)
	switch {
	case errors.Is(err, broadcast.ErrNotFound):
		if _, err := r.Reply(ctx, chat.Text("res.welcome")); err != nil {
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
func (f *Flow) deepLink(ctx context.Context, r *chat.Request, payload string) error {
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
func (f *Flow) subscribe(ctx context.Context, r *chat.Request, village region.Code) error {
	_, err := f.subs.Subscribe(ctx, r.ChatID, village)
	if errors.Is(err, broadcast.ErrUnknownVillage) {
		return f.showPicker(ctx, r, f.root, 0, catalog.T("res.unknown_village")+"\n\n")
	}
	if err != nil {
		return err
	}
	r.ClearState(ctx)
	return r.Show(ctx, chat.Text("res.subscribed", f.label(ctx, village)))
}

// onWilayah shows the picker to change the village.
func (f *Flow) onWilayah(ctx context.Context, r *chat.Request) error {
	intro := ""
	if sub, err := f.subs.Get(ctx, r.ChatID); err == nil {
		intro = catalog.T("res.pick.current", f.label(ctx, sub.VillageCode))
	}
	return f.showPicker(ctx, r, f.root, 0, intro)
}

func (f *Flow) onBerhenti(ctx context.Context, r *chat.Request) error {
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

func (f *Flow) onHapusdata(ctx context.Context, r *chat.Request) error {
	_, err := r.Reply(ctx, message.Message{Text: catalog.T("res.erase.ask"), Buttons: [][]message.Button{{
		{Text: catalog.T("res.erase.yes"), Data: message.Callback{Area: area, Action: "del", Args: []string{"y"}}.String()},
		{Text: catalog.T("res.erase.no"), Data: message.Callback{Area: area, Action: "del", Args: []string{"n"}}.String()},
	}}})
	return err
}

// erase runs every eraser in order (bot's registerRoutes says which);
// each is idempotent, so a failure is retried from the start.
func (f *Flow) erase(ctx context.Context, r *chat.Request) error {
	for _, erase := range f.erasers {
		if err := erase(ctx, r.ChatID); err != nil {
			return fmt.Errorf("erasing a resident's data: %w", err)
		}
	}
	r.ClearState(ctx)
	return r.Show(ctx, chat.Text("res.erase.done"))
}

// onChatMember marks a resident who blocked the bot (status "kicked" in
// their private chat); unblocking changes nothing until they /start.
func (f *Flow) onChatMember(ctx context.Context, r *chat.Request) error {
	m := r.Update.MyChatMember
	if !r.Private || m.NewChatMember.Type != models.ChatMemberTypeBanned {
		return nil
	}
	return f.subs.MarkBlocked(ctx, r.ChatID)
}

// onOther answers a private message nothing else took: text from someone
// not yet subscribed is a village search; anything else gets help.
func (f *Flow) onOther(ctx context.Context, r *chat.Request) error {
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
func (f *Flow) onTyped(ctx context.Context, r *chat.Request) error {
	text := strings.TrimSpace(r.Message.Text)
	if text == "" {
		return r.Say(ctx, "res.unexpected")
	}
	return f.search(ctx, r, text)
}

// within reports whether code lies under the deployment's root.
func (f *Flow) within(code region.Code) bool {
	return f.root.Contains(code)
}

// label is "Tlogomas, Kec. Lowokwaru, Kota Malang", HTML-escaped.
func (f *Flow) label(ctx context.Context, village region.Code) string {
	return html.EscapeString(f.cache.Label(ctx, village))
}

func (f *Flow) rootName(ctx context.Context) string {
	return html.EscapeString(f.cache.Name(ctx, f.root))
}
