package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/audit"
)

// What an operator manages from the console's staff page: the
// invitations they and their colleagues made, and the roles of the
// people in their scope. Everything is filtered by the actor's scope; an
// invitation or a person outside it is ErrNotFound, as if it did not
// exist.

const sqlListInvites = `
SELECT ` + inviteColumns + ` FROM invites
WHERE ($1 = '' OR scope = $1 OR scope LIKE $2)
ORDER BY created_at DESC, id DESC LIMIT $3`

// maxInvites bounds the list: a scope's recent invitations, not its
// history.
const maxInvites = 200

// ListInvites returns the invitations for scopes inside by's scope,
// newest first (at most 200): open, redeemed (RedeemedBy says by whom)
// and expired or revoked ones alike. Only operators see them.
func (d *Directory) ListInvites(ctx context.Context, by Actor) ([]Invite, error) {
	if !by.IsOperator() {
		return nil, ErrForbidden
	}
	var out []Invite
	err := d.db.SelectContext(ctx, &out, sqlListInvites, string(by.Scope), by.Scope.LikePattern(), maxInvites)
	if err != nil {
		return nil, fmt.Errorf("listing invites: %w", err)
	}
	return out, nil
}

// Revoking makes the code expire now: Redeem refuses it from then on, and
// the row stays to show who made it.
const sqlRevokeInvite = `
UPDATE invites SET expires_at = $2
WHERE id = $1 AND redeemed_at IS NULL AND expires_at > $2 AND ($3 = '' OR scope = $3 OR scope LIKE $4)
RETURNING ` + inviteColumns

// RevokeInvite ends invitation id before anyone redeems it. An invitation
// outside by's scope, or none, is ErrNotFound; one already redeemed is
// ErrInviteUsed, one already expired (or revoked) ErrInviteExpired.
func (d *Directory) RevokeInvite(ctx context.Context, by Actor, id int64) (Invite, error) {
	var inv Invite
	if !by.IsOperator() {
		return inv, ErrForbidden
	}
	now := d.now()
	err := d.audited(ctx, func(tx *sqlx.Tx) (audit.Entry, error) {
		err := tx.GetContext(ctx, &inv, sqlRevokeInvite, id, now, string(by.Scope), by.Scope.LikePattern())
		return by.Audit(now, "cabut_undangan", inv.Scope, fmt.Sprintf("undangan #%d: %s", inv.ID, inv.Role)), err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return inv, d.whyNotRevoked(ctx, by, id)
	}
	if err != nil {
		return inv, fmt.Errorf("revoking invite: %w", err)
	}
	return inv, nil
}

func (d *Directory) whyNotRevoked(ctx context.Context, by Actor, id int64) error {
	var inv Invite
	err := d.db.GetContext(ctx, &inv, `SELECT `+inviteColumns+` FROM invites WHERE id = $1`, id)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && !by.Allows(inv.Scope):
		return ErrNotFound
	case err != nil:
		return fmt.Errorf("reading invite: %w", err)
	case inv.RedeemedAt != nil:
		return ErrInviteUsed
	default:
		return ErrInviteExpired
	}
}

const sqlRemoveMember = `
DELETE FROM staff WHERE telegram_id = $1 AND role = $2 AND ($3 = '' OR scope = $3 OR scope LIKE $4)
RETURNING ` + memberColumns

// Remove takes role away from telegramID, whose scope must lie inside
// by's (else ErrNotFound, as for someone who does not hold it). An
// operator cannot remove their own role (ErrForbidden): the last
// operator of a city would lock the office out. Their KIM group links go
// with a moderator's role; console sessions end at the next request.
func (d *Directory) Remove(ctx context.Context, by Actor, telegramID int64, role Role) (Member, error) {
	var m Member
	switch {
	case !by.IsOperator():
		return m, ErrForbidden
	case telegramID == by.TelegramID && role == by.Role:
		return m, ErrForbidden
	case role != RoleOperator && role != RoleModerator:
		return m, fmt.Errorf("role %q: %w", role, ErrInvalid)
	}
	err := d.audited(ctx, func(tx *sqlx.Tx) (audit.Entry, error) {
		err := tx.GetContext(ctx, &m, sqlRemoveMember, telegramID, string(role), string(by.Scope), by.Scope.LikePattern())
		return by.Audit(d.now(), "hapus_peran", m.Scope, fmt.Sprintf("%d: %s", m.TelegramID, m.Role)), err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("removing %s: %w", role, err)
	}
	return m, nil
}
