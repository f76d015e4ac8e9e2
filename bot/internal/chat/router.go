package chat

import (
	"context"
	"errors"
	"fmt"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// HandlerFunc handles one update. A returned error is logged (with the
// update id only) and the person gets a short apology; ErrStateUnavailable
// gets "try again in a moment".
type HandlerFunc func(ctx context.Context, r *Request) error

// MessageFunc looks at a message no command or flow took (a reply to a
// ticket post, a forwarded hoax) and says whether it handled it.
type MessageFunc func(ctx context.Context, r *Request) (handled bool, err error)

// MenuCommand is one entry of the command menu Telegram shows by "/".
type MenuCommand struct {
	Name        string
	Description string
}

// Router maps updates to handlers; see the package doc for the order in
// which they are tried.
type Router struct {
	commands  map[string]HandlerFunc
	callbacks map[string]*callbackRoute
	who       WhoFunc
	flows     map[string]HandlerFunc
	prompted  []MessageFunc
	messages  []MessageFunc
	members   []HandlerFunc
	migrated  []MigratedFunc
	fallback  HandlerFunc
	stale     HandlerFunc
	menu      []MenuCommand
	errs      []error
}

// NewRouter returns a Router with no routes.
func NewRouter() *Router {
	return &Router{commands: map[string]HandlerFunc{}, callbacks: map[string]*callbackRoute{}, flows: map[string]HandlerFunc{}}
}

// Err reports every registration mistake (a route registered twice, an
// invalid name), joined.
func (rt *Router) Err() error { return errors.Join(rt.errs...) }

// Menu returns the command menu in registration order.
func (rt *Router) Menu() []MenuCommand { return rt.menu }

// Command routes /name (any case, with or without @bot and arguments).
func (rt *Router) Command(name string, h HandlerFunc) {
	if _, dup := rt.commands[name]; dup || !validCommandName(name) {
		rt.errs = append(rt.errs, fmt.Errorf("chat: command %q registered twice or invalid", name))
	}
	rt.commands[name] = h
}

// AddMenu adds a command to the menu Telegram shows residents
// (setMyCommands), in registration order.
func (rt *Router) AddMenu(name string, description catalog.Key) {
	rt.menu = append(rt.menu, MenuCommand{Name: name, Description: catalog.T(description)})
}

// Flow routes a private chat's non-command messages while its State.Flow
// is name.
func (rt *Router) Flow(name string, h HandlerFunc) {
	if _, dup := rt.flows[name]; dup || name == "" {
		rt.errs = append(rt.errs, fmt.Errorf("chat: flow %q registered twice or empty", name))
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

// MigratedFunc handles a group's move to a supergroup: from is the old
// chat id, to the new one.
type MigratedFunc func(ctx context.Context, r *Request, from, to int64) error

// ChatMigrated adds a handler of the service messages Telegram sends when
// a group becomes a supergroup (migrate_to_chat_id in the old chat,
// migrate_from_chat_id in the new one; handlers see both and must be
// idempotent). Specs: https://core.telegram.org/bots/api#message
func (rt *Router) ChatMigrated(h MigratedFunc) { rt.migrated = append(rt.migrated, h) }

// Fallback sets the handler of private messages nothing else took.
func (rt *Router) Fallback(h HandlerFunc) { rt.fallback = h }

// Stale sets the handler of a press in a private chat whose area nobody
// registered (a button from an old version, a forged one); by default,
// and in groups, it only gets a short notice.
func (rt *Router) Stale(h HandlerFunc) { rt.stale = h }

// Handle routes r; username is the bot's own, so commands for another bot
// in the same group are ignored. A handler's error gets the person a short
// apology and is returned for the caller to log; every pressed button is
// answered, even if its handler forgot.
func (rt *Router) Handle(ctx context.Context, r *Request, username string) error {
	err := rt.route(ctx, r, username)
	if err != nil {
		r.apologize(ctx, err)
	}
	r.Answer(ctx, "")
	return err
}

func (rt *Router) route(ctx context.Context, r *Request, username string) error {
	switch {
	case r.Update.MyChatMember != nil:
		for _, h := range rt.members {
			if err := h(ctx, r); err != nil {
				return err
			}
		}
		return nil
	case r.Callback != nil:
		return rt.press(ctx, r)
	case r.Message != nil:
		return rt.routeMessage(ctx, r, username)
	}
	return nil // edited messages, channel posts: nothing to do
}

func (rt *Router) routeMessage(ctx context.Context, r *Request, username string) error {
	if m := r.Message; m.MigrateToChatID != 0 || m.MigrateFromChatID != 0 {
		from, to := m.Chat.ID, m.MigrateToChatID
		if m.MigrateFromChatID != 0 {
			from, to = m.MigrateFromChatID, m.Chat.ID
		}
		for _, h := range rt.migrated {
			if err := h(ctx, r, from, to); err != nil {
				return err
			}
		}
		return nil
	}
	if r.LaterInBatch(ctx) {
		r.log.Debug("later part of a batch acknowledged", "update_id", r.Update.ID)
		return nil
	}
	if cmd, ok := ParseCommand(r.Text()); ok {
		if !cmd.For(username) {
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

// apologize tells the person that their update could not be handled,
// unless it failed because Telegram did not take a message to this chat
// (it hangs, is down, refuses with 429, or the chat is gone): the apology
// would go the same way, and a hung Telegram would hold the worker twice.
func (r *Request) apologize(ctx context.Context, err error) {
	if !r.Private || r.ChatID == 0 || sendFailed(err) {
		return
	}
	key := catalog.Key("res.error")
	if errors.Is(err, ErrStateUnavailable) {
		key = "res.retry"
	}
	r.Answer(ctx, catalog.T(key))
	_, _ = r.Reply(ctx, Text(key))
}

// PrivateOnly runs h in private chats; in a group the person is asked to
// write to the bot privately.
func PrivateOnly(h HandlerFunc) HandlerFunc {
	return func(ctx context.Context, r *Request) error {
		if !r.Private {
			return r.Say(ctx, "res.private_only")
		}
		return h(ctx, r)
	}
}

// sendFailed reports whether err is Telegram failing a send for a reason
// other than the message itself (a Permanent 400 is a message the bot got
// wrong; an apology, being another message, may still go through).
func sendFailed(err error) bool {
	var se *message.SendError
	return errors.As(err, &se) && se.Kind != message.Permanent
}
