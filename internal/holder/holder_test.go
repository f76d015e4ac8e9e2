package holder

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/testenv"
)

func live(t *testing.T, db *sqlx.DB) []int64 {
	t.Helper()
	var ids []int64
	if err := db.Select(&ids, Live); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestLiveNamesTheLockClass(t *testing.T) {
	if !strings.Contains(Live, "classid = "+strconv.Itoa(lockClass)+" ") {
		t.Fatalf("Live does not test classid %d:\n%s", lockClass, Live)
	}
}

// A holder is live while it runs, not after Stop, and when PostgreSQL
// ends its session under it (a restart, say) it takes the same number
// back: the claims it still works on are its own.
func TestHolder_LiveUntilStoppedAndTakesItsNumberBack(t *testing.T) {
	db := testenv.DB(t)
	a, b := Start(db, nil), Start(db, nil)
	defer b.Stop()
	idA, idB := a.Current(), b.Current()
	if idA == 0 || idB == 0 || idA == idB {
		t.Fatalf("holders %d and %d: want two distinct numbers", idA, idB)
	}
	if got := live(t, db); !slices.Contains(got, idA) || !slices.Contains(got, idB) {
		t.Fatalf("live %v, want %d and %d", got, idA, idB)
	}
	a.Stop()
	if got := live(t, db); slices.Contains(got, idA) || !slices.Contains(got, idB) {
		t.Fatalf("after a.Stop live is %v, want only %d", got, idB)
	}

	old := lockPID(t, db, idB)
	var killed bool
	if err := db.Get(&killed, `SELECT pg_terminate_backend($1)`, old); err != nil || !killed {
		t.Fatalf("terminating b's session: %v %v", killed, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for pid := lockPID(t, db, idB); pid == old || pid == 0; pid = lockPID(t, db, idB) {
		if time.Now().After(deadline) {
			t.Fatalf("b has not taken %d back (Current %d) after its session ended", idB, b.Current())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if b.Current() != idB {
		t.Fatalf("b says %d, want its number %d back", b.Current(), idB)
	}
}

// lockPID is the backend holding holder id's lock in this database, 0 if
// none. Only this test's database: holder numbers repeat across
// databases, and a shared server may run other kimbots.
func lockPID(t *testing.T, db *sqlx.DB, id int64) int {
	t.Helper()
	var pid int
	err := db.Get(&pid, `SELECT COALESCE(max(pid), 0) FROM pg_locks
WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, lockClass, id)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// Holders in another database are not live here: tests and deployments
// that share a PostgreSQL server must not keep each other's claims.
func TestHolder_LiveIsPerDatabase(t *testing.T) {
	one, other := testenv.DB(t), testenv.DB(t)
	h := Start(other, nil)
	defer h.Stop()
	if got := live(t, one); slices.Contains(got, h.Current()) {
		t.Fatalf("holder %d of another database is live here: %v", h.Current(), got)
	}
}
