package region

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lib/pq"
)

// ErrQueryTooShort is returned for searches of fewer than three letters,
// which would match half the country.
var ErrQueryTooShort = errors.New("search needs at least 3 letters")

// ErrQueryTooLong is returned, before any SQL runs, for searches longer
// than any village name with its district or city could be
// (MaxQueryRunes, MaxQueryWords): a 4,095-character message of short
// words once cost 20 s of database time, one split of the words per word.
var ErrQueryTooLong = errors.New("search query longer than any village name")

// ErrSearchTimeout is returned when a search used up its time budget
// (SearchTimeout): a database too busy or locked to answer at once.
var ErrSearchTimeout = errors.New("village search took too long")

// The longest query worth searching, from the shipped Kemendagri data
// (region/data): the longest village name has 44 characters ("Kampuang
// Tanjuang Koto Mambang Sungai Durian") and the longest city or regency
// 42 ("KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO"), so "village city"
// is at most 87; the most words in a village name are 6 ("Matang
// Glumpang Dua Mns. Timu (X)") and in a regency 5 ("KABUPATEN OGAN
// KOMERING ULU TIMUR"), 11 together. TestCheckQuery_EveryVillageFits
// checks every village against these caps.
const (
	MaxQueryRunes = 100
	MaxQueryWords = 12
)

// SearchTimeout is the most one search may take, all its statements
// together; lib/pq cancels the running statement on the server when the
// context ends. A search is a few milliseconds (README, Benchmarks).
const SearchTimeout = 2 * time.Second

// CheckQuery says whether query is worth searching: ErrQueryTooShort for
// fewer than three letters or digits, ErrQueryTooLong for more than
// MaxQueryRunes characters or MaxQueryWords words, else nil.
func CheckQuery(query string) error {
	query = strings.TrimSpace(query)
	if utf8.RuneCountInString(query) > MaxQueryRunes || len(strings.FieldsFunc(query, notSearchable)) > MaxQueryWords {
		return ErrQueryTooLong
	}
	if utf8.RuneCountInString(SearchKey(query)) < 3 {
		return ErrQueryTooShort
	}
	return nil
}

// Match is a village found by name, with the names that tell apart the
// many villages sharing one name ("Sukamaju" exists hundreds of times).
type Match struct {
	Region
	District string `db:"district"`
	Regency  string `db:"regency"`
}

// maxSearchLimit caps one page of search results.
const maxSearchLimit = 50

// sqlSearchVillages looks for villages by their folded name ("tlogo mas"
// and "TLOGOMAS" are both "tlogomas"). Exact and prefix matches come first,
// from a btree, shortest first ("Tlogo" before "Tlogomas"), and
// only when there is none does the trigram index look for similar names
// (typos: "tlogomass", "tlogmas"), best first. The % operator uses
// pg_trgm's similarity threshold (0.3 by default).
//
// $1 folded query, $2 its prefix pattern, $3 within, $4 within's LIKE
// pattern, $5 limit, $6 whether to look for similar names at all.
const sqlSearchVillages = `
WITH prefixed AS (
    SELECT code, parent_code, name,
        CASE WHEN search_name = $1 THEN 3.0 ELSE 2.0 END - length(search_name) / 1000.0 AS score
    FROM regions
    WHERE level = 4 AND search_name LIKE $2 AND (code = $3 OR code LIKE $4)
    ORDER BY score DESC, name, code
    LIMIT $5
), resembling AS (
    SELECT code, parent_code, name, similarity(search_name, $1) AS score
    FROM regions
    WHERE $6 AND NOT EXISTS (SELECT 1 FROM prefixed)
      AND level = 4 AND search_name % $1 AND (code = $3 OR code LIKE $4)
    ORDER BY score DESC, name, code
    LIMIT $5
), hits AS (
    SELECT * FROM prefixed UNION ALL SELECT * FROM resembling
)
SELECT h.code, h.parent_code, 4 AS level, h.name, d.name AS district, r.name AS regency
FROM hits h
JOIN regions d ON d.code = h.parent_code
JOIN regions r ON r.code = d.parent_code
ORDER BY h.score DESC, h.name, h.code`

// sqlSearchVillagesIn finds villages whose name starts with $1 and whose
// district or regency name contains $2: "tlogomas malang" is Tlogomas in
// Kota Malang. Places named by the query ("Kabupaten Malang", "Kota
// Malang") come before those that merely contain it ("Pemalang").
const sqlSearchVillagesIn = `
SELECT v.code, v.parent_code, 4 AS level, v.name, d.name AS district, r.name AS regency
FROM regions v
JOIN regions d ON d.code = v.parent_code
JOIN regions r ON r.code = d.parent_code
WHERE v.level = 4 AND v.search_name LIKE $1 AND (v.code = $3 OR v.code LIKE $4)
  AND (d.search_name LIKE $2 OR r.search_name LIKE $2)
ORDER BY d.search_name LIKE $7 || '%' OR r.search_name LIKE $7 || '%'
      OR r.search_name IN ('kota' || $7, 'kabupaten' || $7) DESC,
    v.search_name = $5 DESC, length(v.search_name), v.name, v.code
LIMIT $6`

// SearchVillages finds villages whose name resembles query inside within
// ("" = anywhere), best first, at most limit (1 to 50) of them. It
// forgives case, spaces, punctuation and small typos, and a query of
// several words may end with the district or city ("sumbersari malang").
// Queries CheckQuery refuses return its error without touching the
// database; a search that takes longer than SearchTimeout is cancelled
// and returns ErrSearchTimeout.
//
// Names that start with the query come first; then, for several words,
// the village in the named place (at most MaxQueryWords-1 splits); only
// then similar names, the one slow path (a trigram index scan, a few
// milliseconds).
func (s *Store) SearchVillages(ctx context.Context, query string, within Code, limit int) ([]Match, error) {
	if err := CheckQuery(query); err != nil {
		return nil, err
	}
	bctx, cancel := context.WithTimeout(ctx, SearchTimeout)
	defer cancel()
	matches, err := s.searchVillages(bctx, query, within, max(1, min(limit, maxSearchLimit)))
	if err != nil && ctx.Err() == nil && errors.Is(bctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w: %w", ErrSearchTimeout, err)
	}
	return matches, err
}

func (s *Store) searchVillages(ctx context.Context, query string, within Code, limit int) ([]Match, error) {
	key := SearchKey(query)
	if len(strings.FieldsFunc(query, notSearchable)) < 2 {
		return s.searchByName(ctx, key, within, limit, true)
	}
	matches, err := s.searchByName(ctx, key, within, limit, false)
	if err != nil || len(matches) > 0 {
		return matches, err
	}
	if matches, err = s.searchWithPlace(ctx, query, within, limit); err != nil || len(matches) > 0 {
		return matches, err
	}
	return s.searchByName(ctx, key, within, limit, true)
}

// searchByName runs sqlSearchVillages; similar asks for similar names
// when no name starts with key.
func (s *Store) searchByName(ctx context.Context, key string, within Code, limit int, similar bool) ([]Match, error) {
	var matches []Match
	err := s.db.SelectContext(ctx, &matches, sqlSearchVillages,
		key, key+"%", string(within), within.LikePattern(), limit, similar)
	if err != nil {
		return nil, fmt.Errorf("searching villages: %w", err)
	}
	return matches, nil
}

func notSearchable(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// searchWithPlace splits a query of several words into a village name and
// the district or city it lies in, trying the longest village name first.
func (s *Store) searchWithPlace(ctx context.Context, query string, within Code, limit int) ([]Match, error) {
	words := strings.FieldsFunc(query, notSearchable)
	for i := len(words) - 1; i >= 1; i-- {
		village, place := SearchKey(strings.Join(words[:i], "")), SearchKey(strings.Join(words[i:], ""))
		if len(village) < 3 || len(place) < 3 {
			continue
		}
		var matches []Match
		err := s.db.SelectContext(ctx, &matches, sqlSearchVillagesIn,
			village+"%", "%"+place+"%", string(within), within.LikePattern(), village, limit, place)
		if err != nil {
			return nil, fmt.Errorf("searching villages by place: %w", err)
		}
		if len(matches) > 0 {
			return matches, nil
		}
	}
	return nil, nil
}

func pqArray(s []string) any { return pq.Array(s) }
