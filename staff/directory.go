package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// Member is one role a person holds: an operator or a moderator row.
type Member struct {
	TelegramID int64       `db:"telegram_id"`
	Role       Role        `db:"role"`
	Scope      region.Code `db:"scope"`
	// GroupChatID is a moderator's KIM group (nil: posts go to the
	// private chat); always nil for operators.
	GroupChatID *int64 `db:"group_chat_id"`
	// GroupThreadID is the forum topic of that group where the posts go,
	// the one /tautkan was typed in (nil: General, or no topics).
	GroupThreadID *int `db:"group_thread_id"`
	// KIMID is a moderator's KIM (nil for operators).
	KIMID *int64 `db:"kim_id"`
	// LastSeenAt is when they last wrote to the bot, to the hour (nil:
	// not since it was recorded).
	LastSeenAt *time.Time `db:"last_seen_at"`
	AddedBy    *int64     `db:"added_by"`
	CreatedAt  time.Time  `db:"created_at"`
	UpdatedAt  time.Time  `db:"updated_at"`
}

// Actor is m acting under name.
func (m Member) Actor(name string) Actor {
	a := Actor{Role: m.Role, TelegramID: m.TelegramID, Scope: m.Scope, Name: name}
	if m.KIMID != nil {
		a.KIM = *m.KIMID
	}
	return a
}

// Directory keeps staff, their invitations and group links in PostgreSQL.
type Directory struct {
	db    *sqlx.DB
	clock message.Clock
}

// New returns a Directory over db stamping changes with clock (the
// system clock when nil).
func New(db *sqlx.DB, clock message.Clock) *Directory {
	if clock == nil {
		clock = message.SystemClock{}
	}
	return &Directory{db: db, clock: clock}
}

// now is the clock at the database's precision, so values read back
// compare equal to what was written.
func (d *Directory) now() time.Time { return d.clock.Now().Truncate(time.Microsecond) }

const memberColumns = `telegram_id, role, scope, group_chat_id, group_thread_id, kim_id, last_seen_at, added_by, created_at, updated_at`

// Operators sort first, so someone who is both acts with the wider
// rights of an operator.
const sqlWho = `
SELECT ` + memberColumns + ` FROM staff WHERE telegram_id = $1
ORDER BY role = 'operator' DESC LIMIT 1`

// Who answers who Telegram user telegramID is: their operator role if
// they hold one, else their moderator role, else a resident. name is
// what they are called in Telegram (shown to residents as who answered).
// Only a database failure is an error.
func (d *Directory) Who(ctx context.Context, telegramID int64, name string) (Actor, error) {
	if telegramID <= 0 {
		return Resident(telegramID), nil
	}
	var m Member
	err := d.db.GetContext(ctx, &m, sqlWho, telegramID)
	if errors.Is(err, sql.ErrNoRows) {
		return Resident(telegramID), nil
	}
	if err != nil {
		return Actor{}, fmt.Errorf("finding who telegram user is: %w", err)
	}
	return m.Actor(name), nil
}

// Get returns telegramID's role row, or ErrNotFound.
func (d *Directory) Get(ctx context.Context, telegramID int64, role Role) (Member, error) {
	var m Member
	err := d.db.GetContext(ctx, &m, `SELECT `+memberColumns+` FROM staff WHERE telegram_id = $1 AND role = $2`,
		telegramID, string(role))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("reading %s: %w", role, err)
	}
	return m, nil
}

// Inserting from the regions row makes the existence check and the insert
// one statement. A moderator's group survives being moved to a new scope
// unless a new group is given; its topic goes with it (a topic belongs to
// one group).
const sqlAddMember = `
INSERT INTO staff (telegram_id, role, scope, group_chat_id, added_by, created_at, updated_at)
SELECT $1, $2, code, $4, $5, $6, $6 FROM regions WHERE code = $3
ON CONFLICT (telegram_id, role) DO UPDATE
SET scope = EXCLUDED.scope, group_chat_id = COALESCE(EXCLUDED.group_chat_id, staff.group_chat_id),
    group_thread_id = CASE WHEN EXCLUDED.group_chat_id IS NULL OR EXCLUDED.group_chat_id = staff.group_chat_id
        THEN staff.group_thread_id END,
    added_by = EXCLUDED.added_by, updated_at = EXCLUDED.updated_at
RETURNING ` + memberColumns

// Add gives telegramID role (operator or moderator) for scope, or moves
// them to scope if they hold it already; group is a moderator's KIM group
// (nil keeps the one they had). It is the CLI's `operator add` and
// `moderator add` (by = Admin()). scope must be a known region inside by's
// scope (ErrUnknownRegion, ErrOutOfScope); only operators add staff
// (ErrForbidden).
func (d *Directory) Add(ctx context.Context, by Actor, telegramID int64, role Role, scope region.Code, group *int64) (Member, error) {
	var m Member
	now := d.now()
	err := d.audited(ctx, func(tx *sqlx.Tx) (audit.Entry, error) {
		var err error
		m, err = addMember(ctx, tx, by, telegramID, role, scope, group, now)
		return by.Audit(now, "tambah_peran", scope, fmt.Sprintf("%d: %s", telegramID, role)), err
	})
	return m, err
}

func addMember(ctx context.Context, q sqlx.QueryerContext, by Actor, telegramID int64, role Role, scope region.Code,
	group *int64, now time.Time) (Member, error) {
	var m Member
	switch {
	case telegramID <= 0:
		return m, fmt.Errorf("telegram id must be a positive number, not %d: %w", telegramID, ErrInvalid)
	case role != RoleOperator && role != RoleModerator:
		return m, fmt.Errorf("role %q: %w", role, ErrInvalid)
	case group != nil && (role != RoleModerator || *group >= 0):
		return m, fmt.Errorf("a group chat id is negative and only for moderators: %w", ErrInvalid)
	case !by.IsOperator():
		return m, ErrForbidden
	case scope == "" || !by.Allows(scope):
		return m, ErrOutOfScope
	}
	err := sqlx.GetContext(ctx, q, &m, sqlAddMember, telegramID, string(role), string(scope), group, by.CreatedBy(), now)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrUnknownRegion
	}
	if err != nil {
		return m, fmt.Errorf("adding %s: %w", role, err)
	}
	if role == RoleModerator {
		return joinKIM(ctx, q, m, by, now)
	}
	return m, nil
}

const sqlList = `
SELECT ` + memberColumns + ` FROM staff
WHERE role = $1 AND ($2 = '' OR scope = $2 OR scope LIKE $3)
ORDER BY scope, telegram_id`

// List returns the members of role whose scope lies inside by's scope.
func (d *Directory) List(ctx context.Context, by Actor, role Role) ([]Member, error) {
	if !by.IsStaff() {
		return nil, ErrForbidden
	}
	var ms []Member
	if err := d.db.SelectContext(ctx, &ms, sqlList, string(role), string(by.Scope), by.Scope.LikePattern()); err != nil {
		return nil, fmt.Errorf("listing %ss: %w", role, err)
	}
	return ms, nil
}

// Moderators returns every moderator, for the daily digest (the system
// acts, so no scope applies).
func (d *Directory) Moderators(ctx context.Context) ([]Member, error) {
	var ms []Member
	err := d.db.SelectContext(ctx, &ms, `SELECT `+memberColumns+` FROM staff WHERE role = 'moderator' ORDER BY telegram_id`)
	if err != nil {
		return nil, fmt.Errorf("listing moderators: %w", err)
	}
	return ms, nil
}

// ancestors is code and every prefix above it: the scopes that cover it.
func ancestors(c region.Code) pq.StringArray {
	var out pq.StringArray
	for ; c != ""; c = c.Parent() {
		out = append(out, string(c))
	}
	return out
}

const sqlOperatorsCovering = `
SELECT telegram_id FROM staff WHERE role = 'operator' AND scope = ANY($1) ORDER BY telegram_id`

// OperatorsCovering returns the Telegram ids of the operators whose scope
// holds village: the ones an escalated aspiration goes to.
func (d *Directory) OperatorsCovering(ctx context.Context, village region.Code) ([]int64, error) {
	var ids []int64
	if err := d.db.SelectContext(ctx, &ids, sqlOperatorsCovering, ancestors(village)); err != nil {
		return nil, fmt.Errorf("finding operators covering a village: %w", err)
	}
	return ids, nil
}

// Destination is a chat where tickets are posted and the forum topic in
// it (ThreadID 0: General, a group without topics, or a private chat).
type Destination struct {
	ChatID   int64 `db:"chat_id"`
	ThreadID int   `db:"thread_id"`
}

// Private is the private chats ids as Destinations.
func Private(ids []int64) []Destination {
	out := make([]Destination, len(ids))
	for i, id := range ids {
		out[i] = Destination{ChatID: id}
	}
	return out
}

// One post a chat: should two moderators of one group hold different
// topics (a link made before LinkGroup kept them together), the latest
// link wins.
const sqlModeratorChats = `
SELECT DISTINCT ON (COALESCE(group_chat_id, telegram_id))
       COALESCE(group_chat_id, telegram_id) AS chat_id, COALESCE(group_thread_id, 0) AS thread_id
FROM staff WHERE role = 'moderator' AND scope = ANY($1)
ORDER BY COALESCE(group_chat_id, telegram_id), updated_at DESC`

// ModeratorChatsCovering returns where a village's tickets are posted:
// each covering moderator's KIM group, in the topic it was linked in, or
// their private chat when they have none.
func (d *Directory) ModeratorChatsCovering(ctx context.Context, village region.Code) ([]Destination, error) {
	var dests []Destination
	if err := d.db.SelectContext(ctx, &dests, sqlModeratorChats, ancestors(village)); err != nil {
		return nil, fmt.Errorf("finding moderators covering a village: %w", err)
	}
	return dests, nil
}

// audited runs do in a transaction and, when it succeeds, writes the
// audit entry it returns in the same transaction: an action and its
// record commit together. do's error comes back as it is.
func (d *Directory) audited(ctx context.Context, do func(tx *sqlx.Tx) (audit.Entry, error)) error {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning: %w", err)
	}
	defer tx.Rollback()
	entry, err := do(tx)
	if err != nil {
		return err
	}
	if err := audit.Write(ctx, tx, entry); err != nil {
		return err
	}
	return tx.Commit()
}
