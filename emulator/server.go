// Package emulator is an in-process Telegram Bot API server for tests and
// the no-token demo. It speaks the real JSON protocol of the methods kimbot
// uses, keeps the chats and the messages the bot sent, injects updates as a
// user would, enforces Telegram's rate limits and injects faults on demand.
//
// In a test:
//
//	emu := emulator.NewTestServer(t, emulator.Options{})
//	// point the bot at emu.URL() (TELEGRAM_API_URL / bot.WithServerURL), start it
//	emu.SendText(emulator.User{ID: 1001, FirstName: "Budi"}, "/start")
//	m := emu.WaitFor(t, 1001, 5*time.Second, func(m emulator.Sent) bool { return len(m.Buttons) > 0 })
//	emu.PressButton(emulator.User{ID: 1001}, 1001, m.MessageID, m.Buttons[0][0].CallbackData)
//
// Sends go only to chats that wrote to the bot (or RegisterUser, or
// Options.AnyChat); the default limits are Telegram's (a burst of 3 then
// 1/s per chat, 30/s overall, 20/min per group), so tests of quick
// multi-message flows may want Options{Unlimited: true}. Injected updates
// stay pending until a later getUpdates offset (or a 2xx webhook answer)
// confirms them.
package emulator

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure limits and identity. Zero values mean the defaults shown.
type Options struct {
	Token         string           // if set, requests with another token get 401; default: accept any
	BotUsername   string           // default "kimbot_test_bot"; getMe returns it
	BotID         int64            // default 1000
	GlobalPerSec  int              // default 30 sends/s across all chats; <0 disables
	PerChatPerSec float64          // default 1 send/s per chat (token bucket); <0 disables
	PerChatBurst  int              // default 3 (Telegram tolerates short bursts)
	GroupPerMin   int              // default 20 sends/min per group chat (chat id < 0); <0 disables
	Unlimited     bool             // disables all three limits
	AnyChat       bool             // accept sends to chats that never wrote to the bot (benchmarks)
	WebhookRetry  time.Duration    // first retry delay of a failed webhook push, doubling up to 2 s; default 100 ms
	Clock         func() time.Time // default time.Now (limits and dates use it)
	// FetchPreviews makes the emulator GET the first link of a text sent
	// without NoPreview, as Telegram's preview robot does.
	FetchPreviews bool
	Logger        *slog.Logger // default discard
}

func (o Options) withDefaults() Options {
	if o.BotUsername == "" {
		o.BotUsername = "kimbot_test_bot"
	}
	if o.BotID == 0 {
		o.BotID = 1000
	}
	if o.GlobalPerSec == 0 {
		o.GlobalPerSec = 30
	}
	if o.PerChatPerSec == 0 {
		o.PerChatPerSec = 1
	}
	if o.PerChatBurst <= 0 {
		o.PerChatBurst = 3
	}
	if o.GroupPerMin == 0 {
		o.GroupPerMin = 20
	}
	if o.Unlimited {
		o.GlobalPerSec, o.PerChatPerSec, o.GroupPerMin = -1, -1, -1
	}
	if o.WebhookRetry <= 0 {
		o.WebhookRetry = 100 * time.Millisecond
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// User is a Telegram user; a user's private chat has the same id.
type User struct {
	ID                            int64
	FirstName, LastName, Username string
}

// Chat is a group or supergroup (negative id) or a private chat.
type Chat struct {
	ID          int64
	Type, Title string // "private", "group", "supergroup"
	IsForum     bool   // a supergroup with topics (CreateTopic sets it)
}

// Button is one inline keyboard button of a sent message.
type Button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// Sent is a message the bot sent, with its edits applied.
type Sent struct {
	MessageID      int        `json:"message_id"`
	ChatID         int64      `json:"chat_id"`
	Method         string     `json:"method"` // sendMessage, sendPhoto, sendDocument, copyMessage, forwardMessage
	Text           string     `json:"text"`   // text or caption, as sent (markup not rendered)
	ParseMode      string     `json:"parse_mode,omitempty"`
	PhotoFileID    string     `json:"photo_file_id,omitempty"`
	DocumentFileID string     `json:"document_file_id,omitempty"`
	Buttons        [][]Button `json:"buttons,omitempty"` // inline keyboard, current (after edits)
	ReplyTo        int        `json:"reply_to,omitempty"`
	// ThreadID is the message_thread_id it was sent with: the forum topic
	// (0: General, or a chat without topics).
	ThreadID int `json:"thread_id,omitempty"`
	// NoPreview: sent with link_preview_options.is_disabled (Telegram
	// then fetches no link of the text to build a preview).
	NoPreview bool      `json:"no_preview,omitempty"`
	Edits     int       `json:"edits"` // how many times an edit changed it
	Date      time.Time `json:"date"`
	Rev       int64     `json:"rev"` // server-wide change number, grows with every send and edit
}

// CallbackAnswer is one answerCallbackQuery call.
type CallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
}

// Command is one entry of the last setMyCommands call.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Stats count what the emulator answered.
type Stats struct {
	Sends          int // accepted sends (messages recorded)
	RateLimited    int // 429s answered because a limit was exceeded (not injected faults)
	InjectedFaults int
	ToMigrated     int // sends refused because the group had become a supergroup
	MaxPerSecond   int // highest number of accepted sends within any 1-second window
	PreviewFetches int // links fetched for previews (Options.FetchPreviews)
	Downloads      int // files downloaded (GET /file/bot…/path)
}

// Server is the emulator. All state sits behind one mutex; critical
// sections are short and never block on I/O.
type Server struct {
	opts Options
	log  *slog.Logger
	done chan struct{}
	once sync.Once
	ts   *httptest.Server
	url  string
	api  map[string]methodFunc

	mu        sync.Mutex
	st        state
	updatesCh chan struct{} // closed and replaced when updates are queued
	changedCh chan struct{} // closed and replaced when a bot message changes
	webhookCh chan struct{} // closed and replaced when the webhook config changes
}

// New returns an emulator that is not listening; serve Handler() yourself.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{
		opts:      opts,
		log:       opts.Logger,
		done:      make(chan struct{}),
		updatesCh: make(chan struct{}),
		changedCh: make(chan struct{}),
		webhookCh: make(chan struct{}),
		st:        newState(),
	}
	s.api = s.methods()
	go s.webhookLoop()
	return s
}

// NewTestServer starts the emulator on an httptest server that is closed in
// t.Cleanup.
func NewTestServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	s.ts = httptest.NewServer(s.Handler())
	s.url = s.ts.URL
	t.Cleanup(s.Close)
	return s
}

// URL is the base URL without a trailing slash, for TELEGRAM_API_URL or
// bot.WithServerURL.
func (s *Server) URL() string { return s.url }

// Close wakes all long polls, stops webhook pushes and closes the test
// server, if any. It is safe to call more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		if s.ts != nil {
			s.ts.CloseClientConnections()
			s.ts.Close()
		}
	})
}

// Handler serves POST /bot<token>/<method>, GET /file/bot<token>/<path>
// and the /_emu/ control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_emu/send", s.handleControlSend)
	mux.HandleFunc("/_emu/press", s.handleControlPress)
	mux.HandleFunc("/_emu/messages", s.handleControlMessages)
	mux.HandleFunc("/file/", s.handleFile)
	mux.HandleFunc("/", s.handleAPI)
	return mux
}

// apiError is a Bot API error answer.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64 // parameters.migrate_to_chat_id
}

func badRequest(desc string) *apiError { return &apiError{Code: 400, Description: desc} }

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error: encoding result"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeResult(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, apiResponse{OK: true, Result: result})
}

func writeError(w http.ResponseWriter, e *apiError) {
	resp := apiResponse{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 || e.MigrateTo != 0 {
		resp.Parameters = &responseParams{RetryAfter: e.RetryAfter, MigrateToChatID: e.MigrateTo}
	}
	status := e.Code
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError // odd fault codes still get a valid HTTP status
	}
	writeJSON(w, status, resp)
}

// handleAPI routes /bot<token>/<method> to the method's handler.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" {
		writeError(w, &apiError{Code: 404, Description: "Not Found"})
		return
	}
	if s.opts.Token != "" && token != s.opts.Token {
		writeError(w, &apiError{Code: 401, Description: "Unauthorized"})
		return
	}
	method = strings.TrimPrefix(method, "test/")
	h, ok := s.api[strings.ToLower(method)]
	if !ok {
		writeError(w, &apiError{Code: 404, Description: "Not Found: method not found"})
		return
	}
	p, err := parseParams(r.Header.Get("Content-Type"), r.Body, r.URL.Query())
	if err != nil {
		writeError(w, badRequest("Bad Request: "+err.Error()))
		return
	}
	s.log.Debug("emulator call", "method", method)
	result, apiErr := h(r, p)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeResult(w, result)
}

type methodFunc func(r *http.Request, p params) (any, *apiError)

func (s *Server) methods() map[string]methodFunc {
	return map[string]methodFunc{
		"getme":                  s.getMe,
		"getupdates":             s.getUpdates,
		"setwebhook":             s.setWebhook,
		"deletewebhook":          s.deleteWebhook,
		"getwebhookinfo":         s.getWebhookInfo,
		"sendmessage":            s.sendMessage,
		"sendphoto":              s.sendPhoto,
		"senddocument":           s.sendDocument,
		"copymessage":            s.copyMessage,
		"forwardmessage":         s.forwardMessage,
		"editmessagetext":        s.editMessageText,
		"editmessagereplymarkup": s.editMessageReplyMarkup,
		"editmessagecaption":     s.editMessageCaption,
		"deletemessage":          s.deleteMessage,
		"answercallbackquery":    s.answerCallbackQuery,
		"setmycommands":          s.setMyCommands,
		"getmycommands":          s.getMyCommands,
		"deletemycommands":       s.deleteMyCommands,
		"sendchataction":         s.sendChatAction,
		"getchat":                s.getChat,
		"getfile":                s.getFile,
		"logout":                 func(*http.Request, params) (any, *apiError) { return true, nil },
		"close":                  func(*http.Request, params) (any, *apiError) { return true, nil },
	}
}

func (s *Server) getMe(*http.Request, params) (any, *apiError) {
	return wBotUser{ID: s.opts.BotID, IsBot: true, FirstName: "Kimbot", Username: s.opts.BotUsername, CanJoinGroups: true}, nil
}

func (s *Server) botUser() *wUser {
	return &wUser{ID: s.opts.BotID, IsBot: true, FirstName: "Kimbot", Username: s.opts.BotUsername}
}

// now is the emulator's clock.
func (s *Server) now() time.Time { return s.opts.Clock() }

// unixNow is a message date; never zero, because a zero date marks an
// inaccessible message in the client libraries.
func (s *Server) unixNow() int64 {
	if d := s.now().Unix(); d > 0 {
		return d
	}
	return 1
}

// notifyLocked wakes the waiters of ch and returns a fresh channel.
func notifyLocked(ch chan struct{}) chan struct{} {
	close(ch)
	return make(chan struct{})
}
