package main

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// `kimbot aspirations recap` writes the month's recap of a region as the
// console's download does; bad input is a usage error.
func TestRunAspirations_Recap(t *testing.T) {
	app, out, _ := newAspirationsApp(t) // one ticket in Tlogomas, 22 Nov 2026
	path := filepath.Join(t.TempDir(), "rekap.xlsx")
	if _, err := runAsp(app, out, runAspirations, "recap", "--month", "2026-11", "--region", "35.73.05", "--out", path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Per kelurahan-desa")
	var tlogomas []string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "35.73.05.1003" {
			tlogomas = r
		}
	}
	if len(tlogomas) < 4 || tlogomas[1] != "Tlogomas" || tlogomas[2] != "1" || tlogomas[3] != "0" {
		t.Errorf("Tlogomas row %q", tlogomas)
	}
	if district, _ := f.GetRows("Per kecamatan"); len(district) != 3 || district[1][0] != "35.73.05" || district[2][2] != "1" {
		t.Errorf("per kecamatan %q", district)
	}
	if _, err := runAsp(app, out, runAspirations, "recap", "--month", "2026-10", "--region", "35.73.05", "--out", path); err != nil {
		t.Fatal(err)
	}
	if v, _ := mustOpen(t, path).GetCellValue("Per kecamatan", "C2"); v != "0" {
		t.Errorf("October counts %q tickets", v)
	}
	for _, bad := range [][]string{
		{"recap", "--month", "11-2026", "--out", path},
		{"recap", "--month", "2026-11"},
		{"recap", "--month", "2026-11", "--region", "99.99", "--out", path},
	} {
		if _, err := runAsp(app, out, runAspirations, bad...); !errors.As(err, new(usageError)) {
			t.Errorf("%q: %v, want a usage error", bad, err)
		}
	}
}

func mustOpen(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
