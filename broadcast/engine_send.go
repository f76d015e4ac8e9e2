package broadcast

import (
	"context"
	"time"

	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/message"
)

// unauthorizedPause is how long every send waits after Telegram said the
// token is no good (401): nothing can go out until an admin fixes it.
const unauthorizedPause = time.Minute

// contentRetry is how long a delivery waits when its run's content could
// not be read (database trouble).
const contentRetry = 30 * time.Second

// deliver sends one claimed delivery and says what became of it. It never
// fails: every path ends in an outcome to record.
func (e *Engine) deliver(ctx context.Context, c claimedDelivery) outcome {
	if c.SubscriberStatus != string(StatusActive) {
		return e.skip(c)
	}
	answered, err := e.limiter.WaitBulk(ctx)
	if err != nil {
		return e.release(c, 0) // shutting down
	}
	defer answered() // the paths that do not send
	if c.Lease.Sub(e.clock.Now()) < e.cfg.SendTimeout {
		// Waited so long (a long 429 pause) that the lease could lapse
		// mid-send and another worker send it too: hand it back instead.
		return e.release(c, 0)
	}
	m, err := e.message(ctx, c.RunID)
	if err != nil {
		e.logger.Error("delivery engine: cannot read run content", "run_id", c.RunID, "err", err)
		return e.release(c, contentRetry)
	}
	// The send outlives a shutdown: once it is on the wire, its answer must
	// be recorded.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.SendTimeout)
	start := time.Now()
	id, err := e.sender.Send(sctx, c.ChatID, m)
	answered()
	cancel()
	e.metrics.sendLatency.Observe(time.Since(start).Seconds())
	return e.classify(ctx, c, id, err)
}

// classify turns Telegram's answer into an outcome (see Engine).
func (e *Engine) classify(ctx context.Context, c claimedDelivery, id int, err error) outcome {
	o := outcome{claimedDelivery: c}
	if err == nil {
		o.Status, o.MessageID = DeliverySent, id
		return e.count(o, "sent")
	}
	o.Error = pgsafe.Text(err.Error(), 500)
	switch message.KindOf(err) {
	case message.RetryAfter:
		wait := max(message.RetryAfterOf(err), time.Second)
		e.metrics.rateLimited.Inc()
		if perr := e.limiter.PauseAll(ctx, wait); perr != nil {
			e.logger.Warn("delivery engine: pause not shared with other replicas", "err", perr)
		}
		e.logger.Warn("delivery engine: Telegram flood control, pausing all sends",
			"run_id", c.RunID, "retry_after_s", wait.Seconds())
		o.Status, o.AttemptsDelta, o.NextAttemptAt = DeliveryPending, -1, e.now().Add(wait)
		return e.count(o, "retry_after")
	case message.Blocked:
		o.Status, o.Subscriber = DeliveryBlocked, string(StatusBlocked)
		return e.count(o, "blocked")
	case message.ChatNotFound:
		o.Status, o.Subscriber = DeliveryFailed, string(StatusStopped)
		return e.count(o, "failed")
	case message.Uncertain:
		o.Status = DeliveryUncertain
		return e.count(o, "uncertain")
	case message.Permanent:
		o.Status = DeliveryFailed
		return e.count(o, "failed")
	case message.Unauthorized:
		e.logger.Error("delivery engine: Telegram rejects the bot token; pausing sends", "run_id", c.RunID)
		e.limiter.PauseAll(ctx, unauthorizedPause)
		o.Status, o.AttemptsDelta, o.NextAttemptAt = DeliveryPending, -1, e.now().Add(unauthorizedPause)
		return e.count(o, "released")
	}
	if c.Attempts >= e.cfg.MaxAttempts {
		o.Status = DeliveryFailed
		return e.count(o, "failed")
	}
	o.Status, o.NextAttemptAt = DeliveryPending, message.Backoff(e.now(), c.Attempts)
	return e.count(o, "retry")
}

// release hands a claimed delivery back unsent, due after wait, without
// counting an attempt.
func (e *Engine) release(c claimedDelivery, wait time.Duration) outcome {
	o := outcome{claimedDelivery: c, Status: DeliveryPending, AttemptsDelta: -1}
	o.NextAttemptAt = e.now().Add(wait)
	if left := time.Until(e.limiter.PausedUntil()); left > wait {
		o.NextAttemptAt = e.now().Add(left)
	}
	return e.count(o, "released")
}

// skip closes a delivery whose resident is no longer active: blocked stays
// blocked, a stopped or deleted subscription cancels it.
func (e *Engine) skip(c claimedDelivery) outcome {
	o := outcome{claimedDelivery: c, Status: DeliveryCancelled, AttemptsDelta: -1, Error: "subscriber not active"}
	if c.SubscriberStatus == string(StatusBlocked) {
		o.Status = DeliveryBlocked
	}
	return e.count(o, "skipped")
}

func (e *Engine) count(o outcome, label string) outcome {
	e.metrics.deliveries.WithLabelValues(label).Inc()
	return o
}
