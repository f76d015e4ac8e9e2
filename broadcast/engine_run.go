package broadcast

import (
	"context"
	"sync"
	"time"

	"github.com/kimbot/kimbot/internal/holder"
)

// metricsRefresh is how often Run recounts the queue for the gauges.
const metricsRefresh = 5 * time.Second

// Run delivers until ctx ends, then shuts down gracefully: it stops
// claiming, hands back the deliveries it claimed but did not start, lets the
// sends on the wire finish (each within SendTimeout) and records every
// outcome before returning (if the database is away, it waits for it as
// long as the leases last).
func (e *Engine) Run(ctx context.Context) error {
	h := holder.Start(e.db, e.logger)
	defer h.Stop() // after the workers: what they finish is still ours
	e.holder.Store(h)
	go holder.Release(ctx, e.db, e.logger, "deliveries", sqlReleaseDeliveries)
	jobs := make(chan claimedDelivery, e.cfg.BatchSize)
	results := make(chan outcome, e.cfg.FlushSize)
	room := make(chan struct{}, 1)

	var recorder sync.WaitGroup
	recorder.Go(func() { e.recordLoop(results) })
	var workers sync.WaitGroup
	for range e.cfg.Workers {
		workers.Go(func() { e.work(ctx, jobs, results, room) })
	}
	go e.refreshMetrics(ctx)
	go e.summarize(ctx)
	e.logger.Info("delivery engine started", "workers", e.cfg.Workers, "batch_size", e.cfg.BatchSize, "rate", e.limiter.Rate())

	e.claimLoop(ctx, jobs, room)

	close(jobs)
	workers.Wait()
	close(results)
	recorder.Wait()
	e.logger.Info("delivery engine stopped")
	return nil
}

// claimLoop keeps the job queue about one batch deep: enough for the
// workers to never starve, small enough that a newly created run gets its
// turn within a second or two.
func (e *Engine) claimLoop(ctx context.Context, jobs chan<- claimedDelivery, room <-chan struct{}) {
	var lastSweep time.Time
	for ctx.Err() == nil {
		if left := time.Until(e.limiter.PausedUntil()); left > 0 {
			sleepCtx(ctx, left) // no point holding leases through a 429 pause
			continue
		}
		free := cap(jobs) - len(jobs)
		if free < cap(jobs)/2 {
			waitRoom(ctx, room, e.cfg.PollInterval)
			continue
		}
		now := e.now()
		batch, err := claimDeliveries(ctx, e.db, now, now.Add(e.cfg.Lease), free, e.holder.Load().Current())
		if err != nil {
			if ctx.Err() == nil {
				e.logger.Error("delivery engine: claim failed", "err", err)
			}
			sleepCtx(ctx, e.cfg.PollInterval)
			continue
		}
		for _, c := range batch {
			jobs <- c // never blocks: at most free claimed
		}
		if len(batch) == 0 {
			if time.Since(lastSweep) >= e.cfg.PollInterval {
				lastSweep = time.Now()
				if _, err := e.finish(ctx, nil); err != nil && ctx.Err() == nil {
					e.logger.Error("delivery engine: finishing runs failed", "err", err)
				}
			}
			waitRoom(ctx, room, e.cfg.PollInterval)
		}
	}
}

func waitRoom(ctx context.Context, room <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-room:
	case <-t.C:
	case <-ctx.Done():
	}
}

// work sends jobs until the queue closes; after ctx ends it hands the rest
// back unsent.
func (e *Engine) work(ctx context.Context, jobs <-chan claimedDelivery, results chan<- outcome, room chan<- struct{}) {
	for c := range jobs {
		select {
		case room <- struct{}{}:
		default:
		}
		if ctx.Err() != nil {
			results <- e.release(c, 0)
			continue
		}
		results <- e.deliver(ctx, c)
	}
}

// recordLoop writes outcomes in batches of up to FlushSize, at least every
// FlushInterval, until results closes.
func (e *Engine) recordLoop(results <-chan outcome) {
	buf := make([]outcome, 0, e.cfg.FlushSize)
	tick := time.NewTicker(e.cfg.FlushInterval)
	defer tick.Stop()
	for {
		select {
		case o, ok := <-results:
			if !ok {
				e.flush(buf)
				return
			}
			buf = append(buf, o)
			if len(buf) >= e.cfg.FlushSize {
				buf = e.flush(buf)
			}
		case <-tick.C:
			buf = e.flush(buf)
		}
	}
}

// flush records buf, retrying while the database is away: an outcome that
// is never written means a lapsed lease and, for a send, a second message.
// It keeps trying (every 2 s at most) for as long as the leases in buf
// last, since a record is only refused once another worker re-claimed the
// row; then it gives up and says so.
func (e *Engine) flush(buf []outcome) []outcome {
	if len(buf) == 0 {
		return buf
	}
	wait := 100 * time.Millisecond
	var giveUp time.Time
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := e.record(ctx, buf)
		cancel()
		if err == nil {
			return buf[:0]
		}
		if giveUp.IsZero() {
			giveUp = time.Now().Add(earliestLease(buf).Sub(e.clock.Now()))
		}
		if !time.Now().Before(giveUp) {
			e.logger.Error("delivery engine: outcomes not recorded; their leases lapsed and they will be retried",
				"deliveries", len(buf), "err", err)
			return buf[:0]
		}
		e.logger.Warn("delivery engine: recording outcomes failed, retrying", "deliveries", len(buf), "err", err)
		time.Sleep(min(wait, time.Until(giveUp)))
		wait = min(2*wait, 2*time.Second)
	}
}

// earliestLease is when the first lease among outs runs out.
func earliestLease(outs []outcome) time.Time {
	first := outs[0].Lease
	for _, o := range outs[1:] {
		if o.Lease.Before(first) {
			first = o.Lease
		}
	}
	return first
}

func (e *Engine) refreshMetrics(ctx context.Context) {
	t := time.NewTicker(metricsRefresh)
	defer t.Stop()
	for {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		queued, runs, err := countQueue(qctx, e.db)
		cancel()
		if err == nil {
			e.metrics.queueDepth.Set(float64(queued))
			e.metrics.runsSending.Set(float64(runs))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// summarizeEvery is how often the engine looks for finished runs to
// summarise (a report of a finished run reads its summary).
const summarizeEvery = 2 * time.Second

// summarize summarises finished runs, one after another, until ctx ends.
func (e *Engine) summarize(ctx context.Context) {
	t := time.NewTicker(summarizeEvery)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			sctx, cancel := context.WithTimeout(ctx, time.Minute)
			did, err := SummarizeFinished(sctx, e.db, e.now())
			cancel()
			if err != nil && ctx.Err() == nil {
				e.logger.Warn("delivery engine: summarising a finished run", "err", err)
			}
			if !did || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
