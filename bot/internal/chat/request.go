package chat

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// Conn is how a Request reaches Telegram: the bot's classifying Sender,
// with replies paced against the shared budget and residents who blocked
// the bot marked so. Every error is a *message.SendError.
type Conn interface {
	Send(ctx context.Context, chatID int64, m message.Message) (messageID int, err error)
	// Edit replaces a text message's text and buttons.
	Edit(ctx context.Context, chatID int64, messageID int, m message.Message) error
	// EditButtons replaces only a message's buttons (none: removes them).
	EditButtons(ctx context.Context, chatID int64, messageID int, rows [][]message.Button) error
	// AnswerCallback stops a pressed button's spinner, with a notice or none.
	AnswerCallback(ctx context.Context, queryID, text string, alert bool) error
}

// Request is one update being handled, with the helpers handlers use to
// answer. Every send goes through Conn.
type Request struct {
	Update    *models.Update
	ChatID    int64                 // the chat to answer in (0 when none)
	ThreadID  int                   // the forum topic to answer in (0: General, or no topics)
	UserID    int64                 // who sent it (0 when none)
	Private   bool                  // a private chat with the bot
	Message   *models.Message       // the message, or nil
	Callback  *models.CallbackQuery // the pressed button, or nil
	Data      string                // the button's callback data
	Command   Command               // set when IsCommand
	IsCommand bool

	conn     Conn
	chatType models.ChatType // of the chat the update came from ("" when unknown)
	store    *Store
	log      *slog.Logger
	answered bool
}

// NewRequest reads u; answers go through conn, state lives in store.
func NewRequest(u *models.Update, conn Conn, store *Store, log *slog.Logger) *Request {
	r := &Request{Update: u, conn: conn, store: store, log: log}
	switch {
	case u.Message != nil:
		r.Message = u.Message
		r.ChatID, r.chatType = u.Message.Chat.ID, u.Message.Chat.Type
		r.ThreadID = topicOf(u.Message)
		if u.Message.From != nil {
			r.UserID = u.Message.From.ID
		}
	case u.CallbackQuery != nil:
		r.Callback, r.Data, r.UserID = u.CallbackQuery, u.CallbackQuery.Data, u.CallbackQuery.From.ID
		// The chat is the message's; a press on an inline message (none)
		// has no chat, and the Router refuses it.
		if m := u.CallbackQuery.Message.Message; m != nil {
			r.ChatID, r.chatType = m.Chat.ID, m.Chat.Type
			r.ThreadID = topicOf(m)
		} else if m := u.CallbackQuery.Message.InaccessibleMessage; m != nil {
			r.ChatID, r.chatType = m.Chat.ID, m.Chat.Type
		}
	case u.MyChatMember != nil:
		r.ChatID, r.UserID = u.MyChatMember.Chat.ID, u.MyChatMember.From.ID
		r.chatType = u.MyChatMember.Chat.Type
	}
	r.Private = r.chatType == models.ChatTypePrivate
	return r
}

// topicOf is the forum topic m was typed in, or 0. In a supergroup
// without topics a reply carries the message_thread_id of its reply
// thread too, but only is_topic_message makes it a topic.
// Specs: https://core.telegram.org/bots/api#message (is_topic_message)
func topicOf(m *models.Message) int {
	if !m.IsTopicMessage {
		return 0
	}
	return m.MessageThreadID
}

// Kind names the update for metrics: command, callback, message,
// my_chat_member or other.
func (r *Request) Kind() string {
	switch {
	case r.Message != nil:
		if _, ok := ParseCommand(r.Text()); ok {
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

// Conn is how the request reaches Telegram, for flows that send to other
// chats (a ticket's post) or edit a message that is not the pressed one.
func (r *Request) Conn() Conn { return r.conn }

// Store is the conversation-state store, for flows that keep more than
// the chat's State (drafts, pending answers).
func (r *Request) Store() *Store { return r.store }

// Log is the logger; log the update id, never chat ids, names or text.
func (r *Request) Log() *slog.Logger { return r.log }

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

// Reply sends m to the chat, in the forum topic the update came from
// (unless m names another).
func (r *Request) Reply(ctx context.Context, m message.Message) (int, error) {
	if m.ThreadID == 0 {
		m.ThreadID = r.ThreadID
	}
	return r.conn.Send(ctx, r.ChatID, m)
}

// Say sends the catalogue text key to the chat.
func (r *Request) Say(ctx context.Context, key catalog.Key, args ...any) error {
	_, err := r.Reply(ctx, Text(key, args...))
	return err
}

// ReplyOnce sends m unless a message of the same kind (once names it) went
// to this chat within window: a flood of the same refusal gets one answer
// per window, so it never eats the chat's budget that ticket posts need.
// With Redis away the message is sent.
func (r *Request) ReplyOnce(ctx context.Context, window time.Duration, once string, m message.Message) error {
	if first, err := r.store.First(ctx, r.store.Key("once", r.ChatID, once), window); err == nil && !first {
		return nil
	}
	_, err := r.Reply(ctx, m)
	return err
}

// Show answers a button press by editing the message that held the button
// (menus change in place); anything else gets a new message. If the edit
// fails (the message is too old) a new message is sent.
func (r *Request) Show(ctx context.Context, m message.Message) error {
	if r.Callback != nil && r.Callback.Message.Message != nil {
		err := r.conn.Edit(ctx, r.ChatID, r.Callback.Message.Message.ID, m)
		if err == nil || message.KindOf(err) == message.Blocked {
			return err
		}
	}
	_, err := r.Reply(ctx, m)
	return err
}

// Answer answers the pressed button (once), with a short notice or none.
func (r *Request) Answer(ctx context.Context, text string) { r.answer(ctx, text, false) }

// Alert answers the pressed button (once) with a dialog the person must
// close; nothing for a message.
func (r *Request) Alert(ctx context.Context, text string) { r.answer(ctx, text, true) }

func (r *Request) answer(ctx context.Context, text string, alert bool) {
	if r.Callback == nil || r.answered {
		return
	}
	r.answered = true
	if err := r.conn.AnswerCallback(ctx, r.Callback.ID, text, alert); err != nil {
		r.log.Warn("answering a button press", "update_id", r.Update.ID, "err", err)
	}
}

// State returns the chat's conversation state (ErrStateUnavailable when
// Redis is down).
func (r *Request) State(ctx context.Context) (State, error) {
	return r.store.state(ctx, r.ChatID)
}

// SetState keeps the chat's conversation state, refreshing its TTL.
func (r *Request) SetState(ctx context.Context, st State) error {
	return r.store.setState(ctx, r.ChatID, st)
}

// ClearState ends the chat's flow. A failure is only logged: the state
// expires on its own.
func (r *Request) ClearState(ctx context.Context) {
	if err := r.store.setState(ctx, r.ChatID, State{}); err != nil {
		r.log.Warn("clearing conversation state", "update_id", r.Update.ID, "err", err)
	}
}

// Text is the catalogue text key as a message.
func Text(key catalog.Key, args ...any) message.Message {
	return message.Message{Text: catalog.T(key, args...)}
}

// UserName is how staff and residents are named to others: first and
// last name, else the @username, else "".
func UserName(u *models.User) string {
	if u == nil {
		return ""
	}
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" && u.Username != "" {
		name = "@" + u.Username
	}
	return name
}
