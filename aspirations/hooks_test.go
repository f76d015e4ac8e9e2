package aspirations

import (
	"context"

	"github.com/kimbot/kimbot/internal/holder"
)

// ClaimOutboxAsForTest claims what is due in the outbox as the process of
// holder h would, and then leaves it, as a process that dies does.
func (s *Service) ClaimOutboxAsForTest(ctx context.Context, h *holder.Holder) (int, error) {
	s.holder.Store(h)
	defer s.holder.Store(nil)
	rows, err := s.claimOutbox(ctx, s.now())
	return len(rows), err
}

// NextNumberForTest draws the next ticket number of year.
func (s *Service) NextNumberForTest(ctx context.Context, year int) (int64, error) {
	return s.nextNumber(ctx, year)
}
