package region_test

import (
	"context"
	"testing"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/region"
)

func TestImport_AllOfIndonesia(t *testing.T) {
	db := testenv.DB(t) // the template already holds a full import
	var counts []int
	if err := db.Select(&counts, "SELECT count(*) FROM regions GROUP BY level ORDER BY level"); err != nil {
		t.Fatal(err)
	}
	want := []int{38, 514, 7277, 83763}
	for i := range want {
		if i >= len(counts) || counts[i] != want[i] {
			t.Fatalf("regions per level = %v, want %v", counts, want)
		}
	}
	var name string
	if err := db.Get(&name, "SELECT name FROM regions WHERE code = '35.73.05.1003'"); err != nil || name != "Tlogomas" {
		t.Fatalf("Tlogomas: %q, %v", name, err)
	}
	stats, err := region.Import(context.Background(), db, "")
	if err != nil {
		t.Fatal(err)
	}
	if stats.Changed != 0 || stats.Read != 91592 {
		t.Fatalf("re-import = %+v, want nothing changed out of 91592", stats)
	}
}
