package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// ErrOutOfScope is returned when an operator names a region, schedule or
// invite outside their own scope. Callers should answer as if the thing
// did not exist where that matters (lists never show it at all).
var ErrOutOfScope = errors.New("outside your region scope")

// ErrUnknownRegion is returned when a region code is not in the regions table.
var ErrUnknownRegion = errors.New("unknown region code")

// Operator is a Diskominfo operator allowed to broadcast within Scope.
//
// The zero Operator is the system admin (the CLI): Scope "" holds the whole
// country and TelegramID 0 records the creator as NULL. Operators read from
// the database always have a non-empty scope.
type Operator struct {
	TelegramID int64       `db:"telegram_id"`
	Scope      region.Code `db:"scope"`
	AddedBy    *int64      `db:"added_by"`
	CreatedAt  time.Time   `db:"created_at"`
	UpdatedAt  time.Time   `db:"updated_at"`
}

// Admin is the CLI's actor: the whole country.
var Admin = Operator{}

// IsAdmin reports whether o is the CLI's whole-country actor.
func (o Operator) IsAdmin() bool { return o.Scope == "" && o.TelegramID == 0 }

// Allows reports whether code lies inside o's scope.
func (o Operator) Allows(code region.Code) bool { return o.Scope.Contains(code) }

// createdBy is o's id for created_by columns: NULL for the admin.
func (o Operator) createdBy() *int64 {
	if o.TelegramID == 0 {
		return nil
	}
	id := o.TelegramID
	return &id
}

// Operators stores operators in the operators table.
type Operators struct {
	db    *sqlx.DB
	clock message.Clock
}

// NewOperators returns a store over db stamping changes with clock.
func NewOperators(db *sqlx.DB, clock message.Clock) *Operators {
	return &Operators{db: db, clock: clock}
}

const operatorColumns = `telegram_id, scope, added_by, created_at, updated_at`

// Inserting from the regions row makes the existence check and the insert
// one statement.
const sqlAddOperator = `
INSERT INTO operators (telegram_id, scope, added_by, created_at, updated_at)
SELECT $1, code, $3, $4, $4 FROM regions WHERE code = $2
ON CONFLICT (telegram_id) DO UPDATE
SET scope = EXCLUDED.scope, added_by = EXCLUDED.added_by, updated_at = EXCLUDED.updated_at
RETURNING ` + operatorColumns

// Add makes telegramID an operator of scope, or moves an existing operator
// to scope. It is the CLI's `operator add`; by is Admin there. scope must
// be a known region inside by's scope.
func (s *Operators) Add(ctx context.Context, by Operator, telegramID int64, scope region.Code) (Operator, error) {
	return addOperator(ctx, s.db, by, telegramID, scope, s.clock.Now())
}

func addOperator(ctx context.Context, q sqlx.QueryerContext, by Operator, telegramID int64, scope region.Code, now time.Time) (Operator, error) {
	var op Operator
	if telegramID <= 0 {
		return op, fmt.Errorf("telegram id must be a positive number, not %d", telegramID)
	}
	if scope == "" || !by.Allows(scope) {
		return op, ErrOutOfScope
	}
	err := sqlx.GetContext(ctx, q, &op, sqlAddOperator, telegramID, string(scope), by.createdBy(), now.Truncate(time.Microsecond))
	if errors.Is(err, sql.ErrNoRows) {
		return op, ErrUnknownRegion
	}
	if err != nil {
		return op, fmt.Errorf("adding operator: %w", err)
	}
	return op, nil
}

// Get returns the operator with telegramID, or ErrNotFound (a resident).
func (s *Operators) Get(ctx context.Context, telegramID int64) (Operator, error) {
	var op Operator
	err := s.db.GetContext(ctx, &op, `SELECT `+operatorColumns+` FROM operators WHERE telegram_id = $1`, telegramID)
	if errors.Is(err, sql.ErrNoRows) {
		return op, ErrNotFound
	}
	if err != nil {
		return op, fmt.Errorf("getting operator: %w", err)
	}
	return op, nil
}

const sqlListOperators = `
SELECT ` + operatorColumns + ` FROM operators
WHERE $1 = '' OR scope = $1 OR scope LIKE $2
ORDER BY scope, telegram_id`

// List returns the operators whose scope lies inside by's scope.
func (s *Operators) List(ctx context.Context, by Operator) ([]Operator, error) {
	var ops []Operator
	if err := s.db.SelectContext(ctx, &ops, sqlListOperators, string(by.Scope), by.Scope.LikePattern()); err != nil {
		return nil, fmt.Errorf("listing operators: %w", err)
	}
	return ops, nil
}

const sqlOperatorsCovering = `SELECT telegram_id FROM operators WHERE scope = ANY($1) ORDER BY telegram_id`

// OperatorsCovering returns the Telegram ids of the operators whose scope
// holds village: the ones an escalated aspiration goes to.
func (s *Operators) OperatorsCovering(ctx context.Context, village region.Code) ([]int64, error) {
	var chain []string
	for c := village; c != ""; c = c.Parent() {
		chain = append(chain, string(c))
	}
	var ids []int64
	if err := s.db.SelectContext(ctx, &ids, sqlOperatorsCovering, pq.Array(chain)); err != nil {
		return nil, fmt.Errorf("finding operators covering a village: %w", err)
	}
	return ids, nil
}
