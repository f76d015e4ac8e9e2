package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/catalog"
)

// HandlerFunc handles one update. A returned error is logged (with the
// update id only) and the person gets a short apology; ErrStateUnavailable
// gets "try again in a moment".
type HandlerFunc func(ctx context.Context, r *Request) error

// MessageFunc looks at a message no command or flow took (a reply to a
// ticket post, a forwarded hoax) and says whether it handled it.
type MessageFunc func(ctx context.Context, r *Request) (handled bool, err error)

// Router maps updates to handlers. Every route is registered in
// routes.go; see doc.go for the order in which they are tried.
type Router struct {
	commands  map[string]HandlerFunc
	callbacks map[string]HandlerFunc
	flows     map[string]HandlerFunc
	prompted  []MessageFunc
	messages  []MessageFunc
	members   []HandlerFunc
	fallback  HandlerFunc
	menu      []MenuCommand
	errs      []error
}

func newRouter() *Router {
	return &Router{commands: map[string]HandlerFunc{}, callbacks: map[string]HandlerFunc{}, flows: map[string]HandlerFunc{}}
}

// Command routes /name (any case, with or without @bot and arguments).
func (rt *Router) Command(name string, h HandlerFunc) {
	if _, dup := rt.commands[name]; dup || !validCommandName(name) {
		rt.errs = append(rt.errs, fmt.Errorf("bot: command %q registered twice or invalid", name))
	}
	rt.commands[name] = h
}

// Menu adds a command to the menu Telegram shows residents (setMyCommands),
// in registration order.
func (rt *Router) Menu(name string, description catalog.Key) {
	rt.menu = append(rt.menu, MenuCommand{Name: name, Description: catalog.T(description)})
}

// Callback routes button presses whose data starts with "area:".
func (rt *Router) Callback(area string, h HandlerFunc) {
	if _, dup := rt.callbacks[area]; dup || area == "" {
		rt.errs = append(rt.errs, fmt.Errorf("bot: callback area %q registered twice or empty", area))
	}
	rt.callbacks[area] = h
}

// Flow routes a private chat's non-command messages while its State.Flow
// is name.
func (rt *Router) Flow(name string, h HandlerFunc) {
	if _, dup := rt.flows[name]; dup || name == "" {
		rt.errs = append(rt.errs, fmt.Errorf("bot: flow %q registered twice or empty", name))
	}
	rt.flows[name] = h
}

// Prompted adds a hook for input the bot asked a person for out of band
// (the answer after pressing Jawab), tried before the chat's flow: the
// prompt came after the flow began, so the next message answers it.
func (rt *Router) Prompted(h MessageFunc) { rt.prompted = append(rt.prompted, h) }

// Message adds a hook for messages no command or flow took, tried in
// registration order.
func (rt *Router) Message(h MessageFunc) { rt.messages = append(rt.messages, h) }

// ChatMember adds a handler of my_chat_member updates (the bot blocked,
// unblocked, added to or removed from a group).
func (rt *Router) ChatMember(h HandlerFunc) { rt.members = append(rt.members, h) }

// Fallback sets the handler of private messages nothing else took.
func (rt *Router) Fallback(h HandlerFunc) { rt.fallback = h }

// handling is what the worker learns about one update's handling.
type handling struct {
	kind  string
	err   error
	panic string
}

type handlingKey struct{}

func handlingOf(ctx context.Context) *handling {
	if h, ok := ctx.Value(handlingKey{}).(*handling); ok {
		return h
	}
	return &handling{}
}

// recoverMiddleware turns a handler's panic into a logged, counted
// failure; the worker then retries the update a bounded number of times.
func (a *App) recoverMiddleware(next tgbot.HandlerFunc) tgbot.HandlerFunc {
	return func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
		defer func() {
			if p := recover(); p != nil {
				handlingOf(ctx).panic = fmt.Sprint(p)
				a.log.Error("handler panicked", "update_id", u.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			}
		}()
		next(ctx, b, u)
	}
}

// dispatch is the library's only handler: it routes through the Router.
func (a *App) dispatch(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	r := a.newRequest(u)
	h := handlingOf(ctx)
	h.kind = r.kind()
	err := a.route(ctx, r)
	if err != nil {
		h.err = err
		a.log.Error("handling update", "update_id", u.ID, "kind", h.kind, "err", err)
		r.apologize(ctx, err)
	}
	if r.Callback != nil && !r.answered {
		r.Answer(ctx, "")
	}
}

func (a *App) route(ctx context.Context, r *Request) error {
	rt := a.router
	switch {
	case r.Update.MyChatMember != nil:
		for _, h := range rt.members {
			if err := h(ctx, r); err != nil {
				return err
			}
		}
		return nil
	case r.Callback != nil:
		if h := rt.callbacks[callbackArea(r.Data)]; h != nil {
			return h(ctx, r)
		}
		return a.staleButton(ctx, r)
	case r.Message != nil:
		return a.routeMessage(ctx, r)
	}
	return nil // edited messages, channel posts: nothing to do
}

func (a *App) routeMessage(ctx context.Context, r *Request) error {
	rt := a.router
	if cmd, ok := ParseCommand(r.Message.Text); ok {
		if !cmd.For(a.botUsername()) {
			return nil // for another bot in the same group
		}
		r.Command, r.IsCommand = cmd, true
		if h := rt.commands[cmd.Name]; h != nil {
			return h(ctx, r)
		}
		if !r.Private {
			return nil
		}
		return r.Say(ctx, "res.unknown_command")
	}
	for _, m := range rt.prompted {
		if handled, err := m(ctx, r); handled || err != nil {
			return err
		}
	}
	var stateErr error
	if r.Private {
		st, err := r.State(ctx)
		if h := rt.flows[st.Flow]; err == nil && h != nil {
			return h(ctx, r)
		}
		stateErr = err
	}
	for _, m := range rt.messages {
		if handled, err := m(ctx, r); handled || err != nil {
			return err
		}
	}
	switch {
	case !r.Private:
		return nil // a group's chatter is not for the bot
	case stateErr != nil:
		return stateErr // Redis down: the person may be mid-flow; "try again"
	case rt.fallback != nil:
		return rt.fallback(ctx, r)
	}
	return nil
}

// staleButton answers a press the bot cannot place: a button from an old
// version, a forged one, or one whose flow expired.
func (a *App) staleButton(ctx context.Context, r *Request) error {
	r.Answer(ctx, catalog.T("res.stale_button"))
	_, err := r.Reply(ctx, r.menuMessage("res.stale_button_help"))
	return err
}

// apologize tells the person that their update could not be handled.
func (r *Request) apologize(ctx context.Context, err error) {
	if !r.Private || r.ChatID == 0 {
		return
	}
	key := catalog.Key("res.error")
	if errors.Is(err, ErrStateUnavailable) {
		key = "res.retry"
	}
	if r.Callback != nil {
		r.Answer(ctx, catalog.T(key))
	}
	_, _ = r.Reply(ctx, textMessage(key))
}
