// Package inbox is the durable inbox of Telegram updates: every update is
// stored in PostgreSQL (table bot_updates, unique on update_id) before
// Telegram is told it arrived, and handled from there.
//
//   - Long polling: one replica at a time polls (it holds a PostgreSQL
//     advisory lock on a connection of its own; the others wait and take
//     over within a second or so when its connection dies). The poller
//     calls getUpdates itself and reads the result as raw JSON per update,
//     so one update the library cannot decode is set aside instead of
//     stalling polling. It stores the batch (ON CONFLICT DO NOTHING) and
//     only then asks for the next offset, which confirms the batch.
//   - Webhook: WebhookHandler checks the secret token in constant time
//     (401 without it), refuses bodies that are not updates (400) or too
//     large (413), stores the update and only then answers 200; a failed
//     store answers 503 so Telegram delivers it again.
//
// One feeder per replica claims stored updates for its idle workers with
// FOR UPDATE SKIP LOCKED and a lease: the oldest open update of each chat,
// never two of one chat at a time, so each chat's updates are handled in
// order while different chats run in parallel (Config.Workers). A worker
// hands the update to the Handler synchronously and reports how it ended;
// the feeder records the outcomes together with its next claim, one round
// trip for both. The poller and the webhook wake the feeder at once; a
// short fallback poll picks up rows stored by other replicas. A handler's
// panic is retried with backoff, then set aside as failed after
// Config.MaxAttempts; an update that cannot be decoded is set aside at
// once. On shutdown polling stops, the updates in hand finish (handlers
// run on a context of their own with a timeout) and their outcomes are
// recorded. Handled rows are pruned after Config.Retention.
//
// Guarantee: no update is lost, since it is acknowledged only once stored.
// An update is handled a second time only if the process died (or lost
// its database) while handling it, after its lease ran out; so at most the
// number of updates in flight at the crash (Config.Workers).
//
// The queue vocabulary is the one of every kimbot queue: store, claim
// (with a lease), settle (record outcomes), set aside (failed for good).
// It must not know about chat flows: it only sees decoded updates.
package inbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/holder"
	"github.com/kimbot/kimbot/message"
)

// Config is how the inbox polls and works; every field is required (the
// bot package fills in the defaults).
type Config struct {
	Token         string // the bot's token: getUpdates and the poller lock key
	APIURL        string // the Bot API, without a trailing slash
	WebhookSecret string // the webhook's secret token

	Workers        int           // updates handled at once (never two of one chat)
	PollTimeout    time.Duration // getUpdates long-poll
	HandlerTimeout time.Duration // one update's handling, shutdown included
	Lease          time.Duration // a claimed update is reclaimed after this
	MaxAttempts    int           // a panicking update is retried this often, then set aside
	FallbackPoll   time.Duration // inbox check for rows stored by other replicas
	Retention      time.Duration // handled updates are kept this long
}

// Result is how handling one update ended: its kind for metrics
// (command, message, callback, my_chat_member, other), the handler's
// error, and the value of a panic ("" for none).
type Result struct {
	Kind  string
	Err   error
	Panic string
}

// Handler handles one update synchronously.
type Handler func(ctx context.Context, upd *models.Update) Result

// Observer is told how each update ended (result ok, error, panic or
// failed) and how long it took (0 when it was never handled).
type Observer func(kind, result string, elapsed time.Duration)

// Inbox stores, claims and hands out updates.
type Inbox struct {
	cfg     Config
	db      *sqlx.DB
	clock   message.Clock
	log     *slog.Logger
	q       *queue
	handle  Handler
	observe Observer
	wake    chan struct{}
}

// New returns an Inbox over db handing updates to handle.
func New(cfg Config, db *sqlx.DB, clock message.Clock, log *slog.Logger, handle Handler, observe Observer) *Inbox {
	return &Inbox{cfg: cfg, db: db, clock: clock, log: log, handle: handle, observe: observe,
		q:    &queue{db: db, clock: clock, log: log, lease: cfg.Lease, maxAttempts: cfg.MaxAttempts},
		wake: make(chan struct{}, 1)}
}

// Run takes updates (long polling when poll, else the webhook's stored
// ones) and handles them until ctx ends; then it stops taking updates,
// finishes the ones in hand and returns.
func (in *Inbox) Run(ctx context.Context, poll bool) {
	h := holder.Start(in.db, in.log)
	defer h.Stop() // after the workers: what they finish is still ours
	in.q.holder.Store(h)
	go holder.Release(ctx, in.db, in.log, "updates", sqlReleaseUpdates)
	var wg sync.WaitGroup
	if poll {
		wg.Add(1)
		go func() { defer wg.Done(); in.runPoller(ctx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); in.runPruner(ctx) }()
	in.runWorkers(ctx)
	wg.Wait()
}

// poke tells the feeder that updates were stored. A wake-up nobody
// needed costs one empty claim.
func (in *Inbox) poke() {
	select {
	case in.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// Erase deletes the stored updates of chatID that have been or are being
// handled, for a resident's /hapusdata; it must come last among the
// erasers, since a failed erasure is retried by handling its update again.
func (in *Inbox) Erase(ctx context.Context, chatID int64) error { return in.q.erase(ctx, chatID) }
