package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// runWorkers runs cfg.Workers workers fed by one feeder until ctx ends,
// then waits for the updates in hand and records how they ended.
func (in *Inbox) runWorkers(ctx context.Context) {
	jobs := make(chan entry)
	results := make(chan outcome, in.cfg.Workers) // a worker never waits to report
	var wg sync.WaitGroup
	for range in.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for row := range jobs {
				results <- in.handleRow(row)
			}
		}()
	}
	in.feed(ctx, jobs, results)
	close(jobs)
	wg.Wait()
}

// feed is the only goroutine that talks to the inbox for the workers. Each
// round trip records the outcomes reported since the last one and claims
// updates for the idle workers (the oldest open update of chats nobody is
// handling, so chats run in parallel and each chat's updates in order).
// Between round trips it sleeps until a worker reports, updates are stored
// here (a poke), or, every cfg.FallbackPoll, to find rows other replicas
// stored. When ctx ends it stops claiming and returns once every update in
// hand is settled.
//
// A worker's outcome is recorded by the same statement that claims its
// next update, so at most cfg.Workers updates are ever handled or being
// handled without their outcome recorded: the most a crash can repeat.
func (in *Inbox) feed(ctx context.Context, jobs chan<- entry, results <-chan outcome) {
	fallback := time.NewTicker(in.cfg.FallbackPoll)
	defer fallback.Stop()
	idle := in.cfg.Workers
	var reported []outcome
	look := true // the inbox may hold claimable rows
	for {
		for drained := false; !drained; { // take every report already in
			select {
			case o := <-results:
				reported, idle = append(reported, o), idle+1
			default:
				drained = true
			}
		}
		stopping := ctx.Err() != nil
		limit := idle
		if stopping {
			limit = 0
		}
		if len(reported) > 0 || (look && limit > 0) {
			rows, err := in.settle(reported, limit)
			switch {
			case err == nil:
				// A settled chat may have its next update waiting; a full
				// claim may have left more behind.
				look = len(reported) > 0 || len(rows) == limit
				reported = reported[:0]
				for _, row := range rows {
					jobs <- row
					idle--
				}
				continue
			case stopping && idle == in.cfg.Workers:
				return // the outcomes are lost: those updates are handled again after their lease
			default:
				sleep(ctx, time.Second) // the database is away; keep the outcomes and try again
			}
		}
		if stopping && idle == in.cfg.Workers && len(reported) == 0 {
			return
		}
		var done <-chan struct{}
		if !stopping {
			done = ctx.Done()
		}
		select {
		case o := <-results:
			reported, idle = append(reported, o), idle+1
		case <-in.wake:
			look = true
		case <-fallback.C:
			look = true
		case <-done:
		}
	}
}

// settle runs detached from the feeder's ctx: a claim cancelled after it
// committed would leave rows leased to nobody until the lease ends.
func (in *Inbox) settle(reported []outcome, limit int) ([]entry, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := in.q.settle(ctx, reported, limit)
	if err != nil {
		in.log.Error("recording handled updates and claiming more", "err", err)
	}
	return rows, err
}

// handleRow hands one stored update to the library and says how it ended.
// Handlers get a context of their own, so shutdown lets them finish.
func (in *Inbox) handleRow(row entry) outcome {
	ctx, cancel := context.WithTimeout(context.Background(), in.cfg.HandlerTimeout)
	defer cancel()
	if row.Attempts > in.cfg.MaxAttempts {
		in.observe("unknown", "failed", 0)
		in.log.Error("update set aside: handling it never finished", "update_id", row.UpdateID, "attempts", row.Attempts)
		return failedOutcome(row.UpdateID, "handling never finished (process died each time)")
	}
	var upd models.Update
	if err := json.Unmarshal(row.Payload, &upd); err != nil {
		in.observe("unknown", "failed", 0)
		in.log.Error("update set aside: cannot decode it", "update_id", row.UpdateID, "err", err)
		return failedOutcome(row.UpdateID, "decoding: "+err.Error())
	}
	start := time.Now()
	h := in.process(ctx, &upd)
	elapsed := time.Since(start)
	if h.Panic != "" {
		in.observe(h.Kind, "panic", elapsed)
		return in.q.retryOutcome(row, "panic: "+h.Panic)
	}
	result := "ok"
	if h.Err != nil {
		result = "error"
	}
	in.observe(h.Kind, result, elapsed)
	return doneOutcome(row.UpdateID)
}

// process runs the handler; the recover here catches what the handler's
// own recovery cannot (a panic in the library's routing).
func (in *Inbox) process(ctx context.Context, upd *models.Update) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{Kind: "other", Panic: fmt.Sprint(p)}
			in.log.Error("update routing panicked", "update_id", upd.ID, "panic", res.Panic)
		}
	}()
	return in.handle(ctx, upd)
}

// runPruner deletes old handled updates every ten minutes.
func (in *Inbox) runPruner(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		n, err := in.q.prune(ctx, in.clock.Now().Add(-in.cfg.Retention))
		if err != nil && ctx.Err() == nil {
			in.log.Error("pruning handled updates", "err", err)
		} else if n > 0 {
			in.log.Info("pruned handled updates", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
