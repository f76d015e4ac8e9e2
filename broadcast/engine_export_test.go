package broadcast

import (
	"context"
)

// Hooks for the external tests of the delivery engine (package
// broadcast_test, which may import package bot for its Sender).
var (
	MaterializeDeliveriesForTest   = materializeDeliveries
	CancelPendingDeliveriesForTest = cancelPendingDeliveries
)

// ClaimAndAbandonForTest claims up to n deliveries as a worker would and
// then "dies": the rows stay 'sending' until their lease runs out.
func (e *Engine) ClaimAndAbandonForTest(ctx context.Context, n int) (int, error) {
	now := e.now()
	batch, err := claimDeliveries(ctx, e.db, now, now.Add(e.cfg.Lease), n, 0)
	return len(batch), err
}

// BulkLimitForTest is the pace WaitBulk keeps for rate, and how many
// emission intervals early a send may take its slot.
func BulkLimitForTest(rate int) (perSecond, early float64) {
	l := bulkLimit(rate)
	return float64(l.Rate) / tokenCost / l.Period.Seconds(), float64(l.Burst-tokenCost) / tokenCost
}

// FailClaimedForTest claims as many deliveries as errs has and records
// each as failed with its error text, as written (no pgsafe.Text), so a
// test can hand the writer text PostgreSQL refuses. It returns how many
// rows the record changed.
func (e *Engine) FailClaimedForTest(ctx context.Context, errs ...string) (int, error) {
	now := e.now()
	batch, err := claimDeliveries(ctx, e.db, now, now.Add(e.cfg.Lease), len(errs), 0)
	if err != nil {
		return 0, err
	}
	outs := make([]outcome, len(batch))
	for i, c := range batch {
		outs[i] = outcome{claimedDelivery: c, Status: DeliveryFailed, Error: errs[i]}
	}
	return recordOutcomes(ctx, e.db, outs, now)
}
