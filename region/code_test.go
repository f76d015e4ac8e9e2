package region

import "testing"

func TestParseCode(t *testing.T) {
	tests := []struct {
		in      string
		want    Code
		wantErr bool
	}{
		{"35", "35", false},
		{"35.73", "35.73", false},
		{" 35.73.05.1003 ", "35.73.05.1003", false},
		{"3573051003", "35.73.05.1003", false},
		{"357305", "35.73.05", false},
		{"357", "", true},
		{"35.7", "", true},
		{"35.73.05.1003.1", "", true},
		{"35730510031", "", true},
		{"3a", "", true},
		{"", "", true},
		{"35..73", "", true},
	}
	for _, tt := range tests {
		got, err := ParseCode(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseCode(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestCode_Relations(t *testing.T) {
	c := Code("35.73.05.1003")
	if c.Level() != Village || c.Parent() != "35.73.05" || c.Compact() != "3573051003" {
		t.Fatalf("level/parent/compact of %s", c)
	}
	if !Code("35.73").Contains(c) || Code("35.7").Contains(c) || Code("35.73.05.1003").Contains("35.73.05") {
		t.Fatal("Contains must follow whole dotted parts")
	}
	if !Code("").Contains(c) || Code("").LikePattern() != "%" || Code("35").LikePattern() != "35.%" {
		t.Fatal("the empty code is the whole country")
	}
	if _, err := ParseCodes("35.73.05, 35.73.01"); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCodes("35.73,malang"); err == nil {
		t.Fatal("a bad part must fail the list")
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"35", "3573051003", "35.73.05.1003", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		again, err := ParseCode(c.Compact())
		if err != nil || again != c {
			t.Fatalf("%q -> %q, compact round trip -> %q, %v", s, c, again, err)
		}
	})
}
