package testenv

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// DatabaseAway makes db's database unreachable for d, as a PostgreSQL
// restart or a network cut would: it closes every connection to it and
// refuses new ones, then lets them in again. It returns at once.
func DatabaseAway(t testing.TB, db *sqlx.DB, d time.Duration) {
	t.Helper()
	var name string
	if err := db.Get(&name, "SELECT current_database()"); err != nil {
		t.Fatal(err)
	}
	admin := openAdmin(t) // a connection to the server's admin database
	quoted := pq.QuoteIdentifier(name)
	if _, err := admin.Exec(`ALTER DATABASE ` + quoted + ` ALLOW_CONNECTIONS false`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer admin.Close()
		time.Sleep(d)
		if _, err := admin.Exec(`ALTER DATABASE ` + quoted + ` ALLOW_CONNECTIONS true`); err != nil {
			t.Errorf("letting connections in again: %v", err)
		}
	}()
}
