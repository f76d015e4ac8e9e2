package staff

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// LinkCodeTTL is how long a group link code works.
const LinkCodeTTL = time.Hour

// linkCodeLen symbols ≈ 30 bits: enough for a code that lives an hour and
// works once.
const linkCodeLen = 6

const sqlCreateLinkCode = `
INSERT INTO group_link_codes (code_hash, moderator_id, created_at, expires_at)
SELECT $1, telegram_id, $3, $4 FROM staff WHERE telegram_id = $2 AND role = 'moderator'`

// CreateGroupLinkCode makes a one-time code (valid LinkCodeTTL, e.g.
// "G7F3KQ9") that a moderator sends in their KIM's group as /tautkan CODE.
// Only the code's hash is stored. Anyone but a moderator gets ErrForbidden.
func (d *Directory) CreateGroupLinkCode(ctx context.Context, by Actor) (string, error) {
	if by.Role != RoleModerator || by.TelegramID == 0 {
		return "", ErrForbidden
	}
	code := "G" + randomSymbols(linkCodeLen)
	now := d.now()
	res, err := d.db.ExecContext(ctx, sqlCreateLinkCode, linkHash(code), by.TelegramID, now, now.Add(LinkCodeTTL))
	if err != nil {
		return "", fmt.Errorf("creating link code: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return "", ErrForbidden
	}
	return code, nil
}

func linkHash(code string) []byte {
	sum := sha256.Sum256([]byte(codeSymbols(code)))
	return sum[:]
}

const sqlUseLinkCode = `
UPDATE group_link_codes SET used_at = $2, used_chat_id = $3
WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
RETURNING moderator_id`

const sqlSetGroup = `
UPDATE staff SET group_chat_id = $2, group_thread_id = NULLIF($4, 0), updated_at = $3
WHERE telegram_id = $1 AND role = 'moderator'
RETURNING ` + memberColumns

// A group has one home for its posts: the other moderators linked to it
// follow the topic too.
const sqlSetGroupTopic = `
UPDATE staff SET group_thread_id = NULLIF($2, 0), updated_at = $3
WHERE role = 'moderator' AND group_chat_id = $1 AND group_thread_id IS DISTINCT FROM NULLIF($2, 0)`

// LinkGroup links the group chat (a negative id) where a link code was
// sent to the code's moderator: from now on their tickets are posted
// there, in forum topic thread (the topic the code was typed in; 0 for
// General or a group without topics), which becomes the topic of every
// moderator linked to that group. A code works once; unknown, used or
// expired codes are ErrLinkCode, a private chat ErrInvalid.
// Specs: https://core.telegram.org/bots/api#message (message_thread_id)
func (d *Directory) LinkGroup(ctx context.Context, code string, groupChatID int64, thread int) (Member, error) {
	var m Member
	if groupChatID >= 0 || thread < 0 {
		return m, fmt.Errorf("linking chat %d topic %d: %w", groupChatID, thread, ErrInvalid)
	}
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return m, fmt.Errorf("beginning group link: %w", err)
	}
	defer tx.Rollback()
	now := d.now()
	var modID int64
	err = tx.GetContext(ctx, &modID, sqlUseLinkCode, linkHash(code), now, groupChatID)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrLinkCode
	}
	if err != nil {
		return m, fmt.Errorf("using link code: %w", err)
	}
	if err := sqlx.GetContext(ctx, tx, &m, sqlSetGroup, modID, groupChatID, now, thread); err != nil {
		return m, fmt.Errorf("linking group: %w", err)
	}
	if _, err := tx.ExecContext(ctx, sqlSetGroupTopic, groupChatID, thread, now); err != nil {
		return m, fmt.Errorf("moving the group's posts to the topic: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return m, fmt.Errorf("committing group link: %w", err)
	}
	return m, nil
}

const sqlMoveGroup = `
UPDATE staff SET group_chat_id = $2, updated_at = $3 WHERE role = 'moderator' AND group_chat_id = $1`

// MoveGroup follows a KIM group that Telegram upgraded to a supergroup:
// every moderator linked to group chat from is linked to to instead, with
// the topic they had (a basic group has none, so in practice General). It
// is idempotent, and returns how many links moved. Both ids must be
// groups (negative).
// Specs: https://core.telegram.org/bots/api#message (migrate_to_chat_id)
func (d *Directory) MoveGroup(ctx context.Context, from, to int64) (int64, error) {
	if from >= 0 || to >= 0 || from == to {
		return 0, fmt.Errorf("moving group %d to %d: %w", from, to, ErrInvalid)
	}
	res, err := d.db.ExecContext(ctx, sqlMoveGroup, from, to, d.now())
	if err != nil {
		return 0, fmt.Errorf("moving group link: %w", err)
	}
	return res.RowsAffected()
}

// ModeratorsOfGroup returns the Telegram ids of the moderators whose KIM
// group is chatID: whom to reach privately when the group cannot be.
func (d *Directory) ModeratorsOfGroup(ctx context.Context, chatID int64) ([]int64, error) {
	var ids []int64
	err := d.db.SelectContext(ctx, &ids,
		`SELECT telegram_id FROM staff WHERE role = 'moderator' AND group_chat_id = $1 ORDER BY telegram_id`, chatID)
	if err != nil {
		return nil, fmt.Errorf("finding a group's moderators: %w", err)
	}
	return ids, nil
}

const sqlUnlinkGroup = `
UPDATE staff SET group_chat_id = NULL, updated_at = $2 WHERE role = 'moderator' AND group_chat_id = $1
RETURNING telegram_id`

// UnlinkGroup forgets group chatID as a KIM group (the bot was removed
// from it): its moderators' posts go to their private chats until they
// link a group again. It returns their Telegram ids.
func (d *Directory) UnlinkGroup(ctx context.Context, chatID int64) ([]int64, error) {
	var ids []int64
	if err := d.db.SelectContext(ctx, &ids, sqlUnlinkGroup, chatID, d.now()); err != nil {
		return nil, fmt.Errorf("unlinking a group: %w", err)
	}
	return ids, nil
}

const sqlDropGroupTopic = `
UPDATE staff SET group_thread_id = NULL, updated_at = $2 WHERE role = 'moderator' AND group_chat_id = $1 AND group_thread_id IS NOT NULL`

// DropGroupTopic forgets the forum topic of group chatID (Telegram says it
// no longer exists): its ticket posts go to the group's General from now
// on, until /tautkan names a topic again.
func (d *Directory) DropGroupTopic(ctx context.Context, chatID int64) error {
	if _, err := d.db.ExecContext(ctx, sqlDropGroupTopic, chatID, d.now()); err != nil {
		return fmt.Errorf("dropping a group's topic: %w", err)
	}
	return nil
}
