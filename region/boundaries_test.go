package region_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/region"
)

// square is a GeoJSON feature: a small square at lon, lat.
func square(props string, lon, lat float64) string {
	return fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}`,
		props, lon, lat, lon+0.01, lat, lon+0.01, lat+0.01, lon, lat+0.01, lon, lat)
}

func TestImportBoundaries_StoresWhatItCanAndSaysWhyNot(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	features := []string{
		square(`{"KODE":"35.73.05.1003"}`, 112.59, -7.93),
		square(`{"KODE":3573051002}`, 112.60, -7.94),        // a number, as some files store codes
		square(`{"KODE":"35.73.05.9999"}`, 112.61, -7.95),   // unknown code
		square(`{"NAMA":"Tlogomas"}`, 112.61, -7.95),        // no code property
		square(`{"KODE":"35.73.05.1001"}`, 680000, 9120000), // UTM metres, not lon/lat
		`{"type":"Feature","properties":{"KODE":"35.73.05.1004"},"geometry":{"type":"Point","coordinates":[112.6,-7.9]}}`,
	}
	in := `{"type":"FeatureCollection","name":"malang","features":[` + strings.Join(features, ",") + `]}`
	st, err := region.ImportBoundaries(context.Background(), db, strings.NewReader(in), "KODE")
	if err != nil {
		t.Fatal(err)
	}
	if st.Read != 6 || st.Stored != 2 || st.RefusedCount != 4 {
		t.Fatalf("stats %+v", st)
	}
	for i, want := range []string{"feature 3: 35.73.05.9999 is not in the regions table", "feature 4: no property KODE",
		"feature 5: coordinates outside Indonesia", "feature 6: Point geometry"} {
		if !strings.HasPrefix(st.Refused[i], want) {
			t.Errorf("refusal %d: %q, want %q", i, st.Refused[i], want)
		}
	}
	got, err := region.NewStore(db).Boundaries(context.Background(), "35.73.05")
	if err != nil || len(got) != 2 || !strings.Contains(string(got["35.73.05.1002"]), "MultiPolygon") {
		t.Fatalf("stored: %v, %v", got, err)
	}
	if _, err := region.ImportBoundaries(context.Background(), db, strings.NewReader(`[1,2]`), "KODE"); err == nil {
		t.Fatal("an array read as a FeatureCollection")
	}
}
