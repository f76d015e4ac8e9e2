package aspiration

import (
	"testing"

	"github.com/kimbot/kimbot/catalog"
)

// TestAspirationStatuses_HaveLabels: every status has an asp.status text
// (the keys are built, so the catalogue-key scan cannot see them).
func TestAspirationStatuses_HaveLabels(t *testing.T) {
	for _, s := range []string{"baru", "diproses", "dijawab", "ditolak", "diteruskan"} {
		if !catalog.Has(catalog.Key("asp.status." + s)) {
			t.Errorf("no label for status %s", s)
		}
	}
}
