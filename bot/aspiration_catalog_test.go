package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/catalog"
)

// TestAspirationTexts_Exist: every "asp.…" key the flows name is in the
// catalogue, so no resident ever reads a bare key.
func TestAspirationTexts_Exist(t *testing.T) {
	files, err := filepath.Glob("aspiration*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("moderator*.go")
	key := regexp.MustCompile(`"(asp\.[a-z_.]+)"`)
	seen := 0
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			seen++
			if !catalog.Has(catalog.Key(m[1])) {
				t.Errorf("%s names %q, which the catalogue lacks", f, m[1])
			}
		}
	}
	if seen < 40 {
		t.Fatalf("found only %d keys: the scan is broken", seen)
	}
	for _, s := range []string{"baru", "diproses", "dijawab", "ditolak", "diteruskan"} {
		if !catalog.Has(catalog.Key("asp.status." + s)) {
			t.Errorf("no label for status %s", s)
		}
	}
}
