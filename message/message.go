// Package message is the small vocabulary that the domain packages
// (broadcast, aspirations) share with the Telegram transport (bot): what a
// message to a chat holds, how a send can fail, and how long to wait before
// trying again; how Telegram counts a message's text against its limits
// (VisibleLen, UTF16Len, ContentLen, FitHTML); and Callback, the one codec
// of every button's data. It
// imports no Telegram library and knows no other kimbot package; package
// bot implements Sender on top of go-telegram/bot.
package message

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Message is one outgoing chat message. Exactly one of Text, PhotoFileID or
// DocumentFileID carries the body; Caption goes with a photo or document.
// Text and Caption are Telegram HTML (parse_mode=HTML).
type Message struct {
	Text           string     `json:"text,omitempty"`
	PhotoFileID    string     `json:"photo_file_id,omitempty"`
	DocumentFileID string     `json:"document_file_id,omitempty"`
	Caption        string     `json:"caption,omitempty"`
	Buttons        [][]Button `json:"buttons,omitempty"`
	// ReplyTo is the message id in the same chat this one answers, or 0.
	ReplyTo int `json:"reply_to,omitempty"`
	// ThreadID is the forum topic of the chat it goes to (Telegram's
	// message_thread_id); 0 is General, or a chat without topics.
	// Specs: https://core.telegram.org/bots/api#sendmessage
	ThreadID int `json:"thread_id,omitempty"`
	// Silent sends without a notification sound.
	Silent bool `json:"silent,omitempty"`
	// Paid asks Telegram for paid broadcast (up to 1000 msg/s).
	Paid bool `json:"paid,omitempty"`
	// NoPreview sends a text without a link preview: Telegram would
	// otherwise fetch its first link (link_preview_options.is_disabled).
	NoPreview bool `json:"no_preview,omitempty"`
}

// Button is an inline keyboard button: a link (URL) or a callback (Data).
type Button struct {
	Text string `json:"text"`
	URL  string `json:"url,omitempty"`
	Data string `json:"data,omitempty"`
}

// Sender delivers one message to one chat and returns Telegram's message id.
// Errors are *SendError whenever the failure is understood.
type Sender interface {
	Send(ctx context.Context, chatID int64, m Message) (messageID int, err error)
}

// Kind classifies a failed send by what the caller must do next.
type Kind int

// The kinds of send failure.
const (
	// Transient: 5xx, connection refused, DNS; safe to retry with backoff.
	Transient Kind = iota
	// RetryAfter: Telegram's flood control (429); had no effect, retry after
	// SendError.RetryAfter, and every sender should pause as long.
	RetryAfter
	// Blocked: 403, the user blocked the bot or was deactivated; never send
	// to this chat again until they come back.
	Blocked
	// ChatNotFound: 400 chat not found; the chat id is no good.
	ChatNotFound
	// Uncertain: the request went out but no answer came back (read
	// timeout); Telegram may have delivered it, so a retry may duplicate.
	Uncertain
	// Permanent: any other 4xx (message too long, bad markup); retrying the
	// same message fails the same way.
	Permanent
	// Unauthorized: 401, the token was revoked; stop everything.
	Unauthorized
	// Migrated: 400, the group was upgraded to a supergroup whose id is
	// SendError.MigrateTo; send there instead, and never to the old id.
	// Specs: https://core.telegram.org/bots/api#responseparameters
	Migrated
	// ThreadNotFound: 400, the forum topic was deleted ("message thread
	// not found", TOPIC_DELETED) or closed (TOPIC_CLOSED); the same message
	// goes to the group's General instead.
	ThreadNotFound
)

var kindNames = [...]string{"transient", "retry_after", "blocked", "chat_not_found", "uncertain", "permanent", "unauthorized", "migrated", "thread_not_found"}

// String is the snake_case name used in logs and metric labels.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// SendError is a classified send failure.
type SendError struct {
	Kind       Kind
	RetryAfter time.Duration // set for RetryAfter
	MigrateTo  int64         // set for Migrated: the supergroup's chat id
	Err        error         // the underlying error, for logs
}

func (e *SendError) Error() string {
	if e.Kind == RetryAfter {
		return fmt.Sprintf("send failed (%s %s): %v", e.Kind, e.RetryAfter, e.Err)
	}
	return fmt.Sprintf("send failed (%s): %v", e.Kind, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// KindOf returns the Kind of err; errors that were not classified count as
// Transient, the safe default for anything unexpected before sending.
func KindOf(err error) Kind {
	var se *SendError
	if errors.As(err, &se) {
		return se.Kind
	}
	return Transient
}

// MigratedTo returns the supergroup a group chat moved to, when err says
// so.
func MigratedTo(err error) (chatID int64, ok bool) {
	var se *SendError
	if errors.As(err, &se) && se.Kind == Migrated && se.MigrateTo != 0 {
		return se.MigrateTo, true
	}
	return 0, false
}

// RetryAfterOf returns how long Telegram asked to wait, or 0.
func RetryAfterOf(err error) time.Duration {
	var se *SendError
	if errors.As(err, &se) && se.Kind == RetryAfter {
		return se.RetryAfter
	}
	return 0
}

// Backoff returns when attempt number attempt (1 for the first retry) may
// run: exponential from 2 s, capped at 10 minutes, with ±20% jitter so that
// many failures do not come back in lockstep.
func Backoff(now time.Time, attempt int) time.Time {
	d := 2 * time.Second
	for i := 1; i < attempt && d < 10*time.Minute; i++ {
		d *= 2
	}
	d = min(d, 10*time.Minute)
	jitter := time.Duration((rand.Float64()*0.4 - 0.2) * float64(d))
	return now.Add(d + jitter)
}
