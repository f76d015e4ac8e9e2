package aspiration

import "testing"

func TestParseResidentData(t *testing.T) {
	cases := []struct {
		in        string
		verb, arg string
		ok        bool
	}{
		{"aspr:cat:infrastruktur", "cat", "infrastruktur", true},
		{"aspr:skip", "skip", "", true},
		{"aspr:anon:1", "anon", "1", true},
		{"aspr:anon:0", "anon", "0", true},
		{"aspr:send", "send", "", true},
		{"aspr:cancel", "cancel", "", true},
		{"aspr:hoax", "hoax", "", true},
		{"aspr:anon:2", "", "", false},
		{"aspr:cat:", "", "", false},
		{"aspr:cat:a:b", "", "", false},
		{"aspr:send:1", "", "", false},
		{"aspr:", "", "", false},
		{"aspr:cat:cek_hoaks", "cat", "cek_hoaks", true},
		{"aspr:cat:a b", "", "", false},
		{"asp:claim:1", "", "", false},
		{"aspr:nuke", "", "", false},
	}
	for _, c := range cases {
		verb, arg, err := parseResidentData(c.in)
		if (err == nil) != c.ok || verb != c.verb || arg != c.arg {
			t.Errorf("parseResidentData(%q) = %q, %q, %v", c.in, verb, arg, err)
		}
	}
}

func FuzzParseResidentData(f *testing.F) {
	for _, s := range []string{"aspr:cat:lainnya", "aspr:anon:1", "aspr:send", "aspr:", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		verb, arg, err := parseResidentData(s)
		if err != nil {
			return
		}
		if got := residentData(verb, arg); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
	})
}
