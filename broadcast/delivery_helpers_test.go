package broadcast_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
)

// seedSubscribers subscribes chats first..first+n-1 to village.
func seedSubscribers(t testing.TB, db *sqlx.DB, village string, first int64, n int) []int64 {
	t.Helper()
	const q = `INSERT INTO subscribers (chat_id, village_code) SELECT g, $1 FROM generate_series($2::bigint, $3::bigint) g`
	if _, err := db.Exec(q, village, first, first+int64(n)-1); err != nil {
		t.Fatalf("seeding subscribers: %v", err)
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	return ids
}

// newRun creates an announcement, a 'now' schedule and a sending run for
// targets with plain SQL, materialises its deliveries at at, and returns
// the run id and how many were queued.
func newRun(t testing.TB, db *sqlx.DB, text string, urgent bool, at time.Time, targets ...string) (int64, int) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var annID, schedID, runID int64
	must(t, tx.Get(&annID, `INSERT INTO announcements (text, urgent) VALUES ($1, $2) RETURNING id`, text, urgent))
	must(t, tx.Get(&schedID, `INSERT INTO schedules (announcement_id, targets, kind, tz, status, scope)
        VALUES ($1, $2, 'now', 'Asia/Jakarta', 'finished', '') RETURNING id`, annID, pq.StringArray(targets)))
	must(t, tx.Get(&runID, `INSERT INTO runs (schedule_id, fire_at, status, urgent, created_at)
        VALUES ($1, $2, 'sending', $3, $2) RETURNING id`, schedID, at, urgent))
	codes := make([]region.Code, len(targets))
	for i, c := range targets {
		codes[i] = region.Code(c)
	}
	n, err := broadcast.MaterializeDeliveriesForTest(ctx, tx, runID, codes, at)
	if err != nil {
		t.Fatalf("materialising: %v", err)
	}
	if _, err := tx.Exec(`UPDATE runs SET targeted = $2 WHERE id = $1`, runID, n); err != nil {
		t.Fatal(err)
	}
	must(t, tx.Commit())
	return runID, n
}

// deliveryCounts returns the run's deliveries by status.
func deliveryCounts(t testing.TB, db *sqlx.DB, runID int64) map[string]int {
	t.Helper()
	rows, err := db.Query(`SELECT status, count(*) FROM deliveries WHERE run_id = $1 GROUP BY status`, runID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		must(t, rows.Scan(&s, &n))
		out[s] = n
	}
	return out
}

func runStatus(t testing.TB, db *sqlx.DB, runID int64) string {
	t.Helper()
	var s string
	must(t, db.Get(&s, `SELECT status FROM runs WHERE id = $1`, runID))
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func execSQL(t testing.TB, db *sqlx.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
