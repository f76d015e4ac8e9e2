package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// runWorkers claims inbox rows and handles them, at most cfg.Workers at
// once and never two of one chat, until ctx ends; then it waits for the
// updates in hand.
func (a *App) runWorkers(ctx context.Context) {
	slots := make(chan struct{}, a.cfg.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	fallback := time.NewTicker(a.cfg.FallbackPoll)
	defer fallback.Stop()
	for {
		if free := cap(slots) - len(slots); free > 0 && ctx.Err() == nil {
			rows := a.claim(ctx, free)
			for _, row := range rows {
				slots <- struct{}{}
				wg.Add(1)
				go func() {
					defer wg.Done()
					a.handleRow(row)
					<-slots
					a.poke() // the chat's next update may be claimable now
				}()
			}
			if len(rows) == free {
				continue // there may be more waiting
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-a.wake:
		case <-fallback.C:
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
