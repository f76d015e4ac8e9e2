package region_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/region"
)

func TestStore_SearchVillages(t *testing.T) {
	s := region.NewStore(testenv.DB(t))
	ctx := context.Background()
	tests := []struct {
		query  string
		within region.Code
		want   region.Code // must be the first hit
	}{
		{"Tlogomas", "", "35.73.05.1003"},
		{"tlogo mas", "35.73", "35.73.05.1003"},
		{"TLOGOMAS", "35", "35.73.05.1003"},
		{"tlogomass", "35.73", "35.73.05.1003"},
		{"tlogmas", "35.73", "35.73.05.1003"},
		{"merjo sari", "35.73.05", "35.73.05.1002"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := s.SearchVillages(ctx, tt.query, tt.within, 8)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 || got[0].Code != tt.want {
				t.Fatalf("first hit = %+v, want %s", got, tt.want)
			}
			if got[0].District != "Lowokwaru" || got[0].Regency != "Kota Malang" {
				t.Fatalf("context names = %q, %q", got[0].District, got[0].Regency)
			}
			for _, m := range got {
				if !tt.within.Contains(m.Code) {
					t.Fatalf("%s lies outside %s", m.Code, tt.within)
				}
			}
		})
	}
	if _, err := s.SearchVillages(ctx, " a-b ", "", 8); !errors.Is(err, region.ErrQueryTooShort) {
		t.Fatalf("short query: %v", err)
	}
	got, err := s.SearchVillages(ctx, "Tlogomas", "61.71", 8)
	if err != nil || len(got) != 0 {
		t.Fatalf("search outside the root found %v, %v", got, err)
	}
}

func TestStore_ChildrenPathGet(t *testing.T) {
	s := region.NewStore(testenv.DB(t))
	ctx := context.Background()
	kids, total, err := s.Children(ctx, "35.73.05", 0, 5)
	if err != nil || total != 12 || len(kids) != 5 {
		t.Fatalf("children of Lowokwaru = %d of %d, %v", len(kids), total, err)
	}
	if !sort.SliceIsSorted(kids, func(i, j int) bool { return kids[i].Name < kids[j].Name }) {
		t.Fatal("children must be ordered by name")
	}
	provinces, total, err := s.Children(ctx, "", 0, 100)
	if err != nil || total != 38 || len(provinces) != 38 {
		t.Fatalf("provinces = %d of %d, %v", len(provinces), total, err)
	}
	path, err := s.Path(ctx, "35.73.05.1003")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, r := range path {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"Jawa Timur", "Kota Malang", "Lowokwaru", "Tlogomas"}) {
		t.Fatalf("path = %v", names)
	}
	if _, err := s.Get(ctx, "35.73.05.9999"); !errors.Is(err, region.ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}
	if n, err := s.CountVillages(ctx, "35.73"); err != nil || n != 57 {
		t.Fatalf("villages in Kota Malang = %d, %v", n, err)
	}
}

// BenchmarkSearchVillages measures search latency over all 83,763 villages.
// Run: go test ./region -run '^$' -bench SearchVillages -benchtime 2000x
func BenchmarkSearchVillages(b *testing.B) {
	s := region.NewStore(testenv.DB(b))
	ctx := context.Background()
	queries := []string{"tlogomas", "tlogo mas", "sukamaju", "sumbersari", "kebon jeruk", "margamulya",
		"tanjung priok", "karang anyar", "sidorejo", "mekar jaya", "wonosari", "cempaka putih"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := s.SearchVillages(ctx, queries[i%len(queries)], "", 8); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkImport measures importing all of Indonesia into an empty table.
// Run: go test ./region -run '^$' -bench Import -benchtime 3x
func BenchmarkImport(b *testing.B) {
	db := testenv.DB(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := db.Exec("TRUNCATE regions CASCADE"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		stats, err := region.Import(ctx, db, "")
		if err != nil || stats.Changed != 91592 {
			b.Fatalf("import: %+v, %v", stats, err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/import")
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(ms(0.50), "p50_ms")
	b.ReportMetric(ms(0.99), "p99_ms")
}
