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
		{"tlogo mas", "", "35.73.05.1003"},
		{"TLOGOMAS", "", "35.73.05.1003"},
		{"tlogomass", "", "35.73.05.1003"},
		{"tlogmas", "", "35.73.05.1003"},
		{"tlogomas malang", "", "35.73.05.1003"},
		{"Tlogomas, Kota Malang!", "", "35.73.05.1003"},
		{"  t-l-o-g-o-m-a-s ", "35.73", "35.73.05.1003"},
		{"tlogo mas", "35.73", "35.73.05.1003"},
		{"TLOGOMAS", "35", "35.73.05.1003"},
		{"tlogomass", "35.73", "35.73.05.1003"},
		{"tlogomas", "35.73.05.1003", "35.73.05.1003"},
		{"merjo", "35.73.05", "35.73.05.1002"},
		{"merjo sari", "35.73.05", "35.73.05.1002"},
		{"sumbersari kota malang", "", "35.73.05.1005"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+string(tt.within), func(t *testing.T) {
			got, err := s.SearchVillages(ctx, tt.query, tt.within, 8)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 || got[0].Code != tt.want {
				t.Fatalf("first hit = %+v, want %s", got, tt.want)
			}
			if got[0].District != "Lowokwaru" || got[0].Regency != "Kota Malang" || got[0].Level != region.Village {
				t.Fatalf("hit = %+v", got[0])
			}
			if len(got) > 8 {
				t.Fatalf("%d hits, limit 8", len(got))
			}
			for _, m := range got {
				if !tt.within.Contains(m.Code) || m.Code.Level() != region.Village {
					t.Fatalf("%s is not a village inside %q", m.Code, tt.within)
				}
				if m.ParentCode != m.Code.Parent() {
					t.Fatalf("%+v: wrong parent", m)
				}
			}
		})
	}
}

func TestStore_SearchVillages_Ranking(t *testing.T) {
	s := region.NewStore(testenv.DB(t))
	ctx := context.Background()

	// The exact name comes before names that merely start with it.
	got, err := s.SearchVillages(ctx, "tlogo", "", 8)
	if err != nil || len(got) != 8 || got[0].Name != "Tlogo" {
		t.Fatalf("tlogo: %+v, %v", got, err)
	}
	// A place in the query picks the village in that place, not in
	// Pemalang or Kemalang.
	got, err = s.SearchVillages(ctx, "sidorejo malang", "", 8)
	if err != nil || len(got) < 2 || got[0].Regency != "Kabupaten Malang" || got[1].Regency != "Kabupaten Malang" {
		t.Fatalf("sidorejo malang: %+v, %v", got, err)
	}
	// Hundreds of Sukamaju: the limit holds, and all are exact.
	got, err = s.SearchVillages(ctx, "Suka maju", "", 5)
	if err != nil || len(got) != 5 {
		t.Fatalf("sukamaju: %d hits, %v", len(got), err)
	}
	for _, m := range got {
		if region.SearchKey(m.Name) != "sukamaju" {
			t.Fatalf("sukamaju found %q before exact matches", m.Name)
		}
	}
	// Nonsense finds nothing rather than noise.
	if got, err := s.SearchVillages(ctx, "xqzvwk", "", 8); err != nil || len(got) != 0 {
		t.Fatalf("nonsense: %+v, %v", got, err)
	}
	// Outside the root: nothing, even for an exact name.
	if got, err := s.SearchVillages(ctx, "Tlogomas", "61.71", 8); err != nil || len(got) != 0 {
		t.Fatalf("search outside the root found %v, %v", got, err)
	}
}

func TestStore_SearchVillages_TooShort(t *testing.T) {
	s := region.NewStore(testenv.DB(t))
	for _, q := range []string{"", " ", "ab", " a-b ", "!!!", "A.B."} {
		if _, err := s.SearchVillages(context.Background(), q, "", 8); !errors.Is(err, region.ErrQueryTooShort) {
			t.Errorf("SearchVillages(%q) = %v, want ErrQueryTooShort", q, err)
		}
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
	counts := map[region.Code]int{"": 83763, "35": 8494, "35.73": 57, "35.73.05": 12, "35.73.05.1003": 1, "35.73.05.9999": 0, "99": 0}
	for code, want := range counts {
		if n, err := s.CountVillages(ctx, code); err != nil || n != want {
			t.Errorf("CountVillages(%q) = %d, %v; want %d", code, n, err, want)
		}
	}
	// Paging past the end still reports the total.
	if kids, total, err := s.Children(ctx, "35.73.05", 20, 5); err != nil || total != 12 || len(kids) != 0 {
		t.Fatalf("page past the end = %d of %d, %v", len(kids), total, err)
	}
	if kids, total, err := s.Children(ctx, "35.73.05", 10, 5); err != nil || total != 12 || len(kids) != 2 {
		t.Fatalf("last page = %d of %d, %v", len(kids), total, err)
	}
	if _, err := s.Path(ctx, "35.73.05.9999"); !errors.Is(err, region.ErrNotFound) {
		t.Fatalf("path of an unknown code: %v", err)
	}
	r, err := s.Get(ctx, "35.73")
	if err != nil || r.Name != "Kota Malang" || r.Level != region.Regency || r.ParentCode != "35" {
		t.Fatalf("Get(35.73) = %+v, %v", r, err)
	}
	if p, err := s.Get(ctx, "35"); err != nil || p.ParentCode != "" || p.Level != region.Province {
		t.Fatalf("Get(35) = %+v, %v", p, err)
	}
}

// searchQueries are what residents type: exact names, other spellings,
// typos, and a name followed by its city.
var searchQueries = []string{
	"tlogomas", "Tlogo Mas", "TLOGOMAS", "tlogomass", "tlogmas", "tlogomas malang",
	"sukamaju", "suka maju", "sumbersari", "sumber sari malang", "kebon jeruk", "kebon jeruk jakarta",
	"margamulya", "tanjung priok", "karang anyar", "karanganyar", "sidorejo", "sidorejo malang",
	"mekar jaya", "mekarjaya", "wonosari", "cempaka putih", "cempaka putih timur", "merjosari",
	"merjosri", "dinoyo", "ketawang gede", "lowokwaru", "rawasari", "kampung melayu",
	"pasar minggu", "menteng", "kuta", "ubud", "sanur kaja", "tegallalang",
	"bojongsoang", "cibiru", "dago", "coblong", "sukajadi", "cicendo",
	"banyumanik", "tembalang", "gubeng", "wonokromo", "rungkut", "kenjeran",
	"malioboro", "kotabaru", "gondokusuman", "caturtunggal", "sinduadi", "jambidan",
	"pondok cina", "beji", "kukusan", "depok jaya", "kelapa gading", "sunter jaya",
}

// BenchmarkSearchVillages measures village search latency over all 83,763
// villages, anywhere in Indonesia and within one province (a deployment
// with KIMBOT_REGION_ROOT).
// Run: go test ./region -run '^$' -bench SearchVillages -benchtime 1200x
func BenchmarkSearchVillages(b *testing.B) {
	s := region.NewStore(testenv.DB(b))
	ctx := context.Background()
	for _, within := range []region.Code{"", "35", "35.73"} {
		b.Run("within="+string(within), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := s.SearchVillages(ctx, searchQueries[i%len(searchQueries)], within, 8); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			reportPercentiles(b, lat)
		})
	}
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

// FuzzSearchVillages feeds whatever a resident might type: the search
// either refuses it as too short or answers villages inside the root,
// never an error.
func FuzzSearchVillages(f *testing.F) {
	for _, q := range []string{"tlogomas", "a", "%_%", "'; DROP TABLE regions; --", "Tlogo\x00mas", "ŚŁÓŃ", "123", "malang malang malang", "\\%"} {
		f.Add(q)
	}
	s := region.NewStore(testenv.DB(f))
	f.Fuzz(func(t *testing.T, query string) {
		got, err := s.SearchVillages(context.Background(), query, "35.73", 8)
		if errors.Is(err, region.ErrQueryTooShort) {
			return
		}
		if err != nil {
			t.Fatalf("SearchVillages(%q): %v", query, err)
		}
		for _, m := range got {
			if !region.Code("35.73").Contains(m.Code) {
				t.Fatalf("SearchVillages(%q) found %s outside the root", query, m.Code)
			}
		}
	})
}
