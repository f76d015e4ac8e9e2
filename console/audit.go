package console

import (
	"context"

	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const sqlAudit = `
INSERT INTO audit_log (at, actor_role, actor_id, actor_name, action, scope, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

// audit records that actor did action concerning scope. A failure is
// logged, never shown: the action itself already happened.
func (c *Console) audit(ctx context.Context, actor staff.Actor, action string, scope region.Code, detail string) {
	_, err := c.db.ExecContext(ctx, sqlAudit, c.clock.Now(), string(actor.Role), actor.TelegramID,
		pgsafe.Text(actor.DisplayName(), 200), action, string(scope), pgsafe.Text(detail, 500))
	if err != nil {
		c.log.Error("console: writing the audit log", "action", action, "err", err)
	}
}
