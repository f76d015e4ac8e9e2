package aspirations

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

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
)

// The invitation errors come from the shared invites table (package
// broadcast); they are the same values, so errors.Is works with either.
var (
	ErrInviteInvalid = broadcast.ErrInviteInvalid
	ErrInviteUsed    = broadcast.ErrInviteUsed
	ErrInviteExpired = broadcast.ErrInviteExpired
	// ErrAlreadyModerator: the redeemer already is a moderator; the code
	// stays valid.
	ErrAlreadyModerator = broadcast.ErrAlreadyInvited
)

// LinkCodeTTL is how long a group link code works.
const LinkCodeTTL = time.Hour

const moderatorColumns = `telegram_id, scope, group_chat_id, created_at`

// Inserting from the regions row makes the existence check and the insert
// one statement.
const sqlAddModerator = `
INSERT INTO moderators (telegram_id, scope, group_chat_id, added_by, created_at, updated_at)
SELECT $1, code, $3, $4, $5, $5 FROM regions WHERE code = $2
ON CONFLICT (telegram_id) DO UPDATE
SET scope = EXCLUDED.scope, group_chat_id = COALESCE(EXCLUDED.group_chat_id, moderators.group_chat_id),
    updated_at = EXCLUDED.updated_at
RETURNING ` + moderatorColumns

// AddModerator makes telegramID a moderator of scope (or moves an
// existing one there), optionally with the KIM's group chat. It is the
// CLI's `moderator add`. An unknown region is ErrNotFound.
func (s *Service) AddModerator(ctx context.Context, telegramID int64, scope region.Code, groupChatID *int64) error {
	_, err := addModerator(ctx, s.db, telegramID, scope, groupChatID, nil, s.now())
	return err
}

func addModerator(ctx context.Context, q sqlx.QueryerContext, id int64, scope region.Code, group, by *int64, now time.Time) (Moderator, error) {
	if id <= 0 || scope == "" {
		return Moderator{}, fmt.Errorf("moderator needs a telegram id and a region: %w", ErrForbidden)
	}
	var m Moderator
	err := sqlx.GetContext(ctx, q, &m, sqlAddModerator, id, string(scope), group, by, now)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("region %s: %w", scope, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("adding moderator: %w", err)
	}
	return m, nil
}

// Moderator returns the moderator with telegramID, or ErrNotFound.
func (s *Service) Moderator(ctx context.Context, telegramID int64) (Moderator, error) {
	var m Moderator
	err := s.db.GetContext(ctx, &m, `SELECT `+moderatorColumns+` FROM moderators WHERE telegram_id = $1`, telegramID)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("reading moderator: %w", err)
	}
	return m, nil
}

// RedeemInvite makes telegramID a moderator from a moderator invitation
// code (created by an operator: `kimbot operator invite --role moderator`
// or /undang), in one transaction with the code's redemption.
func (s *Service) RedeemInvite(ctx context.Context, code string, telegramID int64) (Moderator, error) {
	var m Moderator
	err := s.withTx(ctx, "redeeming moderator invite", func(tx *sqlx.Tx) error {
		var exists bool
		if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM moderators WHERE telegram_id = $1)`, telegramID); err != nil {
			return fmt.Errorf("checking moderator: %w", err)
		}
		if exists {
			return ErrAlreadyModerator
		}
		now := s.now()
		inv, err := broadcast.RedeemInviteTx(ctx, tx, code, broadcast.RoleModerator, telegramID, now)
		if err != nil {
			return err
		}
		m, err = addModerator(ctx, tx, telegramID, inv.Scope, nil, inv.CreatedBy, now)
		return err
	})
	return m, err
}

// linkAlphabet leaves out look-alikes; 6 symbols ≈ 30 bits, enough for a
// code that lives an hour and works once.
const linkAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newLinkCode() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	for i := range b {
		b[i] = linkAlphabet[int(b[i])%len(linkAlphabet)]
	}
	return "G" + string(b)
}

func linkHash(code string) []byte {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return sum[:]
}

const sqlCreateLinkCode = `
INSERT INTO moderator_link_codes (code_hash, moderator_id, created_at, expires_at)
SELECT $1, telegram_id, $3, $4 FROM moderators WHERE telegram_id = $2`

// CreateGroupLinkCode makes a one-time code (valid LinkCodeTTL) that the
// moderator sends in their KIM's group as /tautkan CODE. Only the code's
// hash is stored.
func (s *Service) CreateGroupLinkCode(ctx context.Context, actor Actor) (string, error) {
	if actor.Role != RoleModerator || actor.TelegramID == 0 {
		return "", ErrForbidden
	}
	code := newLinkCode()
	now := s.now()
	res, err := s.db.ExecContext(ctx, sqlCreateLinkCode, linkHash(code), actor.TelegramID, now, now.Add(LinkCodeTTL))
	if err != nil {
		return "", fmt.Errorf("creating link code: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", ErrNotModerator
	}
	return code, nil
}

const sqlUseLinkCode = `
UPDATE moderator_link_codes SET used_at = $2, used_chat_id = $3
WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
RETURNING moderator_id`

const sqlSetGroup = `
UPDATE moderators SET group_chat_id = $2, updated_at = $3 WHERE telegram_id = $1
RETURNING ` + moderatorColumns

// LinkGroup links the group chat where a link code was sent to the
// code's moderator: from now on their tickets are posted there. A code
// works once; unknown, used or expired codes are ErrLinkCode.
func (s *Service) LinkGroup(ctx context.Context, code string, groupChatID int64) (Moderator, error) {
	if groupChatID >= 0 {
		return Moderator{}, fmt.Errorf("linking a private chat: %w", ErrForbidden)
	}
	var m Moderator
	err := s.withTx(ctx, "linking group", func(tx *sqlx.Tx) error {
		now := s.now()
		var modID int64
		err := tx.GetContext(ctx, &modID, sqlUseLinkCode, linkHash(code), now, groupChatID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrLinkCode
		}
		if err != nil {
			return fmt.Errorf("using link code: %w", err)
		}
		return tx.GetContext(ctx, &m, sqlSetGroup, modID, groupChatID, now)
	})
	return m, err
}
