package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// runWorkers runs cfg.Workers workers until ctx ends, then waits for the
// updates in hand. Each worker claims one update at a time (the oldest
// open one of a chat nobody else is handling), so chats run in parallel
// and each chat's updates in order.
func (a *App) runWorkers(ctx context.Context) {
	var wg sync.WaitGroup
	for i := range a.cfg.Workers {
		wg.Add(1)
		go func() { defer wg.Done(); a.work(ctx, i == 0) }()
	}
	wg.Wait()
}

// work claims and handles updates. It sleeps while the inbox is empty and
// wakes on a poke (updates stored here, or a chat's turn ended); the first
// worker also looks every cfg.FallbackPoll for rows other replicas stored.
func (a *App) work(ctx context.Context, polls bool) {
	var fallback <-chan time.Time
	if polls {
		t := time.NewTicker(a.cfg.FallbackPoll)
		defer t.Stop()
		fallback = t.C
	}
	for ctx.Err() == nil {
		if rows := a.claim(ctx, 1); len(rows) == 1 {
			a.poke(1) // there may be more: wake another worker to look
			a.handleRow(rows[0])
			a.poke(1) // the chat's next update may be claimable now
			continue
		}
		select {
		case <-ctx.Done():
		case <-a.wake:
		case <-fallback:
		}
	}
}

// claim runs detached from ctx: a claim cancelled after it committed would
// leave rows leased to nobody until the lease ends.
func (a *App) claim(ctx context.Context, limit int) []inboxRow {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	rows, err := a.inbox.claim(cctx, limit)
	if err != nil {
		a.log.Error("claiming updates", "err", err)
		return nil
	}
	return rows
}

// handleRow hands one stored update to the library and records the
// outcome. Handlers get a context of their own, so shutdown lets them
// finish.
func (a *App) handleRow(row inboxRow) {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.HandlerTimeout)
	defer cancel()
	if row.Attempts > a.cfg.MaxAttempts {
		a.metrics.handled("unknown", "failed", 0)
		a.log.Error("update set aside: handling it never finished", "update_id", row.UpdateID, "attempts", row.Attempts)
		a.finish(ctx, row.UpdateID, a.inbox.fail(ctx, row.UpdateID, "handling never finished (process died each time)"))
		return
	}
	var upd models.Update
	if err := json.Unmarshal(row.Payload, &upd); err != nil {
		a.metrics.handled("unknown", "failed", 0)
		a.log.Error("update set aside: cannot decode it", "update_id", row.UpdateID, "err", err)
		a.finish(ctx, row.UpdateID, a.inbox.fail(ctx, row.UpdateID, "decoding: "+err.Error()))
		return
	}
	start := time.Now()
	h := a.process(ctx, &upd)
	elapsed := time.Since(start)
	if h.panic != "" {
		a.metrics.handled(h.kind, "panic", elapsed)
		a.finish(ctx, row.UpdateID, a.inbox.retry(ctx, row, "panic: "+h.panic))
		return
	}
	result := "ok"
	if h.err != nil {
		result = "error"
	}
	a.metrics.handled(h.kind, result, elapsed)
	a.finish(ctx, row.UpdateID, a.inbox.done(ctx, row.UpdateID))
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

// finish logs a failure to record an outcome: the row's lease then runs
// out and the update is handled again (at-least-once).
func (a *App) finish(_ context.Context, updateID int64, err error) {
	if err != nil {
		a.log.Error("recording a handled update", "update_id", updateID, "err", err)
	}
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
