package aspirations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// Canned answer limits, in characters.
const (
	MaxCannedTitle = 40
	MaxCanned      = 50
)

const sqlSaveCanned = `
INSERT INTO aspiration_canned (owner_id, scope, title, text, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
ON CONFLICT (owner_id, title) DO UPDATE SET text = EXCLUDED.text, scope = EXCLUDED.scope, updated_at = EXCLUDED.updated_at`

// SaveCanned saves (or replaces, by title) one of the actor's canned
// answers. Staff only.
func (s *Service) SaveCanned(ctx context.Context, actor staff.Actor, title, text string) error {
	if !actor.IsStaff() || actor.TelegramID == 0 {
		return ErrForbidden
	}
	title, text = message.TrimInvisible(title), message.TrimInvisible(text)
	if message.ContentLen(title) == 0 || message.ContentLen(text) == 0 {
		return ErrTextTooShort
	}
	if n := message.UTF16Len(title); n > MaxCannedTitle {
		return &TooLongError{Len: n, Max: MaxCannedTitle}
	}
	if err := checkText(text, 1); err != nil {
		return err
	}
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM aspiration_canned WHERE owner_id = $1`, actor.TelegramID); err != nil {
		return fmt.Errorf("counting canned answers: %w", err)
	}
	if n >= MaxCanned {
		return ErrFlood
	}
	if _, err := s.db.ExecContext(ctx, sqlSaveCanned, actor.TelegramID, string(actor.Scope), title, text, s.now()); err != nil {
		return fmt.Errorf("saving canned answer: %w", err)
	}
	return nil
}

// A KIM shares its canned answers: the actor sees their own and those
// saved by colleagues with exactly the same scope.
const sqlCanned = `
SELECT id, owner_id, scope, title, text, created_at FROM aspiration_canned
WHERE owner_id = $1 OR scope = $2 ORDER BY title, id LIMIT 100`

// Canned lists the canned answers the actor may use.
func (s *Service) Canned(ctx context.Context, actor staff.Actor) ([]Canned, error) {
	if !actor.IsStaff() || actor.TelegramID == 0 {
		return nil, ErrForbidden
	}
	var out []Canned
	if err := s.db.SelectContext(ctx, &out, sqlCanned, actor.TelegramID, string(actor.Scope)); err != nil {
		return nil, fmt.Errorf("listing canned answers: %w", err)
	}
	return out, nil
}

// CannedByID returns one canned answer the actor may use (for the
// ActionCannedPick button), or ErrNotFound.
func (s *Service) CannedByID(ctx context.Context, actor staff.Actor, id int64) (Canned, error) {
	if !actor.IsStaff() || actor.TelegramID == 0 {
		return Canned{}, ErrForbidden
	}
	var c Canned
	err := s.db.GetContext(ctx, &c, `SELECT id, owner_id, scope, title, text, created_at FROM aspiration_canned
WHERE id = $1 AND (owner_id = $2 OR scope = $3)`, id, actor.TelegramID, string(actor.Scope))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("reading canned answer: %w", err)
	}
	return c, nil
}
