package broadcast

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/internal/holder"
	"github.com/kimbot/kimbot/message"
)

// Engine delivers the runs' deliveries to Telegram.
//
// Workers claim due deliveries in small batches (about a second of sending)
// with FOR UPDATE SKIP LOCKED and a lease: urgent runs first, then the run
// claimed longest ago, so concurrent runs share the rate and a village
// notice starts within seconds while a province-wide run is sending. Each
// delivery takes a token from the shared Limiter, goes out through the
// Sender, and its outcome is recorded (in batches, one transaction per
// batch):
//
//   - sent: status sent with Telegram's message id.
//   - 429: back to pending after retry_after, no attempt counted, and every
//     worker of every replica pauses as long (Limiter.PauseAll).
//   - 403 blocked: delivery blocked and the subscriber blocked; pending
//     deliveries of that chat in other runs are skipped, and materialisation
//     only ever takes active subscribers, so it is never sent to again.
//   - 400 chat not found: delivery failed and the subscriber stopped.
//   - 5xx and connection errors: retried with message.Backoff; failed after
//     MaxAttempts attempts.
//   - read timeout after the request went out (Uncertain): Telegram may
//     have delivered it, so the delivery is marked uncertain, final, and
//     NOT resent. A duplicate government notice is worse than a rare gap,
//     and the report shows uncertain deliveries to the operator.
//   - any other 4xx: failed.
//
// A run becomes done when none of its deliveries is pending or sending.
//
// Guarantee: nothing is lost. Every delivery is a row in PostgreSQL from
// the moment its run exists until it reaches a final status; a worker that
// dies leaves its rows 'sending' with a lease, and any replica reclaims them
// when the lease runs out. A message can reach a resident twice only if it
// was in flight when the process died: Telegram accepted it but its outcome
// was not yet committed. That is at most InFlightLimit() deliveries per dead
// process (the sends under way plus the outcomes waiting for their batch to
// be written, a few tens of milliseconds' worth). PostgreSQL going away
// is not such a case: the outcomes wait for it as long as their leases
// last, and the process keeps its claims through its holder, which takes
// its number back when PostgreSQL does (internal/holder).
type Engine struct {
	db      *sqlx.DB
	sender  message.Sender
	limiter *Limiter
	clock   message.Clock
	logger  *slog.Logger
	cfg     EngineConfig
	metrics *engineMetrics

	msgMu sync.Mutex
	msgs  map[int64]message.Message // run id → content, cached while the run sends

	// holder marks the deliveries this process claims (Run sets it); nil:
	// claims rely on their lease alone.
	holder atomic.Pointer[holder.Holder]
}

// EngineConfig tunes an Engine. Zero values take the defaults shown.
type EngineConfig struct {
	// Workers is how many sends may be in flight at once; default
	// clamp(rate/5, 4, 200), 32 with the limiter off.
	Workers int
	// BatchSize is how many deliveries one claim takes; default about one
	// second of the rate (min 10, max 500), 500 with the limiter off. Small
	// batches keep runs taking turns often.
	BatchSize int
	// Lease is how long a claim holds its rows before another worker may
	// take them back; default 2 minutes.
	Lease time.Duration
	// MaxAttempts bounds sends tried on 5xx and network errors; default 5.
	MaxAttempts int
	// SendTimeout bounds one send, also when shutting down; default 30 s.
	SendTimeout time.Duration
	// PollInterval is how long an idle engine waits before looking again;
	// default 500 ms.
	PollInterval time.Duration
	// FlushSize and FlushInterval bound how many outcomes, or how long,
	// wait before they are written; defaults 100 (250 with the limiter
	// off) and 50 ms.
	FlushSize     int
	FlushInterval time.Duration
	// Paid sends with Telegram's paid broadcast (rates above 30/s).
	Paid bool
	// CheckURL, when set, is the public address of the archive
	// (KIMBOT_PUBLIC_URL, with KIMBOT_ARCHIVE_BUTTON=1): every archived
	// announcement then carries a small "Cek keaslian" link button to
	// its page, CheckURL + "/arsip/" + key, in a row of its own.
	CheckURL string
}

func (c EngineConfig) withDefaults(rate int) EngineConfig {
	if c.Workers <= 0 {
		c.Workers = min(max(rate/5, 4), 200)
		if rate <= 0 {
			c.Workers = 32
		}
	}
	if c.BatchSize <= 0 {
		c.BatchSize = min(max(rate, 10), 500)
		if rate <= 0 {
			c.BatchSize = 500
		}
	}
	c.Lease = orDefault(c.Lease, 2*time.Minute)
	c.SendTimeout = orDefault(c.SendTimeout, 30*time.Second)
	c.PollInterval = orDefault(c.PollInterval, 500*time.Millisecond)
	c.FlushInterval = orDefault(c.FlushInterval, 50*time.Millisecond)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 5
	}
	if c.FlushSize <= 0 {
		c.FlushSize = 100
		if rate <= 0 {
			c.FlushSize = 250
		}
	}
	return c
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// NewEngine returns an engine that sends through sender at the pace of
// limiter (nil: no limit).
func NewEngine(db *sqlx.DB, sender message.Sender, limiter *Limiter, clock message.Clock, logger *slog.Logger, cfg EngineConfig) *Engine {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if limiter == nil {
		limiter = NewLimiter(nil, LimiterConfig{}, logger)
	}
	return &Engine{
		db: db, sender: sender, limiter: limiter, clock: clock, logger: logger,
		cfg:     cfg.withDefaults(limiter.Rate()),
		metrics: newEngineMetrics(),
		msgs:    make(map[int64]message.Message),
	}
}

// Config returns the configuration in use, defaults filled in.
func (e *Engine) Config() EngineConfig { return e.cfg }

// InFlightLimit is the most deliveries one process can have sent but not
// yet recorded: the duplicates a crash of this process can cause.
func (e *Engine) InFlightLimit() int { return e.cfg.Workers + 2*e.cfg.FlushSize }

// now is the clock's time at the database's precision, so leases read back
// compare equal.
func (e *Engine) now() time.Time { return e.clock.Now().Truncate(time.Microsecond) }

// ProcessOnce claims one batch, sends it one delivery at a time, records
// the outcomes and finishes runs that are done. It returns how many
// deliveries it handled (0 when nothing was due). Tests drive the engine
// with it step by step; Run is the concurrent form.
func (e *Engine) ProcessOnce(ctx context.Context) (int, error) {
	now := e.now()
	batch, err := claimDeliveries(ctx, e.db, now, now.Add(e.cfg.Lease), e.cfg.BatchSize, e.holder.Load().Current())
	if err != nil {
		return 0, err
	}
	if len(batch) == 0 {
		_, err := e.finish(ctx, nil)
		return 0, err
	}
	outs := make([]outcome, 0, len(batch))
	for _, c := range batch {
		outs = append(outs, e.deliver(ctx, c))
	}
	if err := e.record(ctx, outs); err != nil {
		return 0, err
	}
	return len(batch), nil
}

// record writes outcomes and finishes the runs they complete.
func (e *Engine) record(ctx context.Context, outs []outcome) error {
	if len(outs) == 0 {
		return nil
	}
	n, err := recordOutcomes(ctx, e.db, outs, e.now())
	if err != nil {
		return err
	}
	if n < len(outs) {
		// Their claims were taken back (a lapsed lease, a holder seen
		// dead) or their rows changed (a resident erased their data):
		// what was taken back and had been sent goes out a second time.
		e.logger.Warn("delivery engine: outcomes found their claims taken back", "deliveries", len(outs)-n)
	}
	seen := make(map[int64]bool)
	var runs []int64
	for _, o := range outs {
		if !seen[o.RunID] && o.Status != DeliveryPending {
			seen[o.RunID] = true
			runs = append(runs, o.RunID)
		}
	}
	if len(runs) == 0 {
		return nil
	}
	_, err = e.finish(ctx, runs)
	return err
}

// finish marks done the runs (all sending runs when nil) with nothing left.
func (e *Engine) finish(ctx context.Context, runs []int64) ([]int64, error) {
	done, err := finishRuns(ctx, e.db, e.now(), runs)
	if err != nil {
		return nil, err
	}
	for _, id := range done {
		e.forgetMessage(id)
		e.logger.Info("run finished", "run_id", id)
	}
	return done, nil
}

// message returns the run's content, read once per run.
func (e *Engine) message(ctx context.Context, runID int64) (message.Message, error) {
	e.msgMu.Lock()
	m, ok := e.msgs[runID]
	e.msgMu.Unlock()
	if ok {
		return m, nil
	}
	m, key, err := runMessage(ctx, e.db, runID)
	if err != nil {
		return message.Message{}, fmt.Errorf("loading content of run %d: %w", runID, err)
	}
	m.Paid = e.cfg.Paid
	if e.cfg.CheckURL != "" && key != "" {
		m.Buttons = append(m.Buttons, []message.Button{{Text: catalog.T("cek.button"), URL: e.cfg.CheckURL + "/arsip/" + key}})
	}
	e.msgMu.Lock()
	if len(e.msgs) > 1000 {
		clear(e.msgs)
	}
	e.msgs[runID] = m
	e.msgMu.Unlock()
	return m, nil
}

func (e *Engine) forgetMessage(runID int64) {
	e.msgMu.Lock()
	delete(e.msgs, runID)
	e.msgMu.Unlock()
}
