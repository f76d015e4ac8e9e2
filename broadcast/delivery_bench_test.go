package broadcast_test

import (
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
)

// BenchmarkMaterialize1M times the fan-out of one province-wide run to
// 1,000,000 active subscribers spread over the real villages of Jawa Timur
// (35). Target: under 10 s.
//
//	go test -run '^$' -bench Materialize1M -benchtime 1x ./broadcast/
func BenchmarkMaterialize1M(b *testing.B) {
	const subscribers = 1_000_000
	db := testenv.DB(b)
	const seed = `
INSERT INTO subscribers (chat_id, village_code)
SELECT g, v.codes[1 + g % cardinality(v.codes)]
FROM generate_series(1, $1::bigint) g,
     (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 4 AND code LIKE '35.%') v`
	if _, err := db.Exec(seed, subscribers); err != nil {
		b.Fatalf("seeding: %v", err)
	}
	execSQL(b, db, `VACUUM ANALYZE subscribers`)
	execSQL(b, db, `CHECKPOINT`) // the seed's writes are not the fan-out's
	b.ResetTimer()
	var total time.Duration
	for range b.N {
		start := time.Now()
		_, n := newRun(b, db, "Peringatan dini banjir", true, start, "35")
		total += time.Since(start)
		if n != subscribers {
			b.Fatalf("materialised %d, want %d", n, subscribers)
		}
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(subscribers*b.N)/total.Seconds(), "rows/s")
}
