package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/kimbot/kimbot/internal/pgsafe"
)

// LinkTTL is how long a sign-in link may be used (issue 11: 10 minutes).
const LinkTTL = 10 * time.Minute

// Link requests per person: at most linkBurst within linkWindow, so a
// stolen Telegram session or a script cannot mint links without end.
const (
	linkBurst  = 5
	linkWindow = 10 * time.Minute
)

// Errors of sign-in links.
var (
	// ErrTooManyLinks: the person asked for linkBurst links within
	// linkWindow.
	ErrTooManyLinks = errors.New("console: too many sign-in links asked for")
	// ErrLinkInvalid: the token is unknown, spent or expired.
	ErrLinkInvalid = errors.New("console: sign-in link unknown, used or expired")
)

// tokenBytes is the entropy of a link's token: 32 random bytes, 43
// characters of base64url.
const tokenBytes = 32

const sqlCountRecentLinks = `
SELECT count(*) FROM console_links WHERE telegram_id = $1 AND created_at > $2`

const sqlInsertLink = `
INSERT INTO console_links (token_hash, telegram_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`

// NewLink makes a one-time sign-in link for telegramID (name is how the
// console greets them) and returns its URL under the public URL. It does
// not check that the person is staff: the bot and the CLI decide who
// gets one, and signing in checks the role again.
func (c *Console) NewLink(ctx context.Context, telegramID int64, name string) (string, error) {
	if telegramID <= 0 {
		return "", fmt.Errorf("console: no sign-in link for telegram id %d", telegramID)
	}
	now := c.clock.Now()
	var recent int
	if err := c.db.GetContext(ctx, &recent, sqlCountRecentLinks, telegramID, now.Add(-linkWindow)); err != nil {
		return "", fmt.Errorf("console: counting sign-in links: %w", err)
	}
	if recent >= linkBurst {
		return "", ErrTooManyLinks
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("console: making a token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	hash := sha256.Sum256([]byte(token))
	_, err := c.db.ExecContext(ctx, sqlInsertLink, hash[:], telegramID, pgsafe.Text(name, 200), now, now.Add(LinkTTL))
	if err != nil {
		return "", fmt.Errorf("console: storing a sign-in link: %w", err)
	}
	return c.cfg.PublicURL + "/masuk/" + token, nil
}

// linkHolder is who a valid link was made for.
type linkHolder struct {
	TelegramID int64  `db:"telegram_id"`
	Name       string `db:"name"`
}

const sqlPeekLink = `
SELECT telegram_id, name FROM console_links
WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`

// sqlSpendLink spends the link in the statement that reads it, so of two
// confirmations of one link exactly one signs in.
const sqlSpendLink = `
UPDATE console_links SET used_at = $2
WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
RETURNING telegram_id, name`

// peekLink says whom a token is for without spending it (the page that
// asks for confirmation; a link preview fetches only that).
func (c *Console) peekLink(ctx context.Context, token string) (linkHolder, error) {
	return c.readLink(ctx, sqlPeekLink, token)
}

// spendLink uses a token up and says whom it was for.
func (c *Console) spendLink(ctx context.Context, token string) (linkHolder, error) {
	return c.readLink(ctx, sqlSpendLink, token)
}

func (c *Console) readLink(ctx context.Context, query, token string) (linkHolder, error) {
	if !validToken(token) {
		return linkHolder{}, ErrLinkInvalid
	}
	hash := sha256.Sum256([]byte(token))
	var h linkHolder
	err := c.db.GetContext(ctx, &h, query, hash[:], c.clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return linkHolder{}, ErrLinkInvalid
	}
	if err != nil {
		return linkHolder{}, fmt.Errorf("console: reading a sign-in link: %w", err)
	}
	return h, nil
}

// validToken reports whether token has the shape NewLink makes, so that
// nothing else reaches the database.
func validToken(token string) bool {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil
}

// ChatLinker is NewLink as the bot's /masuk takes it (bot.SignInLinker):
// "" and no error when the person asked for too many links, which the bot
// answers with advice rather than as a failure.
type ChatLinker struct{ Console *Console }

// NewLink is Console.NewLink with ErrTooManyLinks as "".
func (l ChatLinker) NewLink(ctx context.Context, telegramID int64, name string) (string, error) {
	link, err := l.Console.NewLink(ctx, telegramID, name)
	if errors.Is(err, ErrTooManyLinks) {
		return "", nil
	}
	return link, err
}
