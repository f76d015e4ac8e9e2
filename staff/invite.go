package staff

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

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/region"
)

// InviteTTL is how long an invitation code can be redeemed.
const InviteTTL = 7 * 24 * time.Hour

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

const inviteColumns = `id, role, scope, created_by, created_at, expires_at, redeemed_by, redeemed_at`

const sqlCreateInvite = `
INSERT INTO invites (code_hash, role, scope, created_by, created_at, expires_at)
SELECT $1, $2, code, $4, $5, $6 FROM regions WHERE code = $3
RETURNING ` + inviteColumns

// CreateInvite makes a one-time code that grants role (operator or
// moderator) for scope, which must lie inside by's own scope; only
// operators invite. The code (e.g. "KIM-7F3K-Q9XZ") is returned once;
// only its SHA-256 is kept. It expires after InviteTTL.
func (d *Directory) CreateInvite(ctx context.Context, by Actor, role Role, scope region.Code) (string, Invite, error) {
	var inv Invite
	switch {
	case role != RoleOperator && role != RoleModerator:
		return "", inv, fmt.Errorf("role %q: %w", role, ErrInvalid)
	case !by.IsOperator():
		return "", inv, ErrForbidden
	case scope == "" || !by.Allows(scope):
		return "", inv, ErrOutOfScope
	}
	code := newInviteCode()
	now := d.now()
	err := d.audited(ctx, func(tx *sqlx.Tx) (audit.Entry, error) {
		err := tx.GetContext(ctx, &inv, sqlCreateInvite, inviteHash(code), string(role), string(scope),
			by.CreatedBy(), now, now.Add(InviteTTL))
		return by.Audit(now, "undang", scope, fmt.Sprintf("undangan #%d: %s", inv.ID, role)), err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", inv, ErrUnknownRegion
	}
	if err != nil {
		return "", inv, fmt.Errorf("creating invite: %w", err)
	}
	return code, inv, nil
}

const sqlRedeemInvite = `
UPDATE invites SET redeemed_by = $2, redeemed_at = $3
WHERE code_hash = $1 AND redeemed_at IS NULL AND expires_at > $3
RETURNING ` + inviteColumns

// Redeem gives telegramID the role and scope an invitation code grants,
// in one transaction with the code's use: a code works at most once
// however many people race for it. Someone who already holds that role
// gets ErrAlreadyInvited and the code stays valid; otherwise
// ErrInviteInvalid, ErrInviteUsed or ErrInviteExpired say why not.
func (d *Directory) Redeem(ctx context.Context, code string, telegramID int64) (Invite, Member, error) {
	var inv Invite
	var m Member
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return inv, m, fmt.Errorf("beginning redeem: %w", err)
	}
	defer tx.Rollback()
	now := d.now()
	hash := inviteHash(code)
	err = tx.GetContext(ctx, &inv, sqlRedeemInvite, hash, telegramID, now)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, m, whyNotRedeemable(ctx, tx, hash)
	}
	if err != nil {
		return inv, m, fmt.Errorf("redeeming invite: %w", err)
	}
	var holds bool
	err = tx.GetContext(ctx, &holds, `SELECT EXISTS (SELECT 1 FROM staff WHERE telegram_id = $1 AND role = $2)`,
		telegramID, string(inv.Role))
	if err != nil {
		return inv, m, fmt.Errorf("checking %s: %w", inv.Role, err)
	}
	if holds {
		return inv, m, ErrAlreadyInvited // the rollback leaves the code unused
	}
	if m, err = addMember(ctx, tx, inviter(inv), telegramID, inv.Role, inv.Scope, nil, now); err != nil {
		return inv, m, err
	}
	joined := Actor{Role: inv.Role, TelegramID: telegramID, Scope: inv.Scope}
	if err := audit.Write(ctx, tx, joined.Audit(now, "gabung", inv.Scope, fmt.Sprintf("undangan #%d", inv.ID))); err != nil {
		return inv, m, err
	}
	if err := tx.Commit(); err != nil {
		return inv, m, fmt.Errorf("committing redeem: %w", err)
	}
	return inv, m, nil
}

// inviter is who created inv, acting within the invite's own scope.
func inviter(inv Invite) Actor {
	if inv.CreatedBy == nil {
		return Admin()
	}
	return Actor{Role: RoleOperator, TelegramID: *inv.CreatedBy, Scope: inv.Scope}
}

func whyNotRedeemable(ctx context.Context, q sqlx.QueryerContext, hash []byte) error {
	var inv Invite
	err := sqlx.GetContext(ctx, q, &inv, `SELECT `+inviteColumns+` FROM invites WHERE code_hash = $1`, hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrInviteInvalid
	case err != nil:
		return fmt.Errorf("reading invite: %w", err)
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
	b := randomSymbols(inviteLen)
	return "KIM-" + b[:4] + "-" + b[4:]
}

// randomSymbols draws n symbols of inviteAlphabet uniformly (rejection
// sampling, so no symbol is likelier than another).
func randomSymbols(n int) string {
	out := make([]byte, n)
	limit := 256 - 256%len(inviteAlphabet)
	var one [1]byte
	for i := 0; i < n; {
		if _, err := rand.Read(one[:]); err != nil {
			panic("crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
		}
		if int(one[0]) < limit {
			out[i] = inviteAlphabet[int(one[0])%len(inviteAlphabet)]
			i++
		}
	}
	return string(out)
}

// codeSymbols keeps the letters and digits of s, upper-cased, so a code
// is accepted however it was typed ("kim 7f3k q9xz").
func codeSymbols(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NormalizeInviteCode accepts the code however it was typed ("kim 7f3k
// q9xz", "7F3KQ9XZ") and returns its canonical symbols.
func NormalizeInviteCode(s string) string {
	out := codeSymbols(s)
	if len(out) == inviteLen+3 && strings.HasPrefix(out, "KIM") {
		out = out[3:]
	}
	return out
}

func inviteHash(code string) []byte {
	sum := sha256.Sum256([]byte(NormalizeInviteCode(code)))
	return sum[:]
}
