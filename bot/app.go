package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
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
	HandlerTimeout time.Duration // one update's handling, shutdown included; default 30 s
	Lease          time.Duration // a claimed update is reclaimed after this; default 2 min
	MaxAttempts    int           // a panicking update is retried this often, then set aside; default 3
	FallbackPoll   time.Duration // inbox check for rows stored by other replicas; default 500 ms
	Retention      time.Duration // handled updates are kept this long; default 72 h
	StateTTL       time.Duration // conversation state; default DefaultStateTTL
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
	c.StateTTL = orDuration(c.StateTTL, DefaultStateTTL)
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
	// DataErasers delete a resident's data in other areas on /hapusdata;
	// the subscription itself is deleted by the resident flow.
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

	// Operators, Schedules and Invites serve the operator commands
	// (/daftar, /siaran, /jadwal, /laporan, /undang, /batal); when one is
	// nil those commands answer like unknown ones. OperatorZone is the
	// default zone of schedules made in chat (KIMBOT_TZ; nil = Asia/Jakarta).
	Operators    *broadcast.Operators
	Schedules    *broadcast.Schedules
	Invites      *broadcast.Invites
	OperatorZone *time.Location
}

// App is the running bot: inbox, poller or webhook, workers and the chat
// flows.
type App struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	tg      *tgbot.Bot
	sender  *Sender
	router  *Router
	inbox   *inbox
	states  states
	metrics *metrics
	wake    chan struct{}

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
	a := &App{cfg: cfg, deps: deps, log: deps.Logger, router: newRouter(), wake: make(chan struct{}, 1),
		username: cfg.BotUsername, metrics: newMetrics(deps.Subscribers),
		states: states{rdb: deps.Redis, prefix: deps.RedisPrefix, ttl: cfg.StateTTL}}
	a.inbox = &inbox{db: deps.DB, clock: deps.Clock, lease: cfg.Lease, maxAttempts: cfg.MaxAttempts}
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

// Run takes updates (long polling, or the webhook's stored ones) and
// handles them until ctx ends; then it stops taking updates, finishes the
// ones in hand and returns.
func (a *App) Run(ctx context.Context) error {
	a.announce(ctx)
	var wg sync.WaitGroup
	if a.cfg.WebhookURL != "" {
		if err := a.setWebhook(ctx); err != nil {
			return err
		}
	} else {
		a.deleteWebhook(ctx)
		wg.Add(1)
		go func() { defer wg.Done(); a.runPoller(ctx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); a.runPruner(ctx) }()
	a.runWorkers(ctx)
	wg.Wait()
	return nil
}

// announce registers the command menu and learns the bot's username; a
// failure is logged, the bot works without either.
func (a *App) announce(ctx context.Context) {
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.sender.SetCommands(actx, a.router.menu); err != nil {
		a.log.Warn("registering the command menu", "err", err)
	}
	if a.botUsername() != "" {
		return
	}
	me, err := a.tg.GetMe(actx)
	if err != nil {
		a.log.Warn("asking Telegram for the bot's username", "err", classify(actx, err))
		return
	}
	a.mu.Lock()
	a.username = me.Username
	a.mu.Unlock()
}

func (a *App) botUsername() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.username
}

// poke tells the feeder that updates were stored. A wake-up nobody
// needed costs one empty claim.
func (a *App) poke() {
	select {
	case a.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// Username asks Telegram (getMe) for the bot's @username, for deep links.
func Username(ctx context.Context, token, apiURL string) (string, error) {
	tg, err := newClient(token, cmp(apiURL, DefaultAPIURL), 10*time.Second)
	if err != nil {
		return "", err
	}
	me, err := tg.GetMe(ctx)
	if err != nil {
		return "", classify(ctx, err)
	}
	return me.Username, nil
}
