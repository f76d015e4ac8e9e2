package region

import (
	"context"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// ErrQueryTooShort is returned for searches of fewer than three letters,
// which would match half the country.
var ErrQueryTooShort = errors.New("search needs at least 3 letters")

// Match is a village found by name, with the names that tell apart the
// many villages sharing one name ("Sukamaju" exists hundreds of times).
type Match struct {
	Region
	District string `db:"district"`
	Regency  string `db:"regency"`
}

// sqlSearchVillages ranks exact and prefix matches of the folded name
// first, then trigram similarity, so typos ("tlogomass") and spacing
// ("tlogo mas") still find the village. The % operator uses the GIN
// trigram index; the threshold is set per transaction.
const sqlSearchVillages = `
WITH hits AS (
    SELECT v.code, v.parent_code, v.name,
        CASE WHEN v.search_name = $1 THEN 2.0
             WHEN v.search_name LIKE $1 || '%' THEN 1.5
             ELSE similarity(v.search_name, $1) END AS score
    FROM regions v
    WHERE v.level = 4 AND (v.search_name % $1 OR v.search_name LIKE $1 || '%')
      AND ($2 = '' OR v.code LIKE $3)
    ORDER BY score DESC, v.name
    LIMIT $4
)
SELECT h.code, h.parent_code, 4 AS level, h.name, d.name AS district, r.name AS regency
FROM hits h
JOIN regions d ON d.code = h.parent_code
JOIN regions r ON r.code = d.parent_code
ORDER BY h.score DESC, h.name, h.code`

// SearchVillages finds villages whose name resembles query, inside within
// ("" = anywhere), best first.
func (s *Store) SearchVillages(ctx context.Context, query string, within Code, limit int) ([]Match, error) {
	key := SearchKey(query)
	if len([]rune(key)) < 3 {
		return nil, ErrQueryTooShort
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("searching villages: %w", err)
	}
	defer tx.Rollback()
	// 0.3 is pg_trgm's default; short folded names need a little less.
	if _, err := tx.ExecContext(ctx, "SET LOCAL pg_trgm.similarity_threshold = 0.25"); err != nil {
		return nil, fmt.Errorf("searching villages: %w", err)
	}
	var matches []Match
	if err := tx.SelectContext(ctx, &matches, sqlSearchVillages, key, string(within), within.LikePattern(), limit); err != nil {
		return nil, fmt.Errorf("searching villages: %w", err)
	}
	return matches, nil
}

func pqArray(s []string) any { return pq.Array(s) }
