package aspirations_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// latencies collects per-call durations and reports percentiles.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B) {
	slices.Sort(l.d)
	if len(l.d) == 0 {
		return
	}
	at := func(p float64) float64 {
		return float64(l.d[min(len(l.d)-1, int(p*float64(len(l.d))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50_ms")
	b.ReportMetric(at(0.99), "p99_ms")
}

// sqlSeed100k spreads 100,000 tickets over the 57 villages of Kota Malang
// (about 1,750 each, a heavy load for one KIM): 20% baru, 10% diproses,
// 10% diteruskan, 10% ditolak, 50% dijawab, one a minute back in time.
const sqlSeed100k = `
WITH v AS (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 4 AND code LIKE '35.73.%')
INSERT INTO aspiration_tickets (number, resident_chat, village_code, category, text, status, claimed_by,
    created_at, updated_at, queued_at, claim_deadline)
SELECT 'ASP-2025-' || lpad(g::text, 6, '0'), 100000 + g % 5000, v.codes[1 + g % array_length(v.codes, 1)],
    (ARRAY['infrastruktur','layanan_publik','kesehatan','pendidikan','keamanan','cek_hoaks','lainnya'])[1 + g % 7],
    'Aspirasi untuk benchmark nomor ' || g,
    CASE WHEN g % 10 < 2 THEN 'baru' WHEN g % 10 = 2 THEN 'diproses' WHEN g % 10 = 3 THEN 'diteruskan'
         WHEN g % 10 = 4 THEN 'ditolak' ELSE 'dijawab' END,
    CASE WHEN g % 10 = 2 THEN 100 + g % 50 END,
    now() - make_interval(mins => g), now(), now() - make_interval(mins => g),
    CASE WHEN g % 10 = 2 THEN now() + interval '1 day' END
FROM generate_series(1, 100000) g, v`

// BenchmarkQueue100k times /antrian's query (first page of 10, with the
// total) with 100,000 tickets in the database.
func BenchmarkQueue100k(b *testing.B) {
	db := testenv.DB(b)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, sqlSeed100k); err != nil {
		b.Fatal(err)
	}
	// Autovacuum would do this within a minute of such a bulk insert; the
	// visibility map lets counts be index-only.
	if _, err := db.ExecContext(ctx, `VACUUM ANALYZE aspiration_tickets`); err != nil {
		b.Fatal(err)
	}
	svc := aspirations.NewService(db, nil, "", message.SystemClock{}, nil, aspirations.Config{})
	for _, c := range []struct {
		name  string
		actor staff.Actor
	}{
		{"village_moderator", actorModA},
		{"district_moderator", actorModDist},
		{"city_operator", actorOpCity},
	} {
		b.Run(c.name, func(b *testing.B) {
			var l latencies
			var total int
			for b.Loop() {
				t0 := time.Now()
				ts, n, err := svc.Queue(ctx, c.actor, nil, 0, 10)
				l.add(time.Since(t0))
				if err != nil || len(ts) != 10 {
					b.Fatalf("queue: %d tickets, %v", len(ts), err)
				}
				total = n
			}
			l.report(b)
			b.ReportMetric(float64(total), "queue_len")
		})
	}
}

// BenchmarkFile times Service.File (validation, Redis flood check, the
// numbered insert, the event and the queued posts) from 8 goroutines.
func BenchmarkFile(b *testing.B) {
	db := testenv.DB(b)
	rdb, prefix := testenv.Redis(b)
	ctx := context.Background()
	svc := aspirations.NewService(db, rdb, prefix, message.SystemClock{}, nil, aspirations.Config{})
	ga, gd := groupA, groupDist
	addStaff(b, db, staff.RoleModerator, modA, villageA, &ga)
	addStaff(b, db, staff.RoleModerator, modDistrict, district, &gd)
	// Warm up: the year's sequence is created by the first filing.
	if _, err := svc.File(ctx, aspirations.NewTicket{ResidentChat: 1, VillageCode: villageA, Text: "Pemanasan benchmark"}); err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	var l latencies
	b.SetParallelism(4) // 4 × GOMAXPROCS goroutines
	b.ResetTimer()
	t0 := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			start := time.Now()
			_, err := svc.File(ctx, aspirations.NewTicket{ResidentChat: 1_000_000 + n, ResidentName: "Warga",
				VillageCode: villageA, Category: aspirations.CategoryInfrastructure,
				Text: fmt.Sprintf("Aspirasi benchmark nomor %d tentang jalan rusak", n), SourceKey: fmt.Sprintf("upd:%d", n)})
			l.add(time.Since(start))
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(seq.Load())/time.Since(t0).Seconds(), "filings/s")
	l.report(b)
}
