package proposals

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// ErrNobody: the KIM has no moderator a nudge could reach.
var ErrNobody = errors.New("the KIM has no moderator")

// Nudge sends KIM kim's moderators a reminder from by, an operator who
// may see it: why the KIM shows as vakum (why, already worded) and what
// to do. At most one a day (staff.ErrNudgedToday); it is audited as
// kim_ingatkan and goes through the outbox with its retries. It returns
// how many moderators it goes to.
func (s *Service) Nudge(ctx context.Context, by staff.Actor, kim int64, why string) (int, error) {
	k, err := s.staff.GetKIM(ctx, by, kim)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		ids, err := s.staff.ClaimNudge(ctx, tx, by, kim)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return ErrNobody
		}
		n = len(ids)
		return queue(ctx, tx, s.now(), ids, message.Message{Text: catalog.T("usul.nudge", message.EscapeHTML(k.Name),
			message.EscapeHTML(why))})
	})
	return n, err
}
