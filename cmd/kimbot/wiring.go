package main

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/console"
	"github.com/kimbot/kimbot/internal/snapshot"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// service is everything `kimbot serve` runs: long-lived parts and, in
// webhook mode, the handler Telegram posts to.
type service struct {
	runners []func(context.Context) error
	webhook http.Handler
	// console serves the web console on HTTP_ADDR's other paths.
	console http.Handler
	// gauges refreshes every gauge read from PostgreSQL; one of the
	// runners runs it at KIMBOT_METRICS_REFRESH.
	gauges *snapshot.Refresher
}

// newService wires the stores, the delivery engine, the aspirations
// service and the bot.
func newService(app *cliApp, reg *prometheus.Registry) (*service, error) {
	cfg, clock, log := app.cfg, app.clock, app.logger
	sender, err := bot.NewSender(cfg.TelegramToken, cfg.TelegramAPIURL, 15*time.Second)
	if err != nil {
		return nil, err
	}
	limiter := broadcast.NewLimiter(app.rdb, broadcast.LimiterConfig{Rate: cfg.Rate, KeyPrefix: cfg.RedisPrefix}, log)
	// One Sender for the process, so kimbot_telegram_sends_total (registered
	// by bot.New) counts every call by kind.
	engineCfg := broadcast.EngineConfig{}
	if cfg.ArchiveButton {
		engineCfg.CheckURL = cfg.PublicURL
	}
	engine := broadcast.NewEngine(app.db, sender.As(bot.KindBroadcast), limiter, clock, log, engineCfg)
	dispatcher := broadcast.NewDispatcher(app.db, clock, log)
	schedules := broadcast.NewSchedules(app.db, clock).ArchiveByDefault(cfg.ArchiveDefault)
	archive := broadcast.NewArchive(app.db, clock)
	asp := aspirations.NewService(app.db, app.rdb, cfg.RedisPrefix, clock, log,
		aspirations.Config{TZ: cfg.TZ, Sender: sender.As(bot.KindOutbox), Pacer: limiter})
	subscribers := broadcast.NewSubscribers(app.db, clock)
	directory := staff.New(app.db, clock)
	props := proposals.New(app.db, directory, schedules, clock, cfg.TZ, log)
	web, stopWeb := newConsole(app, console.Deps{Staff: directory, Schedules: schedules, Subscribers: subscribers,
		Aspirations: asp, Proposals: props, Archive: archive, Files: sender, Redis: app.rdb, RedisPrefix: cfg.RedisPrefix,
		Uploader: sender}) // /siaran/baru's photos and PDFs; its getMe names the bot for /petugas's t.me link
	b, err := bot.New(bot.Config{
		Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL,
		WebhookURL: cfg.WebhookURL, WebhookSecret: cfg.WebhookSecret,
	}, bot.Deps{
		DB: app.db, Redis: app.rdb, RedisPrefix: cfg.RedisPrefix, Logger: log, Clock: clock,
		Regions: region.NewStore(app.db), Subscribers: subscribers, RegionRoot: cfg.RegionRoot,
		Interactive: limiter, Metrics: reg, Aspirations: asp,
		Staff: directory, Schedules: schedules, OperatorZone: cfg.TZ, Sender: sender,
		SignInLinks: console.ChatLinker{Console: web}, Proposals: props,
		Archive: archive, ArchiveURL: cfg.PublicURL,
	})
	if err != nil {
		stopWeb()
		return nil, err
	}
	scheduleGauges := schedules.Gauges()
	gauges := snapshot.NewRefresher(cfg.MetricsRefresh, log, b.RefreshGauges, asp.RefreshGauges, scheduleGauges.Refresh)
	reg.MustRegister(engine.Collectors()...)
	reg.MustRegister(asp.Collectors()...)
	reg.MustRegister(scheduleGauges, gauges.Collector())
	s := &service{gauges: gauges, console: web.Handler(),
		runners: []func(context.Context) error{b.Run, engine.Run, dispatcher.Run, asp.RunOutbox, asp.RunSLA, asp.RunAreaService, gauges.Run, props.Run,
			func(ctx context.Context) error { return archive.RunPhotoIndex(ctx, sender, 10*time.Second, log) },
			func(ctx context.Context) error { <-ctx.Done(); stopWeb(); return nil }}}
	if cfg.WebhookURL != "" {
		s.webhook = b.WebhookHandler()
	}
	return s, nil
}

// newConsole builds the web console over the services in d (those the
// caller has) and the ones every use needs; stop ends its session store's
// cleanup.
func newConsole(app *cliApp, d console.Deps) (c *console.Console, stop func()) {
	d.DB, d.Clock, d.Log, d.Zone = app.db, app.clock, app.logger, app.cfg.TZ
	if d.Staff == nil {
		d.Staff = staff.New(app.db, app.clock)
	}
	d.RegionStore = region.NewStore(app.db)
	d.Regions = region.NewCache(d.RegionStore, 10*time.Minute)
	return console.New(console.Config{PublicURL: app.cfg.PublicURL, MapTiles: app.cfg.MapTiles,
		MapAttribution: app.cfg.MapAttribution}, d)
}
