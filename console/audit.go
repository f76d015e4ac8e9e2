package console

import (
	"context"

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// audit records what only the console does (sign-in, sign-out, a
// download); the services record the actions they perform themselves.
// A failure is logged, never shown: the action itself already happened.
func (c *Console) audit(ctx context.Context, actor staff.Actor, action string, scope region.Code, detail string) {
	if err := audit.Write(ctx, c.db, actor.Audit(c.clock.Now(), action, scope, detail)); err != nil {
		c.log.Error("console: writing the audit log", "action", action, "err", err)
	}
}
