package broadcast_test

import (
	"slices"
	"testing"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
)

func TestParseTargets(t *testing.T) {
	tests := []struct {
		in   string
		want []region.Code
		ok   bool
	}{
		{"35.73.05", []region.Code{"35.73.05"}, true},
		{"35.73.05, 3573010001", []region.Code{"35.73.05", "35.73.01.0001"}, true},
		{"35.73.05,35.73.05.1003,35.73", []region.Code{"35.73"}, true},
		{"", nil, false},
		{"malang", nil, false},
		{"35.73,", nil, false},
		{"35.7", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := broadcast.ParseTargets(tt.in)
			if !tt.ok {
				if broadcast.ReasonOf(err) != broadcast.ReasonBadTargets {
					t.Fatalf("ParseTargets(%q) = %v, %v; want ReasonBadTargets", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got = broadcast.NormalizeTargets(got); !slices.Equal(got, broadcast.NormalizeTargets(tt.want)) {
				t.Fatalf("ParseTargets(%q) normalised = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseTargets(f *testing.F) {
	for _, s := range []string{"35.73.05", "35,35.73", "3573051003, 35.73.05", ",", "35.73.05.1003,35.73.05.1003"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		codes, err := broadcast.ParseTargets(s)
		if err != nil {
			if broadcast.ReasonOf(err) == "" {
				t.Fatalf("ParseTargets(%q): non-input error %v", s, err)
			}
			return
		}
		norm := broadcast.NormalizeTargets(codes)
		// Every input code is covered by exactly one kept target, and no kept
		// target lies inside another.
		for _, c := range codes {
			n := 0
			for _, k := range norm {
				if k.Contains(c) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%q: code %s covered by %d of %v", s, c, n, norm)
			}
		}
		for i, a := range norm {
			for j, b := range norm {
				if i != j && a.Contains(b) {
					t.Fatalf("%q: %s inside %s in %v", s, b, a, norm)
				}
			}
		}
	})
}
