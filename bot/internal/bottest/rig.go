// Package bottest runs the whole bot for end-to-end tests: bot.App against
// the Bot API emulator, a database and Redis of the test's own, and, when
// asked, the aspirations Service with its outbox and the dispatcher with
// the delivery engine. Every area's tests (bot, resident, aspiration,
// operator) drive their flows through it as a person would and assert on
// what the emulator recorded. It is imported by tests only.
package bottest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/console"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Wait is how long a test waits for the bot's answer.
const Wait = 10 * time.Second

// Options say what runs besides the bot. The zero value is the bot alone
// against an emulator without Telegram's limits.
type Options struct {
	Root     region.Code       // KIMBOT_REGION_ROOT
	Config   bot.Config        // Token, APIURL and a 2 s PollTimeout are filled in
	Emulator *emulator.Options // nil: Unlimited
	Erasers  []func(ctx context.Context, chatID int64) error
	// Before runs on the App before it starts (tests add routes there).
	Before func(*bot.App)
	// Aspirations runs the aspirations Service and its outbox; the
	// function may change its Config (nil leaves it as it is).
	Aspirations func(*aspirations.Config)
	// Broadcast runs the dispatcher and the delivery engine, whose sends
	// time out after SendTimeout (default 5 s).
	Broadcast   bool
	SendTimeout time.Duration
	// Rate, when above 0, paces every send as serve does: one
	// broadcast.Limiter at Rate messages a second for the bot's replies
	// (and each chat's own limit), the outbox and the delivery engine.
	Rate int
	// Redis, when set, is used instead of the test's own (a dead one for
	// outage tests), under RedisPrefix.
	Redis       *redis.Client
	RedisPrefix string
	// Console runs the web console (Rig.Console, served at Rig.ConsoleURL)
	// and /masuk with its links.
	Console bool
	// Archive runs the public archive and the authenticity check of
	// forwards (Rig.Archive), the photo index, and the engine's "Cek
	// keaslian" button; links point at the console (or ArchiveURL).
	Archive bool
}

// ArchiveURL is the archive's address in answers when the rig runs no
// console.
const ArchiveURL = "https://kimbot.test"

// Rig is a running bot and what it runs on.
type Rig struct {
	T      testing.TB
	Ctx    context.Context
	Emu    *emulator.Server
	DB     *sqlx.DB
	Redis  *redis.Client
	Prefix string
	Subs   *broadcast.Subscribers
	Staff  *staff.Directory
	Svc    *aspirations.Service // nil without Options.Aspirations
	// Props is /usul's proposals, which need the aspiration outbox to
	// reach staff: nil without Options.Aspirations.
	Props *proposals.Service
	App   *bot.App
	// Console and ConsoleURL: the web console, with Options.Console.
	Console    *console.Console
	ConsoleURL string
	// Archive is the public archive, with Options.Archive.
	Archive *broadcast.Archive
	// Stop cancels everything the rig runs and waits for it; Start may
	// run it again on the same database and Redis (a restart).
	Stop func()
}

// New starts a rig for t; everything stops when t ends.
func New(t testing.TB, o Options) *Rig {
	t.Helper()
	emuOpts := emulator.Options{Unlimited: true}
	if o.Emulator != nil {
		emuOpts = *o.Emulator
	}
	db := testenv.DB(t)
	r := &Rig{T: t, Ctx: context.Background(), Emu: emulator.NewTestServer(t, emuOpts), DB: db,
		Subs: broadcast.NewSubscribers(db, message.SystemClock{}), Staff: staff.New(db, nil)}
	if o.Redis != nil {
		r.Redis, r.Prefix = o.Redis, o.RedisPrefix
	} else {
		r.Redis, r.Prefix = testenv.Redis(t)
	}
	r.Start(o)
	return r
}

// Start runs a new App (and what o asks for) on the rig's emulator,
// database and Redis: a second replica, or the process after a restart.
func (r *Rig) Start(o Options) {
	r.T.Helper()
	clock := message.SystemClock{}
	cfg := o.Config
	cfg.Token, cfg.APIURL = "123:TEST", r.Emu.URL()
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 2 * time.Second
	}
	sendTimeout := o.SendTimeout
	if sendTimeout == 0 {
		sendTimeout = 5 * time.Second
	}
	sender, err := bot.NewSender(cfg.Token, r.Emu.URL(), sendTimeout)
	r.Must(err)
	runs := []func(context.Context) error{}
	var limiter *broadcast.Limiter
	var interactive bot.InteractiveLimiter
	if o.Rate > 0 {
		limiter = broadcast.NewLimiter(r.Redis, broadcast.LimiterConfig{Rate: o.Rate, KeyPrefix: r.Prefix}, nil)
		interactive = limiter
	}
	if o.Aspirations != nil {
		acfg := aspirations.Config{Sender: sender, OutboxInterval: 20 * time.Millisecond}
		if limiter != nil {
			acfg.Pacer = limiter
		}
		o.Aspirations(&acfg)
		r.Svc = aspirations.NewService(r.DB, r.Redis, r.Prefix, clock, nil, acfg)
		r.Props = proposals.New(r.DB, r.Staff, broadcast.NewSchedules(r.DB, clock), clock, nil, nil)
		runs = append(runs, r.Svc.RunOutbox, r.Props.Run, r.Svc.RunAreaService)
	}
	var links bot.SignInLinker
	archiveURL := ""
	if o.Archive {
		r.Archive, archiveURL = broadcast.NewArchive(r.DB, clock), ArchiveURL
		runs = append(runs, func(ctx context.Context) error {
			return r.Archive.RunPhotoIndex(ctx, sender, 50*time.Millisecond, slog.New(slog.DiscardHandler))
		})
	}
	if o.Console {
		r.startConsole(sender)
		links = console.ChatLinker{Console: r.Console}
		if o.Archive {
			archiveURL = r.ConsoleURL
		}
	}
	app, err := bot.New(cfg, bot.Deps{DB: r.DB, Redis: r.Redis, RedisPrefix: r.Prefix,
		Regions: region.NewStore(r.DB), Subscribers: r.Subs, RegionRoot: o.Root, DataErasers: o.Erasers,
		Clock: clock, Aspirations: r.Svc, Staff: r.Staff, Schedules: broadcast.NewSchedules(r.DB, clock),
		Interactive: interactive, SignInLinks: links, Proposals: r.Props, Archive: r.Archive, ArchiveURL: archiveURL})
	r.Must(err)
	if o.Before != nil {
		o.Before(app)
	}
	runs = append(runs, app.Run)
	if o.Broadcast {
		disp := broadcast.NewDispatcher(r.DB, clock, nil)
		disp.Interval = 50 * time.Millisecond
		engine := broadcast.NewEngine(r.DB, sender, limiter, clock, nil, broadcast.EngineConfig{PollInterval: 50 * time.Millisecond,
			CheckURL: archiveURL})
		runs = append(runs, disp.Run, engine.Run)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, run := range runs {
		wg.Add(1)
		go func() { defer wg.Done(); _ = run(ctx) }()
	}
	var once sync.Once
	r.App = app
	r.Stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	r.T.Cleanup(r.Stop)
}

// startConsole serves the web console over the rig's database, once (a
// restarted App keeps it), under its own public URL. Like serve, it
// uploads through the bot's sender, whose getMe names the bot for
// /petugas's t.me link and QR code.
func (r *Rig) startConsole(sender *bot.Sender) {
	if r.Console != nil {
		return
	}
	var h atomic.Pointer[http.Handler]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { (*h.Load()).ServeHTTP(w, req) }))
	r.T.Cleanup(srv.Close)
	store := region.NewStore(r.DB)
	c, stop := console.New(console.Config{PublicURL: srv.URL}, console.Deps{DB: r.DB, Staff: r.Staff,
		Regions: region.NewCache(store, time.Minute), RegionStore: store, Subscribers: r.Subs,
		Schedules: broadcast.NewSchedules(r.DB, message.SystemClock{}), Aspirations: r.Svc, Uploader: sender,
		Archive: broadcast.NewArchive(r.DB, message.SystemClock{}), Files: sender})
	r.T.Cleanup(stop)
	handler := c.Handler()
	h.Store(&handler)
	r.Console, r.ConsoleURL = c, srv.URL
}

// Must fails the test on err.
func (r *Rig) Must(err error) {
	r.T.Helper()
	if err != nil {
		r.T.Fatal(err)
	}
}

// Resident makes u a subscriber of village whose chat the emulator knows.
func (r *Rig) Resident(u emulator.User, village region.Code) {
	r.T.Helper()
	r.Emu.RegisterUser(u)
	_, err := r.Subs.Subscribe(r.Ctx, u.ID, village)
	r.Must(err)
}

// Moderator makes u a moderator of scope posting to group (0: their
// private chat), with the bot in that group.
func (r *Rig) Moderator(u emulator.User, scope region.Code, group int64) {
	r.T.Helper()
	r.Emu.RegisterUser(u)
	var g *int64
	if group != 0 {
		r.Emu.AddBotToGroup(emulator.Chat{ID: group, Type: "supergroup", Title: "KIM"}, u)
		g = &group
	}
	_, err := r.Staff.Add(r.Ctx, staff.Admin(), u.ID, staff.RoleModerator, scope, g)
	r.Must(err)
}

// Operator makes u an operator of scope.
func (r *Rig) Operator(u emulator.User, scope region.Code) staff.Member {
	r.T.Helper()
	r.Emu.RegisterUser(u)
	m, err := r.Staff.Add(r.Ctx, staff.Admin(), u.ID, staff.RoleOperator, scope, nil)
	r.Must(err)
	return m
}

// WaitText waits for a message (or an edit) in chat containing all parts.
func (r *Rig) WaitText(chat int64, parts ...string) emulator.Sent {
	r.T.Helper()
	return r.Emu.WaitFor(r.T, chat, Wait, func(m emulator.Sent) bool {
		for _, p := range parts {
			if !strings.Contains(m.Text, p) {
				return false
			}
		}
		return true
	})
}

// Texts are the messages in chat containing part, in order.
func (r *Rig) Texts(chat int64, part string) []emulator.Sent {
	var out []emulator.Sent
	for _, m := range r.Emu.Messages(chat) {
		if strings.Contains(m.Text, part) {
			out = append(out, m)
		}
	}
	return out
}

// WaitCount waits until n messages in chat contain part and returns the
// last of them.
func (r *Rig) WaitCount(chat int64, n int, part string) emulator.Sent {
	r.T.Helper()
	deadline := time.Now().Add(Wait)
	for {
		if got := r.Texts(chat, part); len(got) >= n {
			return got[len(got)-1]
		} else if time.Now().After(deadline) {
			r.T.Fatalf("chat %d: %d messages with %q, want %d", chat, len(got), part, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Status is the chat's subscription status and village ("" when none).
func (r *Rig) Status(chat int64) (broadcast.SubscriberStatus, region.Code) {
	sub, err := r.Subs.Get(r.Ctx, chat)
	if err != nil {
		return "", ""
	}
	return sub.Status, sub.VillageCode
}

// WaitStatus polls until the chat's subscription has want (and village,
// unless it is "").
func (r *Rig) WaitStatus(chat int64, want broadcast.SubscriberStatus, village region.Code) {
	r.T.Helper()
	deadline := time.Now().Add(Wait)
	for time.Now().Before(deadline) {
		if st, v := r.Status(chat); st == want && (village == "" || v == village) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	st, v := r.Status(chat)
	r.T.Fatalf("chat %d subscription = %s %s, want %s %s", chat, st, v, want, village)
}

// Button returns the callback data of the button whose text contains
// label on message m.
func Button(t testing.TB, m emulator.Sent, label string) string {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q on %q (buttons %+v)", label, m.Text, m.Buttons)
	return ""
}

// HasData fails the test unless message m carries a button with data.
func HasData(t testing.TB, m emulator.Sent, data string) {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.CallbackData == data {
				return
			}
		}
	}
	t.Fatalf("no button %q on %q (%+v)", data, m.Text, m.Buttons)
}
