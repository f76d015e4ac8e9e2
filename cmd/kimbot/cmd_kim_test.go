package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `kimbot kim` adds, edits, lists, shows and imports KIM, and refuses bad
// flags with a one-line reason.
func TestRunKIM(t *testing.T) {
	app, out, _ := newAspirationsApp(t)
	got, err := runAsp(app, out, runKIM, "add", "--name", "KIM Tlogomas", "--region", "3573051003", "--sk", "188.45/1/2019",
		"--sk-date", "04/03/2019", "--contact", "0812-1")
	if err != nil || !strings.HasSuffix(got, "\tKIM Tlogomas\t35.73.05.1003\n") {
		t.Fatalf("add: %q, %v", got, err)
	}
	id := strings.SplitN(got, "\t", 2)[0]
	if _, err := runAsp(app, out, runModerator, "add", "--telegram-id", "101", "--region", "35.73.05.1003"); err != nil {
		t.Fatal(err)
	}
	if got, err := runAsp(app, out, runKIM, "edit", id, "--contact", "0812-2"); err != nil || !strings.Contains(got, "KIM Tlogomas") {
		t.Fatalf("edit: %q, %v", got, err)
	}
	got, err = runAsp(app, out, runKIM, "show", id)
	for _, want := range []string{"sk: 188.45/1/2019, 2019-03-04", "kontak: 0812-2", "moderator: 1", "  101 (chat pribadi)"} {
		if err != nil || !strings.Contains(got, want) {
			t.Fatalf("show lacks %q: %q, %v", want, got, err)
		}
	}
	file := filepath.Join(t.TempDir(), "kim.csv")
	if err := os.WriteFile(file, []byte("nama;kelurahan\nKIM Merjosari;Merjosari\nKIM Entah;Entah\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err = runAsp(app, out, runKIM, "import", file, "--dry-run")
	if err != nil || !strings.Contains(got, `line 3: not matched "KIM Entah"`) ||
		!strings.Contains(got, "1 add, 0 update, 0 unchanged, 1 not matched (dry run, nothing written)") {
		t.Fatalf("dry run: %q, %v", got, err)
	}
	if got, _ := runAsp(app, out, runKIM, "list", "--region", "35.73"); strings.Contains(got, "Merjosari") {
		t.Fatalf("the dry run wrote: %q", got)
	}
	if _, err := runAsp(app, out, runKIM, "import", file); err != nil {
		t.Fatal(err)
	}
	if got, _ := runAsp(app, out, runKIM, "list", "--region", "35.73"); !strings.Contains(got, "KIM Merjosari") ||
		!strings.Contains(got, "KIM Tlogomas") {
		t.Fatalf("list: %q", got)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "--name", "KIM Tlogomas", "--region", "35.73.05.1003"}, "already serves"},
		{[]string{"add", "--name", "K", "--region", "35.73.05.1003"}, "--name: a name has"},
		{[]string{"add", "--name", "KIM Kota", "--region", "35.73"}, "--region: a KIM serves"},
		{[]string{"add", "--name", "KIM X", "--region", "35.73.05.1003", "--formed", "kemarin"}, "--formed: date"},
		{[]string{"edit", "999999", "--name", "KIM Y"}, "no KIM number 999999"},
		{[]string{"edit", "x"}, "needs the KIM's number"},
		{[]string{"show"}, "needs the KIM's number"},
		{[]string{"import", "/nonexistent.csv"}, "no such file"},
		{[]string{"import", file, "extra"}, "FILE is an .xlsx or CSV"},
		{[]string{"bogus"}, "unknown subcommand"},
	} {
		if _, err := runAsp(app, out, runKIM, c.args...); err == nil || !strings.Contains(err.Error(), c.want) ||
			strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("kontak\n0812\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runAsp(app, out, runKIM, "import", bad); err == nil || !strings.Contains(err.Error(), "nama") {
		t.Errorf("a file without names: %v", err)
	}
}

// `kimbot regions boundaries import` stores the features it can and
// names the ones it refuses; bad flags get a one-line reason.
func TestRunBoundaries(t *testing.T) {
	app, out, _ := newAspirationsApp(t)
	file := filepath.Join(t.TempDir(), "malang.geojson")
	geo := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","properties":{"KODE":"3573051003"},"geometry":{"type":"Polygon","coordinates":[[[112.59,-7.93],[112.6,-7.93],[112.6,-7.92],[112.59,-7.93]]]}},` +
		`{"type":"Feature","properties":{"KODE":"3573059999"},"geometry":{"type":"Polygon","coordinates":[[[112.59,-7.93],[112.6,-7.93],[112.6,-7.92],[112.59,-7.93]]]}}]}`
	if err := os.WriteFile(file, []byte(geo), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := runAsp(app, out, runRegions, "boundaries", "import", file, "--code-property", "KODE")
	if err != nil || !strings.Contains(got, "refused feature 2: 35.73.05.9999 is not in the regions table") ||
		!strings.Contains(got, "2 features read, 1 stored, 1 refused") {
		t.Fatalf("import: %q, %v", got, err)
	}
	for _, args := range [][]string{{"boundaries", "import", file}, {"boundaries"}, {"boundaries", "import", "/nope.geojson", "--code-property", "K"}} {
		if _, err := runAsp(app, out, runRegions, args...); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v", args, err)
		}
	}
}
