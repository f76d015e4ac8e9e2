package aspirations

import (
	"context"
	"fmt"

	"github.com/kimbot/kimbot/staff"
)

// QueueCounts are how many tickets of an actor's queue are open and how
// many of those are past the service level: filed longer ago than
// UnclaimedEscalateAfter (72 h, LAPOR!'s rule; sla.go) and still open.
type QueueCounts struct {
	Open    int `db:"open"`
	Overdue int `db:"overdue"`
}

const sqlQueueCounts = `
SELECT count(*) AS open, count(*) FILTER (WHERE created_at < $5) AS overdue
FROM aspiration_tickets WHERE status = ANY($1) AND ` + queueScope

// QueueCounts counts the open tickets of actor's queue (the statuses Queue
// shows them by default) in their scope.
func (s *Service) QueueCounts(ctx context.Context, actor staff.Actor) (QueueCounts, error) {
	if !actor.IsStaff() {
		return QueueCounts{}, ErrForbidden
	}
	var c QueueCounts
	err := s.db.GetContext(ctx, &c, sqlQueueCounts, pqStrings(statusStrings(defaultQueue(actor))),
		string(actor.Scope), actor.Scope.LikePattern(), string(actor.Scope)+"%", s.now().Add(-s.cfg.UnclaimedEscalateAfter))
	if err != nil {
		return QueueCounts{}, fmt.Errorf("counting the queue: %w", err)
	}
	return c, nil
}
