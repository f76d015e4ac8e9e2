package broadcast

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// Role is what an invitation code makes of the person who redeems it.
type Role string

// The roles an invitation can grant. Package broadcast redeems operator
// codes itself; package aspirations redeems moderator codes with
// RedeemInviteTx inside its own transaction and inserts into its own table.
const (
	RoleOperator  Role = "operator"
	RoleModerator Role = "moderator"
)

// InviteTTL is how long an invitation code can be redeemed.
const InviteTTL = 7 * 24 * time.Hour

// The ways a redemption can fail. The bot answers all of them kindly.
var (
	ErrInviteInvalid  = errors.New("invitation code unknown or for another role")
	ErrInviteUsed     = errors.New("invitation code already used")
	ErrInviteExpired  = errors.New("invitation code expired")
	ErrAlreadyInvited = errors.New("already holds this role")
)

// Invite is one invitation code's row; the code itself is never stored.
type Invite struct {
	ID         int64       `db:"id"`
	Role       Role        `db:"role"`
	Scope      region.Code `db:"scope"`
	CreatedBy  *int64      `db:"created_by"`
	CreatedAt  time.Time   `db:"created_at"`
	ExpiresAt  time.Time   `db:"expires_at"`
	RedeemedBy *int64      `db:"redeemed_by"`
	RedeemedAt *time.Time  `db:"redeemed_at"`
}

// Invites creates and redeems one-time invitation codes.
type Invites struct {
	db    *sqlx.DB
	clock message.Clock
}

// NewInvites returns a store over db.
func NewInvites(db *sqlx.DB, clock message.Clock) *Invites {
	return &Invites{db: db, clock: clock}
}

const inviteColumns = `id, role, scope, created_by, created_at, expires_at, redeemed_by, redeemed_at`

const sqlCreateInvite = `
INSERT INTO invites (code_hash, role, scope, created_by, created_at, expires_at)
SELECT $1, $2, code, $4, $5, $6 FROM regions WHERE code = $3
RETURNING ` + inviteColumns

// Create makes a one-time code that grants role for scope, which must lie
// inside by's own scope. The code (e.g. "KIM-7F3K-Q9XZ") is returned once;
// only its hash is kept. It expires after InviteTTL.
func (s *Invites) Create(ctx context.Context, by Operator, role Role, scope region.Code) (string, Invite, error) {
	var inv Invite
	if role != RoleOperator && role != RoleModerator {
		return "", inv, fmt.Errorf("unknown role %q", role)
	}
	if scope == "" || !by.Allows(scope) {
		return "", inv, ErrOutOfScope
	}
	code := newInviteCode()
	now := s.clock.Now().Truncate(time.Microsecond)
	err := s.db.GetContext(ctx, &inv, sqlCreateInvite, inviteHash(code), string(role), string(scope),
		by.createdBy(), now, now.Add(InviteTTL))
	if errors.Is(err, sql.ErrNoRows) {
		return "", inv, ErrUnknownRegion
	}
	if err != nil {
		return "", inv, fmt.Errorf("creating invite: %w", err)
	}
	return code, inv, nil
}

// Redeem turns an operator code into an operator row for telegramID, in
// one transaction: a code is redeemed at most once however many people
// race for it. Someone who already is an operator gets ErrAlreadyInvited
// and the code stays valid.
func (s *Invites) Redeem(ctx context.Context, code string, telegramID int64) (Invite, Operator, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Invite{}, Operator{}, fmt.Errorf("beginning redeem: %w", err)
	}
	defer tx.Rollback()
	now := s.clock.Now()
	inv, err := RedeemInviteTx(ctx, tx, code, RoleOperator, telegramID, now)
	if err != nil {
		return inv, Operator{}, err
	}
	// Checked after the code so that a moderator code is reported as
	// ErrInviteInvalid (the caller then tries it as a moderator code); the
	// rollback leaves the code unused.
	var exists bool
	if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM operators WHERE telegram_id = $1)`, telegramID); err != nil {
		return Invite{}, Operator{}, fmt.Errorf("checking operator: %w", err)
	}
	if exists {
		return Invite{}, Operator{}, ErrAlreadyInvited
	}
	inviter := Operator{Scope: inv.Scope}
	if inv.CreatedBy != nil {
		inviter.TelegramID = *inv.CreatedBy
	}
	op, err := addOperator(ctx, tx, inviter, telegramID, inv.Scope, now)
	if err != nil {
		return inv, op, err
	}
	if err := tx.Commit(); err != nil {
		return inv, op, fmt.Errorf("committing redeem: %w", err)
	}
	return inv, op, nil
}

const sqlRedeemInvite = `
UPDATE invites SET redeemed_by = $3, redeemed_at = $4
WHERE code_hash = $1 AND role = $2 AND redeemed_at IS NULL AND expires_at > $4
RETURNING ` + inviteColumns

// RedeemInviteTx consumes code for role inside the caller's transaction
// and returns the invite (its Scope is what to grant). The guarded UPDATE
// makes a second redemption fail with ErrInviteUsed even under a race.
// Package aspirations calls it with RoleModerator and then inserts the
// moderator in the same transaction.
func RedeemInviteTx(ctx context.Context, tx sqlx.ExtContext, code string, role Role, telegramID int64, now time.Time) (Invite, error) {
	var inv Invite
	hash := inviteHash(code)
	now = now.Truncate(time.Microsecond)
	err := sqlx.GetContext(ctx, tx, &inv, sqlRedeemInvite, hash, string(role), telegramID, now)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, whyNotRedeemable(ctx, tx, hash, role)
	}
	if err != nil {
		return inv, fmt.Errorf("redeeming invite: %w", err)
	}
	return inv, nil
}

func whyNotRedeemable(ctx context.Context, q sqlx.QueryerContext, hash []byte, role Role) error {
	var inv Invite
	err := sqlx.GetContext(ctx, q, &inv, `SELECT `+inviteColumns+` FROM invites WHERE code_hash = $1`, hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrInviteInvalid
	case err != nil:
		return fmt.Errorf("reading invite: %w", err)
	case inv.Role != role:
		return ErrInviteInvalid
	case inv.RedeemedAt != nil:
		return ErrInviteUsed
	default:
		return ErrInviteExpired
	}
}

// inviteAlphabet leaves out look-alikes (0/O, 1/I/L) so a code read aloud
// or copied from paper survives; 31 symbols, 8 of them ≈ 40 bits.
const inviteAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const inviteLen = 8

func newInviteCode() string {
	b := make([]byte, inviteLen)
	for i := range b {
		b[i] = inviteAlphabet[randIndex(len(inviteAlphabet))]
	}
	return "KIM-" + string(b[:4]) + "-" + string(b[4:])
}

// randIndex draws uniformly from [0, n) by rejection sampling.
func randIndex(n int) int {
	limit := 256 - 256%n
	var one [1]byte
	for {
		if _, err := rand.Read(one[:]); err != nil {
			panic("crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
		}
		if int(one[0]) < limit {
			return int(one[0]) % n
		}
	}
}

// NormalizeInviteCode accepts the code however it was typed ("kim 7f3k
// q9xz", "7F3KQ9XZ") and returns its canonical symbols.
func NormalizeInviteCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if len(out) == inviteLen+3 && strings.HasPrefix(out, "KIM") {
		out = out[3:]
	}
	return out
}

func inviteHash(code string) []byte {
	sum := sha256.Sum256([]byte(NormalizeInviteCode(code)))
	return sum[:]
}
