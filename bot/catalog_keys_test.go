package bot

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/catalog"
)

// TestCatalogKeys_Exist: every catalogue key the chat flows name
// ("res.…", "asp.…", "operator.…"), in this package and every one under
// it, is in the catalogue, so nobody ever reads a bare key.
func TestCatalogKeys_Exist(t *testing.T) {
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"((res|asp|operator)\.[a-z_.]*[a-z_])"`)
	seen := map[string]int{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			seen[m[2]]++
			if !catalog.Has(catalog.Key(m[1])) {
				t.Errorf("%s names %q, which the catalogue lacks", f, m[1])
			}
		}
	}
	for area, least := range map[string]int{"res": 20, "asp": 40, "operator": 60} {
		if seen[area] < least {
			t.Errorf("found only %d %s keys, want at least %d: the scan is broken", seen[area], area, least)
		}
	}
}
