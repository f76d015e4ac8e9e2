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
	batch, err := claimDeliveries(ctx, e.db, now, now.Add(e.cfg.Lease), n)
	return len(batch), err
}

// BulkLimitForTest is the pace WaitBulk keeps for rate, and how many
// emission intervals early a send may take its slot.
func BulkLimitForTest(rate int) (perSecond, early float64) {
	l := bulkLimit(rate)
	return float64(l.Rate) / tokenCost / l.Period.Seconds(), float64(l.Burst-tokenCost) / tokenCost
}
