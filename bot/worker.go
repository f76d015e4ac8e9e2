package bot

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
func (a *App) runWorkers(ctx context.Context) {
	jobs := make(chan inboxRow)
	results := make(chan outcome, a.cfg.Workers) // a worker never waits to report
	var wg sync.WaitGroup
	for range a.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for row := range jobs {
				results <- a.handleRow(row)
			}
		}()
	}
	a.feed(ctx, jobs, results)
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
func (a *App) feed(ctx context.Context, jobs chan<- inboxRow, results <-chan outcome) {
	fallback := time.NewTicker(a.cfg.FallbackPoll)
	defer fallback.Stop()
	idle := a.cfg.Workers
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
			rows, err := a.settle(reported, limit)
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
			case stopping && idle == a.cfg.Workers:
				return // the outcomes are lost: those updates are handled again after their lease
			default:
				sleep(ctx, time.Second) // the database is away; keep the outcomes and try again
			}
		}
		if stopping && idle == a.cfg.Workers && len(reported) == 0 {
			return
		}
		var done <-chan struct{}
		if !stopping {
			done = ctx.Done()
		}
		select {
		case o := <-results:
			reported, idle = append(reported, o), idle+1
		case <-a.wake:
			look = true
		case <-fallback.C:
			look = true
		case <-done:
		}
	}
}

// settle runs detached from the feeder's ctx: a claim cancelled after it
// committed would leave rows leased to nobody until the lease ends.
func (a *App) settle(reported []outcome, limit int) ([]inboxRow, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := a.inbox.settle(ctx, reported, limit)
	if err != nil {
		a.log.Error("recording handled updates and claiming more", "err", err)
	}
	return rows, err
}

// handleRow hands one stored update to the library and says how it ended.
// Handlers get a context of their own, so shutdown lets them finish.
func (a *App) handleRow(row inboxRow) outcome {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.HandlerTimeout)
	defer cancel()
	if row.Attempts > a.cfg.MaxAttempts {
		a.metrics.handled("unknown", "failed", 0)
		a.log.Error("update set aside: handling it never finished", "update_id", row.UpdateID, "attempts", row.Attempts)
		return failedOutcome(row.UpdateID, "handling never finished (process died each time)")
	}
	var upd models.Update
	if err := json.Unmarshal(row.Payload, &upd); err != nil {
		a.metrics.handled("unknown", "failed", 0)
		a.log.Error("update set aside: cannot decode it", "update_id", row.UpdateID, "err", err)
		return failedOutcome(row.UpdateID, "decoding: "+err.Error())
	}
	start := time.Now()
	h := a.process(ctx, &upd)
	elapsed := time.Since(start)
	if h.panic != "" {
		a.metrics.handled(h.kind, "panic", elapsed)
		return a.inbox.retryOutcome(row, "panic: "+h.panic)
	}
	result := "ok"
	if h.err != nil {
		result = "error"
	}
	a.metrics.handled(h.kind, result, elapsed)
	return doneOutcome(row.UpdateID)
}

// process runs the library's ProcessUpdate synchronously (the App's client
// has WithNotAsyncHandlers). The recover here catches what the middleware
// cannot: a panic in the library's own routing.
func (a *App) process(ctx context.Context, upd *models.Update) (h *handling) {
	h = &handling{kind: "other"}
	defer func() {
		if p := recover(); p != nil {
			h.panic = fmt.Sprint(p)
			a.log.Error("update routing panicked", "update_id", upd.ID, "panic", h.panic)
		}
	}()
	a.tg.ProcessUpdate(context.WithValue(ctx, handlingKey{}, h), upd)
	return h
}

// runPruner deletes old handled updates every ten minutes.
func (a *App) runPruner(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		n, err := a.inbox.prune(ctx, a.deps.Clock.Now().Add(-a.cfg.Retention))
		if err != nil && ctx.Err() == nil {
			a.log.Error("pruning handled updates", "err", err)
		} else if n > 0 {
			a.log.Info("pruned handled updates", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
