package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// Request is one update being handled, with the helpers handlers use to
// answer. Every send goes through the App's Sender (classified errors,
// blocked residents marked, interactive pacing).
type Request struct {
	Update    *models.Update
	ChatID    int64                 // the chat to answer in (0 when none)
	UserID    int64                 // who sent it (0 when none)
	Private   bool                  // a private chat with the bot
	Message   *models.Message       // the message, or nil
	Callback  *models.CallbackQuery // the pressed button, or nil
	Data      string                // the button's callback data
	Command   Command               // set when IsCommand
	IsCommand bool

	app      *App
	answered bool
}

func (a *App) newRequest(u *models.Update) *Request {
	r := &Request{Update: u, app: a}
	switch {
	case u.Message != nil:
		r.Message = u.Message
		r.ChatID, r.Private = u.Message.Chat.ID, u.Message.Chat.Type == models.ChatTypePrivate
		if u.Message.From != nil {
			r.UserID = u.Message.From.ID
		}
	case u.CallbackQuery != nil:
		r.Callback, r.Data, r.UserID = u.CallbackQuery, u.CallbackQuery.Data, u.CallbackQuery.From.ID
		r.ChatID, r.Private = r.UserID, true
		if m := u.CallbackQuery.Message.Message; m != nil {
			r.ChatID, r.Private = m.Chat.ID, m.Chat.Type == models.ChatTypePrivate
		}
	case u.MyChatMember != nil:
		r.ChatID, r.UserID = u.MyChatMember.Chat.ID, u.MyChatMember.From.ID
		r.Private = u.MyChatMember.Chat.Type == models.ChatTypePrivate
	}
	return r
}

// kind names the update for metrics: command, callback, message,
// my_chat_member or other.
func (r *Request) kind() string {
	switch {
	case r.Message != nil:
		if _, ok := ParseCommand(r.Message.Text); ok {
			return "command"
		}
		return "message"
	case r.Callback != nil:
		return "callback"
	case r.Update.MyChatMember != nil:
		return "my_chat_member"
	}
	return "other"
}

// Bot is the library client, for flows that call Telegram methods the
// helpers do not wrap. Prefer the helpers: they classify errors.
func (r *Request) Bot() *tgbot.Bot { return r.app.tg }

// Deps are the App's stores and services.
func (r *Request) Deps() *Deps { return &r.app.deps }

// Text is the message's text or caption ("" for a button press).
func (r *Request) Text() string {
	if r.Message == nil {
		return ""
	}
	if r.Message.Text != "" {
		return r.Message.Text
	}
	return r.Message.Caption
}

// Reply sends m to the chat.
func (r *Request) Reply(ctx context.Context, m message.Message) (int, error) {
	return r.app.send(ctx, r.ChatID, m)
}

// Say sends the catalogue text key to the chat.
func (r *Request) Say(ctx context.Context, key catalog.Key, args ...any) error {
	_, err := r.Reply(ctx, textMessage(key, args...))
	return err
}

// Show answers a button press by editing the message that held the button
// (menus change in place); anything else gets a new message. If the edit
// fails (the message is too old) a new message is sent.
func (r *Request) Show(ctx context.Context, m message.Message) error {
	if r.Callback != nil && r.Callback.Message.Message != nil {
		err := r.app.edit(ctx, r.ChatID, r.Callback.Message.Message.ID, m)
		if err == nil || isBlocked(err) {
			return err
		}
	}
	_, err := r.Reply(ctx, m)
	return err
}

// Answer answers the pressed button (once), with a short notice or none.
func (r *Request) Answer(ctx context.Context, text string) {
	if r.Callback == nil || r.answered {
		return
	}
	r.answered = true
	if err := r.app.sender.AnswerCallback(ctx, r.Callback.ID, text, false); err != nil {
		r.app.log.Warn("answering a button press", "update_id", r.Update.ID, "err", err)
	}
}

// State returns the chat's conversation state (ErrStateUnavailable when
// Redis is down).
func (r *Request) State(ctx context.Context) (State, error) {
	return r.app.states.get(ctx, r.ChatID)
}

// SetState keeps the chat's conversation state, refreshing its TTL.
func (r *Request) SetState(ctx context.Context, st State) error {
	return r.app.states.set(ctx, r.ChatID, st)
}

// ClearState ends the chat's flow. A failure is only logged: the state
// expires on its own.
func (r *Request) ClearState(ctx context.Context) {
	if err := r.app.states.clear(ctx, r.ChatID); err != nil {
		r.app.log.Warn("clearing conversation state", "update_id", r.Update.ID, "err", err)
	}
}

func textMessage(key catalog.Key, args ...any) message.Message {
	return message.Message{Text: catalog.T(key, args...)}
}

// send is the one path of every reply: pace, send, and mark a resident who
// blocked the bot.
func (a *App) send(ctx context.Context, chatID int64, m message.Message) (int, error) {
	a.pace(ctx)
	id, err := a.sender.Send(ctx, chatID, m)
	a.noteBlocked(ctx, chatID, err)
	return id, err
}

func (a *App) edit(ctx context.Context, chatID int64, messageID int, m message.Message) error {
	a.pace(ctx)
	err := a.sender.Edit(ctx, chatID, messageID, m)
	a.noteBlocked(ctx, chatID, err)
	return err
}

func (a *App) pace(ctx context.Context) {
	if a.deps.Interactive != nil {
		_ = a.deps.Interactive.TakeInteractive(ctx) // on error send anyway: Telegram's 429 still guards
	}
}

func (a *App) noteBlocked(ctx context.Context, chatID int64, err error) {
	if !isBlocked(err) || chatID <= 0 {
		return
	}
	if err := a.deps.Subscribers.MarkBlocked(ctx, chatID); err != nil {
		a.log.Error("marking a resident blocked", "err", err)
	}
}
