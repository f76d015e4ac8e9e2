package region

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// ErrNotFound is returned when a region code is not in the table.
var ErrNotFound = errors.New("region not found")

// Store reads the regions table.
type Store struct{ db *sqlx.DB }

// NewStore returns a Store over db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

const sqlGetRegion = `SELECT code, COALESCE(parent_code, '') AS parent_code, level, name FROM regions WHERE code = $1`

// Get returns one region.
func (s *Store) Get(ctx context.Context, code Code) (Region, error) {
	var r Region
	err := s.db.GetContext(ctx, &r, sqlGetRegion, string(code))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("getting region: %w", err)
	}
	return r, nil
}

const sqlChildren = `
SELECT code, COALESCE(parent_code, '') AS parent_code, level, name, count(*) OVER () AS total
FROM regions WHERE parent_code = $1 OR ($1 = '' AND parent_code IS NULL)
ORDER BY name, code
OFFSET $2 LIMIT $3`

// Children lists the regions directly inside parent ("" lists the
// provinces), ordered by name, one page at a time.
func (s *Store) Children(ctx context.Context, parent Code, offset, limit int) ([]Region, int, error) {
	var rows []struct {
		Region
		Total int `db:"total"`
	}
	if err := s.db.SelectContext(ctx, &rows, sqlChildren, string(parent), offset, limit); err != nil {
		return nil, 0, fmt.Errorf("listing regions: %w", err)
	}
	regions := make([]Region, len(rows))
	total := 0
	for i, r := range rows {
		regions[i], total = r.Region, r.Total
	}
	if len(rows) == 0 && offset > 0 {
		_, total, err := s.Children(ctx, parent, 0, 1)
		return nil, total, err
	}
	return regions, total, nil
}

const sqlPath = `
SELECT code, COALESCE(parent_code, '') AS parent_code, level, name FROM regions
WHERE code = ANY($1) ORDER BY level`

// Path returns the chain from the province down to code.
func (s *Store) Path(ctx context.Context, code Code) ([]Region, error) {
	var chain []string
	for c := code; c != ""; c = c.Parent() {
		chain = append(chain, string(c))
	}
	var rows []Region
	if err := s.db.SelectContext(ctx, &rows, sqlPath, pqArray(chain)); err != nil {
		return nil, fmt.Errorf("reading region path: %w", err)
	}
	if len(rows) != len(chain) {
		return nil, ErrNotFound
	}
	return rows, nil
}

const sqlCountVillages = `SELECT count(*) FROM regions WHERE level = 4 AND (code = $1 OR code LIKE $2)`

// CountVillages counts the villages inside within ("" = all).
func (s *Store) CountVillages(ctx context.Context, within Code) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, sqlCountVillages, string(within), within.LikePattern()); err != nil {
		return 0, fmt.Errorf("counting villages: %w", err)
	}
	return n, nil
}

// Villages lists every village inside within, ordered by code.
func (s *Store) Villages(ctx context.Context, within Code) ([]Region, error) {
	var rows []Region
	const q = `SELECT code, COALESCE(parent_code, '') AS parent_code, level, name FROM regions
WHERE level = 4 AND (code = $1 OR code LIKE $2) ORDER BY code`
	if err := s.db.SelectContext(ctx, &rows, q, string(within), within.LikePattern()); err != nil {
		return nil, fmt.Errorf("listing villages: %w", err)
	}
	return rows, nil
}

// sqlNamed finds regions of one level by their folded name (SearchKey),
// optionally only under a parent of a given folded name: the exact
// matching a spreadsheet import needs, where search would guess.
const sqlNamed = `
SELECT r.code, COALESCE(r.parent_code, '') AS parent_code, r.level, r.name,
    COALESCE(p.name, '') AS district, COALESCE(g.name, '') AS regency
FROM regions r
LEFT JOIN regions p ON p.code = r.parent_code
LEFT JOIN regions g ON g.code = p.parent_code
WHERE r.level = $1 AND r.search_name = $2 AND ($3 = '' OR p.search_name = $3)
  AND ($4 = '' OR r.code = $4 OR r.code LIKE $5)
ORDER BY r.code LIMIT 20`

// Named returns the regions of level named name (compared by SearchKey)
// inside within, under a parent named parent when it is not empty; for a
// village the Match's District is its kecamatan, for a kecamatan its
// regency. At most 20 are returned.
func (s *Store) Named(ctx context.Context, level Level, name, parent string, within Code) ([]Match, error) {
	var out []Match
	err := s.db.SelectContext(ctx, &out, sqlNamed, int(level), SearchKey(name), SearchKey(parent), string(within),
		within.LikePattern())
	if err != nil {
		return nil, fmt.Errorf("finding regions by name: %w", err)
	}
	return out, nil
}
