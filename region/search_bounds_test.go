package region_test

import (
	"context"
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/region"
)

// randomWords is what issue 10 saw a stranger send: n characters of
// random three-letter words.
func randomWords(n int) string {
	rng := rand.New(rand.NewSource(10))
	var b strings.Builder
	for b.Len()+4 <= n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		for range 3 {
			b.WriteByte(byte('a' + rng.Intn(26)))
		}
	}
	return b.String()
}

// TestCheckQuery_EveryVillageFits: the caps come from the data. Every
// village of Indonesia typed with its district, and with its city or
// regency, is a query the search takes.
func TestCheckQuery_EveryVillageFits(t *testing.T) {
	db := testenv.DB(t)
	var rows []struct {
		Village  string `db:"village"`
		District string `db:"district"`
		Regency  string `db:"regency"`
	}
	err := db.Select(&rows, `
SELECT v.name AS village, d.name AS district, r.name AS regency
FROM regions v JOIN regions d ON d.code = v.parent_code JOIN regions r ON r.code = d.parent_code
WHERE v.level = 4`)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 80000 {
		t.Fatalf("only %d villages imported", len(rows))
	}
	for _, r := range rows {
		for _, q := range []string{r.Village + " " + r.District, r.Village + " " + r.Regency} {
			if err := region.CheckQuery(q); err != nil && !(errors.Is(err, region.ErrQueryTooShort) && len(region.SearchKey(q)) < 3) {
				t.Fatalf("CheckQuery(%q) = %v", q, err)
			}
		}
	}
}

// TestStore_SearchVillages_TooLong: issue 10's 4,095 characters of
// random three-letter words, and anything over the caps, are refused
// before any SQL runs (the store's database is closed, so a statement
// would fail with another error).
func TestStore_SearchVillages_TooLong(t *testing.T) {
	db := testenv.DB(t)
	s := region.NewStore(db)
	if _, err := s.SearchVillages(context.Background(), "tlogomas", "", 8); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tooLong := []string{
		randomWords(4095),
		strings.Repeat("abc ", region.MaxQueryWords) + "abc",                                  // one word too many
		strings.Repeat("a", region.MaxQueryRunes+1),                                           // one character too many
		strings.Repeat("é", region.MaxQueryRunes/2) + " " + randomWords(region.MaxQueryRunes), // runes, not bytes
	}
	for _, q := range tooLong {
		if _, err := s.SearchVillages(context.Background(), q, "", 8); !errors.Is(err, region.ErrQueryTooLong) {
			t.Errorf("SearchVillages(%.40q…, %d runes) = %v, want ErrQueryTooLong", q, len([]rune(q)), err)
		}
	}
	// At the caps the search runs (and here fails on the closed database).
	atCaps := strings.TrimSpace(strings.Repeat("abcdefg ", region.MaxQueryWords))
	if _, err := s.SearchVillages(context.Background(), atCaps, "", 8); err == nil || errors.Is(err, region.ErrQueryTooLong) {
		t.Errorf("a query at the caps was not searched: %v", err)
	}
}

// TestStore_SearchVillages_Timeout: a search the database cannot answer
// (here the regions table is locked) ends after SearchTimeout with
// ErrSearchTimeout, so it never holds a worker longer.
func TestStore_SearchVillages_Timeout(t *testing.T) {
	db := testenv.DB(t)
	s := region.NewStore(db)
	tx, err := db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.Exec(`LOCK TABLE regions IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	// The outer deadline is only a correctness bound, far above the budget.
	ctx, cancel := context.WithTimeout(context.Background(), 10*region.SearchTimeout)
	defer cancel()
	start := time.Now()
	_, err = s.SearchVillages(ctx, "tlogomas", "", 8)
	if !errors.Is(err, region.ErrSearchTimeout) {
		t.Fatalf("SearchVillages on a locked table = %v after %v, want ErrSearchTimeout", err, time.Since(start))
	}
	if ctx.Err() != nil {
		t.Fatalf("the search ran until the outer deadline")
	}
}
