package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/bot/internal/inbox"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// DefaultAPIURL is Telegram's Bot API.
const DefaultAPIURL = "https://api.telegram.org"

// Config is how the bot talks to Telegram and runs its inbox. Zero values
// take the defaults noted.
type Config struct {
	Token         string // required
	APIURL        string // default DefaultAPIURL (an emulator in tests)
	WebhookURL    string // webhook mode when set; long polling otherwise
	WebhookSecret string // required with WebhookURL
	BotUsername   string // the bot's @username; asked with getMe on start when empty

	Workers        int           // updates handled at once (never two of one chat); default 8
	PollTimeout    time.Duration // getUpdates long-poll; default 25 s, at least 2 s
	SendTimeout    time.Duration // one Telegram call; default 15 s
	ReplyTimeout   time.Duration // one Telegram call while handling an update (reply, edit, button answer); default 3 s
	HandlerTimeout time.Duration // one update's handling, shutdown included; default 30 s
	Lease          time.Duration // a claimed update is reclaimed after this; default 2 min
	MaxAttempts    int           // a panicking update is retried this often, then set aside; default 3
	FallbackPoll   time.Duration // inbox check for rows stored by other replicas; default 500 ms
	Retention      time.Duration // handled updates are kept this long; default 72 h
	StateTTL       time.Duration // conversation state; default chat.DefaultStateTTL
	// FloodLimit is how many updates one private chat may send within
	// FloodWindow before the rest are set aside with one notice; default
	// 20 in 20 s, below 0 off (see flood.go).
	FloodLimit  int
	FloodWindow time.Duration
}

func (c *Config) withDefaults() error {
	if c.Token == "" {
		return errors.New("bot: TELEGRAM_TOKEN is empty")
	}
	if c.WebhookURL != "" && c.WebhookSecret == "" {
		return errors.New("bot: WEBHOOK_SECRET is required with WEBHOOK_URL")
	}
	c.APIURL = strings.TrimRight(cmp(c.APIURL, DefaultAPIURL), "/")
	c.Workers = max(c.Workers, 0)
	if c.Workers == 0 {
		c.Workers = 8
	}
	c.PollTimeout = max(orDuration(c.PollTimeout, 25*time.Second), 2*time.Second)
	c.SendTimeout = orDuration(c.SendTimeout, 15*time.Second)
	c.ReplyTimeout = orDuration(c.ReplyTimeout, 3*time.Second)
	c.HandlerTimeout = orDuration(c.HandlerTimeout, 30*time.Second)
	c.Lease = orDuration(c.Lease, 2*time.Minute)
	if c.Lease <= c.HandlerTimeout {
		c.Lease = 2 * c.HandlerTimeout // a slow handler must not lose its update to a second worker
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 3
	}
	c.FallbackPoll = orDuration(c.FallbackPoll, 500*time.Millisecond)
	c.Retention = orDuration(c.Retention, 72*time.Hour)
	c.StateTTL = orDuration(c.StateTTL, chat.DefaultStateTTL)
	if c.FloodLimit == 0 {
		c.FloodLimit = 20
	}
	c.FloodWindow = orDuration(c.FloodWindow, 20*time.Second)
	return nil
}

func cmp(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Deps are the stores and services the chat flows use. Areas add fields
// for their own flows.
type Deps struct {
	DB          *sqlx.DB      // required: the inbox and every store
	Redis       *redis.Client // conversation state; nil or down: flows ask to retry
	RedisPrefix string
	Logger      *slog.Logger
	Clock       message.Clock
	Regions     *region.Store
	Subscribers *broadcast.Subscribers
	RegionRoot  region.Code // residents only pick villages under it ("" = all of Indonesia)

	// Interactive, when set, paces replies against the broadcast budget.
	Interactive InteractiveLimiter
	// DataErasers delete a resident's data in other areas on /hapusdata,
	// before the bot's own erasers (bot/routes.go).
	DataErasers []func(ctx context.Context, chatID int64) error
	// Metrics, when set, gets the bot's collectors registered, the
	// Sender's among them.
	Metrics prometheus.Registerer
	// Sender, when set, is the process's one Sender (NewSender), whose
	// views (As) also serve the broadcast engine and the aspirations
	// outbox; the App's replies count under KindReply and go out with the
	// Sender's own timeout (not Config.SendTimeout). When nil the App
	// builds its own.
	Sender *Sender
	// Aspirations, when set, serves /aspirasi, /status and the moderator
	// flows (/antrian, /templat, /tautkan, ticket buttons).
	Aspirations *aspirations.Service

	// Staff tells who a person is (operator, moderator or resident) and
	// keeps invitations and group links; nil = a Directory over DB.
	Staff *staff.Directory
	// Schedules serves the operator commands (/siaran, /jadwal, /laporan,
	// /undang, /batal); when nil those commands answer like unknown ones.
	// OperatorZone is the default zone of schedules made in chat
	// (KIMBOT_TZ; nil = Asia/Jakarta).
	Schedules    *broadcast.Schedules
	OperatorZone *time.Location
	// SignInLinks, when set, serves /masuk: staff get a one-time link to
	// the web console, residents a short "for staff" answer.
	SignInLinks SignInLinker
	// Proposals serves /usul: KIM moderators propose, operators decide
	// with buttons; nil: /usul answers like an unknown command.
	Proposals *proposals.Service
	// Archive, when set, answers every forwarded (or long pasted) message
	// with whether it is an official announcement (issue 13); ArchiveURL
	// is the public archive's address for the answer's link
	// (KIMBOT_PUBLIC_URL; "" = no link).
	Archive    *broadcast.Archive
	ArchiveURL string
}

// SignInLinker makes one-time sign-in links to the web console (package
// console; cmd/kimbot wires it). NewLink returns "" and a nil error when
// the person asked for too many links lately.
type SignInLinker interface {
	NewLink(ctx context.Context, telegramID int64, name string) (string, error)
}

// App is the running bot: inbox, poller or webhook, workers and the chat
// flows.
type App struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	tg      *tgbot.Bot
	sender  *Sender
	router  *chat.Router
	inbox   *inbox.Inbox
	store   *chat.Store
	metrics *metrics
	floods  floodCounter

	mu       sync.Mutex
	username string
}

// New builds the App; nothing runs until Run.
func New(cfg Config, deps Deps) (*App, error) {
	if err := cfg.withDefaults(); err != nil {
		return nil, err
	}
	if deps.DB == nil || deps.Regions == nil || deps.Subscribers == nil {
		return nil, errors.New("bot: Deps needs DB, Regions and Subscribers")
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Clock == nil {
		deps.Clock = message.SystemClock{}
	}
	if deps.Staff == nil {
		deps.Staff = staff.New(deps.DB, deps.Clock)
	}
	a := &App{cfg: cfg, deps: deps, log: deps.Logger, router: chat.NewRouter(),
		username: cfg.BotUsername, metrics: newMetrics(deps.Subscribers),
		store: chat.NewStore(deps.Redis, deps.RedisPrefix, cfg.StateTTL).LogTo(deps.Logger)}
	a.inbox = inbox.New(inbox.Config{Token: cfg.Token, APIURL: cfg.APIURL, WebhookSecret: cfg.WebhookSecret,
		Workers: cfg.Workers, PollTimeout: cfg.PollTimeout, HandlerTimeout: cfg.HandlerTimeout, Lease: cfg.Lease,
		MaxAttempts: cfg.MaxAttempts, FallbackPoll: cfg.FallbackPoll, Retention: cfg.Retention},
		deps.DB, deps.Clock, deps.Logger, a.process, a.metrics.handled)
	tg, err := newClient(cfg.Token, cfg.APIURL, cfg.SendTimeout,
		tgbot.WithDefaultHandler(a.dispatch),
		tgbot.WithMiddlewares(a.recoverMiddleware),
		tgbot.WithNotAsyncHandlers())
	if err != nil {
		return nil, err
	}
	a.tg, a.sender = tg, newSender(tg)
	if deps.Sender != nil {
		a.sender = deps.Sender.As(KindReply)
	}
	if err := registerRoutes(a, a.router); err != nil {
		return nil, err
	}
	if deps.Metrics != nil {
		for _, c := range a.Collectors() {
			if err := deps.Metrics.Register(c); err != nil {
				return nil, fmt.Errorf("registering bot metrics: %w", err)
			}
		}
	}
	return a, nil
}

// Sender is the App's classified sender (counting under KindReply); its
// views (As) can serve the broadcast engine and the aspirations outbox.
func (a *App) Sender() *Sender { return a.sender }

// Collectors returns the bot's Prometheus collectors (also registered on
// Deps.Metrics when given).
func (a *App) Collectors() []prometheus.Collector {
	return append(a.metrics.collectors(), a.sender.Collectors()...)
}

// RefreshGauges reads the counts behind the bot's gauges
// (kimbot_subscribers, kimbot_bot_inbox_pending); a snapshot.Refresher
// calls it in the background, so a scrape costs no query.
func (a *App) RefreshGauges(ctx context.Context) error { return a.metrics.refreshGauges(ctx, a.inbox) }

// Run takes updates (long polling, or the webhook's stored ones) and
// handles them until ctx ends; then it stops taking updates, finishes the
// ones in hand and returns.
func (a *App) Run(ctx context.Context) error {
	a.announce(ctx)
	poll := a.cfg.WebhookURL == ""
	if poll {
		a.deleteWebhook(ctx)
	} else if err := a.setWebhook(ctx); err != nil {
		return err
	}
	a.inbox.Run(ctx, poll)
	return nil
}

// WebhookHandler is the http.Handler for WEBHOOK_URL's path: it stores
// each update in the durable inbox before answering 200 (see package
// bot/internal/inbox).
func (a *App) WebhookHandler() http.Handler { return a.inbox.WebhookHandler() }

// setWebhook points Telegram at WebhookURL with the secret.
func (a *App) setWebhook(ctx context.Context) error {
	if err := a.sender.SetWebhook(ctx, a.cfg.WebhookURL, a.cfg.WebhookSecret, inbox.AllowedUpdates); err != nil {
		return fmt.Errorf("setting the webhook: %w", err)
	}
	a.log.Info("webhook set; updates arrive over HTTP")
	return nil
}

// deleteWebhook leaves webhook mode (getUpdates is refused while a webhook
// is set). Pending updates stay with Telegram.
func (a *App) deleteWebhook(ctx context.Context) {
	if err := a.sender.DeleteWebhook(ctx); err != nil {
		a.log.Warn("removing a previous webhook", "err", err)
	}
}

// announce registers the command menu and learns the bot's username; a
// failure is logged, the bot works without either.
func (a *App) announce(ctx context.Context) {
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.sender.SetCommands(actx, a.router.Menu()); err != nil {
		a.log.Warn("registering the command menu", "err", err)
	}
	if a.botUsername() != "" {
		return
	}
	name, err := a.sender.Username(actx)
	if err != nil {
		a.log.Warn("asking Telegram for the bot's username", "err", err)
		return
	}
	a.mu.Lock()
	a.username = name
	a.mu.Unlock()
}

func (a *App) botUsername() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.username
}

// Username asks Telegram (getMe) for the bot's @username, for deep links.
func Username(ctx context.Context, token, apiURL string) (string, error) {
	s, err := NewSender(token, cmp(apiURL, DefaultAPIURL), 10*time.Second)
	if err != nil {
		return "", err
	}
	return s.Username(ctx)
}
