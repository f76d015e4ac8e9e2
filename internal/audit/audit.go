// Package audit writes the audit log (table audit_log, migration 00016):
// who did what, when, and concerning which region, for every staff action
// whatever the transport (console, chat, CLI). The package that performs
// an action writes its entry in the action's own transaction, so an action
// and its record commit together; the console reads the log by scope.
package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/pgsafe"
)

// Entry is one staff action. Role and ActorID name who acted (ActorID 0
// for the CLI's admin); Scope is the region code the action concerned, so
// each office reads what touched its area; Detail is a short plain text
// ("siaran #12").
type Entry struct {
	At      time.Time
	Role    string
	ActorID int64
	Name    string
	Action  string
	Scope   string
	Detail  string
}

const sqlWrite = `
INSERT INTO audit_log (at, actor_role, actor_id, actor_name, action, scope, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

// Write records e through x (the action's transaction, or the database).
func Write(ctx context.Context, x sqlx.ExecerContext, e Entry) error {
	_, err := x.ExecContext(ctx, sqlWrite, e.At, e.Role, e.ActorID, pgsafe.Text(e.Name, 200), e.Action, e.Scope,
		pgsafe.Text(e.Detail, 500))
	if err != nil {
		return fmt.Errorf("writing the audit log (%s): %w", e.Action, err)
	}
	return nil
}
