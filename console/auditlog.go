package console

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/region"
)

// auditEntry is one row of audit_log.
type auditEntry struct {
	ID        int64     `db:"id"`
	At        time.Time `db:"at"`
	ActorRole string    `db:"actor_role"`
	ActorID   int64     `db:"actor_id"`
	ActorName string    `db:"actor_name"`
	Action    string    `db:"action"`
	Scope     string    `db:"scope"`
	Detail    string    `db:"detail"`
}

// The first LIKE (a plain prefix) lets the planner use audit_log_scope_idx.
const sqlAuditList = `
SELECT id, at, actor_role, actor_id, actor_name, action, scope, detail FROM audit_log
WHERE scope LIKE $3 AND (scope = $1 OR scope LIKE $2)
ORDER BY at DESC, id DESC
OFFSET $4 LIMIT $5`

// auditEntries are the rows whose scope lies within scope, newest first.
func (c *Console) auditEntries(ctx context.Context, scope region.Code, offset, limit int) ([]auditEntry, error) {
	var out []auditEntry
	err := c.db.SelectContext(ctx, &out, sqlAuditList, string(scope), scope.LikePattern(), string(scope)+"%", offset, limit)
	if err != nil {
		return nil, fmt.Errorf("console: reading the audit log: %w", err)
	}
	return out, nil
}

// auditRow is an entry as the page shows it.
type auditRow struct {
	At, Who, What, Scope, Detail string
}

// auditList is who did what and when within the operator's scope.
func (c *Console) auditList(w http.ResponseWriter, r *http.Request) {
	page := pageOf(r)
	entries, err := c.auditEntries(r.Context(), actorOf(r).Scope, (page-1)*pageSize, pageSize+1)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	more := len(entries) > pageSize
	if more {
		entries = entries[:pageSize]
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{At: broadcast.LongTime(e.At, c.zone), Who: c.auditWho(e),
			What: auditAction(e.Action), Scope: c.scopeLabel(r, region.Code(e.Scope)), Detail: e.Detail}
	}
	c.render(w, r, http.StatusOK, "audit", map[string]any{"Rows": rows, "Pager": newPager("/audit", page, more)})
}

func (c *Console) auditWho(e auditEntry) string {
	if e.ActorID == 0 {
		return catalog.T("web.audit.cli")
	}
	who := catalogT("web.role_"+e.ActorRole) + ", Telegram " + strconv.FormatInt(e.ActorID, 10)
	if e.ActorName == "" {
		return who
	}
	return e.ActorName + " (" + who + ")"
}

// auditAction names an action in words; one without a text shows as
// recorded.
func auditAction(a string) string {
	if k := catalog.Key("web.audit." + a); catalog.Has(k) {
		return catalog.T(k)
	}
	return a
}

// catalogT looks up a key built at run time.
func catalogT(key string) string { return catalog.T(catalog.Key(key)) }
