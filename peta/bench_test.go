package peta_test

import (
	"slices"
	"testing"
	"time"

	"github.com/kimbot/kimbot/staff"
)

// The province benchmark's data (issue 12): all of Jawa Timur (8,500
// kelurahan/desa), a KIM in about every fourth with a moderator (a third
// never wrote to the bot), 1,000,000 subscribers, and 200,000 tickets
// filed over 180 days, 70% answered within hours.
var seedProvince = []string{
	`INSERT INTO subscribers (chat_id, village_code, status)
SELECT g, v.codes[1 + g % cardinality(v.codes)], CASE WHEN g % 10 < 9 THEN 'active' ELSE 'stopped' END
FROM generate_series(1, 1000000) g,
     (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 4 AND code LIKE '35.%') v`,
	`INSERT INTO kim (name, area, created_at, updated_at)
SELECT 'KIM ' || name, code, now(), now() FROM regions WHERE level = 4 AND code LIKE '35.%' AND abs(hashtext(code)) % 4 = 0`,
	`INSERT INTO staff (telegram_id, role, scope, kim_id, last_seen_at, created_at, updated_at)
SELECT 1000000 + id, 'moderator', area, id, CASE WHEN id % 3 = 0 THEN NULL ELSE now() - interval '5 days' END, now(), now()
FROM kim`,
	`INSERT INTO aspiration_tickets (number, village_code, category, text, status, created_at, updated_at, queued_at, first_response_at)
SELECT 'B-' || g, v.codes[1 + (g * 7919) % cardinality(v.codes)], 'lainnya', 'Aspirasi benchmark ' || g,
       CASE WHEN g % 10 < 7 THEN 'dijawab' ELSE 'baru' END,
       now() - make_interval(mins => (g * 1.296)::int), now(), now() - make_interval(mins => (g * 1.296)::int),
       CASE WHEN g % 10 < 7 THEN now() - make_interval(mins => (g * 1.296)::int) + make_interval(mins => 10 + g % 600) END
FROM generate_series(1, 200000) g,
     (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 4 AND code LIKE '35.%') v`,
	`VACUUM ANALYZE`, `CHECKPOINT`,
}

// BenchmarkVillagesProvince times the peta KIM's page data for an
// operator of all Jawa Timur (target: p99 under 200 ms), and reports how
// long the minutely refresh of area_service takes over those tickets.
//
//	go test -run '^$' -bench VillagesProvince -benchtime 100x ./peta/
func BenchmarkVillagesProvince(b *testing.B) {
	f := newFixtureTB(b)
	for _, q := range seedProvince {
		if _, err := f.db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	if _, err := f.asp.RefreshAreaService(f.ctx); err != nil {
		b.Fatal(err)
	}
	refresh := time.Since(start)
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 7100, Scope: "35", Name: "Diskominfo Jatim"}
	p, err := f.m.Villages(f.ctx, op, "")
	if err != nil {
		b.Fatal(err)
	}
	if p.Summary.Villages < 8000 || p.Summary.Aktif == 0 || p.Summary.Vakum == 0 {
		b.Fatalf("seeded map: %+v", p.Summary)
	}
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := f.m.Villages(f.ctx, op, ""); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(d)
	at := func(q float64) float64 {
		return float64(d[min(len(d)-1, int(q*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50_ms")
	b.ReportMetric(at(0.99), "p99_ms")
	b.ReportMetric(float64(p.Summary.Villages), "villages")
	b.ReportMetric(float64(refresh.Milliseconds()), "refresh_ms")
}
