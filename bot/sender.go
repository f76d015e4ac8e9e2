package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/message"
)

// Sender delivers message.Messages through go-telegram/bot and is the one
// place where Telegram's failures are classified into *message.SendError.
// A process builds one and hands views of it (As) to each sending part,
// so one counter sees every call to Telegram.
type Sender struct {
	tg    *tgbot.Bot
	sends *prometheus.CounterVec
	kind  string
	// files downloads what OpenFile fetches (sender_file.go).
	files *http.Client
}

// The kinds of send, the kind label of kimbot_telegram_sends_total.
const (
	KindReply     = "reply"     // the bot's answers in chat, edits and button answers
	KindBroadcast = "broadcast" // the delivery engine
	KindOutbox    = "outbox"    // aspirations' posts and answers
)

// NewSender builds a Sender for token against the Bot API at apiURL
// (Telegram's, or the emulator's). It makes no request: no getMe.
func NewSender(token, apiURL string, timeout time.Duration) (*Sender, error) {
	tg, err := newClient(token, apiURL, timeout)
	if err != nil {
		return nil, err
	}
	return newSender(tg), nil
}

// newSender counts under KindReply until As says otherwise.
func newSender(tg *tgbot.Bot) *Sender {
	return &Sender{tg: tg, kind: KindReply, files: &http.Client{Timeout: fileTimeout}, sends: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kimbot_telegram_sends_total",
		Help: "Calls to Telegram's sending methods by kind (reply, broadcast, outbox), method and outcome (ok or the kind of error).",
	}, []string{"kind", "method", "outcome"})}
}

// As returns a view of s that sends through the same client and counts
// its calls under kind (KindReply, KindBroadcast or KindOutbox).
func (s *Sender) As(kind string) *Sender {
	v := *s
	v.kind = kind
	return &v
}

// Collectors returns the Sender's metrics, for a prometheus.Registry. Every
// view of one Sender shares them: register them once.
func (s *Sender) Collectors() []prometheus.Collector { return []prometheus.Collector{s.sends} }

// count records one call's outcome and returns err unchanged.
func (s *Sender) count(method string, err error) error {
	outcome := "ok"
	if err != nil {
		outcome = message.KindOf(err).String()
	}
	s.sends.WithLabelValues(s.kind, method, outcome).Inc()
	return err
}

func newClient(token, apiURL string, timeout time.Duration, opts ...tgbot.Option) (*tgbot.Bot, error) {
	client := &tracingClient{c: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	tg, err := tgbot.New(token, append([]tgbot.Option{
		tgbot.WithServerURL(strings.TrimRight(apiURL, "/")),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(timeout, client),
		tgbot.WithErrorsHandler(func(error) {}), // callers see and log every error themselves
	}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("creating Telegram client: %w", err)
	}
	return tg, nil
}

// Send implements message.Sender.
func (s *Sender) Send(ctx context.Context, chatID int64, m message.Message) (int, error) {
	ctx, wrote := withWriteMarker(ctx)
	var id int
	var err error
	method := "sendMessage"
	switch {
	case m.PhotoFileID != "":
		method = "sendPhoto"
		var sent *models.Message
		sent, err = s.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: chatID, MessageThreadID: m.ThreadID, Photo: &models.InputFileString{Data: m.PhotoFileID},
			Caption: m.Caption, ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard(m.Buttons),
			ReplyParameters: replyTo(m.ReplyTo), DisableNotification: m.Silent, AllowPaidBroadcast: m.Paid})
		id = messageID(sent)
	case m.DocumentFileID != "":
		method = "sendDocument"
		var sent *models.Message
		sent, err = s.tg.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: chatID, MessageThreadID: m.ThreadID, Document: &models.InputFileString{Data: m.DocumentFileID},
			Caption: m.Caption, ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard(m.Buttons),
			ReplyParameters: replyTo(m.ReplyTo), DisableNotification: m.Silent, AllowPaidBroadcast: m.Paid})
		id = messageID(sent)
	default:
		var sent *models.Message
		sent, err = s.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chatID, MessageThreadID: m.ThreadID, Text: m.Text, ParseMode: models.ParseModeHTML,
			ReplyMarkup: keyboard(m.Buttons), ReplyParameters: replyTo(m.ReplyTo),
			DisableNotification: m.Silent, AllowPaidBroadcast: m.Paid, LinkPreviewOptions: linkPreview(m.NoPreview)})
		id = messageID(sent)
	}
	if err != nil {
		return 0, s.count(method, classifyAfterWrite(ctx, err, wrote.Load()))
	}
	return id, s.count(method, nil)
}

// linkPreview turns previews off when asked (nil leaves Telegram's default).
func linkPreview(off bool) *models.LinkPreviewOptions {
	if !off {
		return nil
	}
	return &models.LinkPreviewOptions{IsDisabled: &off}
}

func messageID(m *models.Message) int {
	if m == nil {
		return 0
	}
	return m.ID
}

func replyTo(id int) *models.ReplyParameters {
	if id == 0 {
		return nil
	}
	return &models.ReplyParameters{MessageID: id, AllowSendingWithoutReply: true}
}

// keyboard converts message buttons; nil when there are none, so no
// reply_markup is sent at all.
func keyboard(rows [][]message.Button) models.ReplyMarkup {
	if len(rows) == 0 {
		return nil
	}
	kb := &models.InlineKeyboardMarkup{}
	for _, row := range rows {
		r := make([]models.InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			r = append(r, models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data, URL: b.URL})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, r)
	}
	return kb
}

// classify maps a go-telegram error to a *message.SendError (see
// ../shared/notes/go-telegram-bot.md §2 for the library's error shapes).
func classify(ctx context.Context, err error) error {
	return classifyAfterWrite(ctx, err, false)
}

func classifyAfterWrite(ctx context.Context, err error, requestWritten bool) error {
	var tooMany *tgbot.TooManyRequestsError
	var migrated *tgbot.MigrateError
	var syntax *json.SyntaxError
	kind := message.Transient
	var retryAfter time.Duration
	var migrateTo int64
	switch {
	case errors.As(err, &tooMany):
		kind, retryAfter = message.RetryAfter, time.Duration(tooMany.RetryAfter)*time.Second
	case errors.As(err, &migrated):
		kind, migrateTo = message.Migrated, int64(migrated.MigrateToChatID)
	case errors.Is(err, tgbot.ErrorForbidden):
		kind = message.Blocked
	case errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(strings.ToLower(err.Error()), "chat not found"):
		kind = message.ChatNotFound
	case errors.Is(err, tgbot.ErrorBadRequest) && (strings.Contains(strings.ToLower(err.Error()), "thread not found") ||
		strings.Contains(err.Error(), "TOPIC_CLOSED") || strings.Contains(err.Error(), "TOPIC_DELETED")):
		kind = message.ThreadNotFound
	case errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorNotFound):
		kind = message.Permanent
	case errors.Is(err, tgbot.ErrorUnauthorized):
		kind = message.Unauthorized
	case errors.As(err, &syntax):
		kind = message.Transient // an HTML error page from a proxy: nothing was accepted
	case requestWritten && isTimeoutOrCut(err) && !errors.Is(ctx.Err(), context.Canceled):
		// The request reached the wire and no answer came back in time (the
		// client's timeout or the caller's deadline, whichever came first):
		// Telegram may have delivered it, so a blind retry could duplicate.
		kind = message.Uncertain
	}
	return &message.SendError{Kind: kind, RetryAfter: retryAfter, MigrateTo: migrateTo, Err: redactToken(err)}
}

// botPath matches the token in a Bot API URL ("/bot123:ABC…"), which the
// library's transport errors (*url.Error) carry in their text.
var botPath = regexp.MustCompile(`/bot[^/\s"]+`)

// redactedError hides the token in err's text and keeps err's chain for
// errors.Is/As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactToken returns err with any Bot API token removed from its text.
func redactToken(err error) error {
	msg := err.Error()
	if !strings.Contains(msg, "/bot") {
		return err
	}
	return &redactedError{msg: botPath.ReplaceAllString(msg, "/bot<token>"), err: err}
}

func isTimeoutOrCut(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "EOF") ||
		strings.Contains(err.Error(), "connection reset")
}

type writeMarkerKey struct{}

// withWriteMarker returns a ctx whose requests record, in the returned
// bool, whether the whole request was written to the connection.
func withWriteMarker(ctx context.Context) (context.Context, *atomic.Bool) {
	wrote := new(atomic.Bool)
	return context.WithValue(ctx, writeMarkerKey{}, wrote), wrote
}

// tracingClient sets the write marker through httptrace; go-telegram/bot
// accepts any client with Do.
type tracingClient struct{ c *http.Client }

func (t *tracingClient) Do(req *http.Request) (*http.Response, error) {
	if wrote, ok := req.Context().Value(writeMarkerKey{}).(*atomic.Bool); ok {
		trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		}}
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	}
	return t.c.Do(req)
}
