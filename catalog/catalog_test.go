package catalog

import (
	"strings"
	"testing"
)

func TestCatalog_Texts(t *testing.T) {
	if len(indonesian) == 0 {
		t.Fatal("empty catalogue")
	}
	for k, v := range indonesian {
		if strings.TrimSpace(v) == "" {
			t.Errorf("%s is empty", k)
		}
		// A phone screen shows about 4096 characters in one message at most,
		// and a single text should be far shorter.
		if n := len([]rune(v)); n > 1500 {
			t.Errorf("%s is %d characters long", k, n)
		}
	}
	if T("no.such.key") != "no.such.key" {
		t.Fatal("a missing key must show itself, not crash")
	}
}

func TestJoin_RefusesDuplicates(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a duplicate key must be refused")
		}
	}()
	join(map[Key]string{"a": "x"}, map[Key]string{"a": "y"})
}
