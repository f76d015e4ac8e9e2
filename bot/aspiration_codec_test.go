package bot

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
		{"asp:claim:1", "", "", false},
		{"aspr:nuke", "", "", false},
	}
	for _, c := range cases {
		verb, arg, err := aspParseResidentData(c.in)
		if (err == nil) != c.ok || verb != c.verb || arg != c.arg {
			t.Errorf("aspParseResidentData(%q) = %q, %q, %v", c.in, verb, arg, err)
		}
	}
}

func TestParseModeratorData(t *testing.T) {
	cases := []struct {
		in   string
		verb string
		n    int64
		ok   bool
	}{
		{"aspm:page:10", "page", 10, true},
		{"aspm:open:123", "open", 123, true},
		{"aspm:tpl:7", "tpl", 7, true},
		{"aspm:stop:0", "stop", 0, true},
		{"aspm:page:-5", "", 0, false},
		{"aspm:page:+5", "", 0, false},
		{"aspm:page:05", "", 0, false},
		{"aspm:page:", "", 0, false},
		{"aspm:page", "", 0, false},
		{"aspm:drop:1", "", 0, false},
		{"aspm:open:99999999999999999999", "", 0, false},
	}
	for _, c := range cases {
		verb, n, err := aspParseModeratorData(c.in)
		if (err == nil) != c.ok || verb != c.verb || n != c.n {
			t.Errorf("aspParseModeratorData(%q) = %q, %d, %v", c.in, verb, n, err)
		}
	}
}

func FuzzParseResidentData(f *testing.F) {
	for _, s := range []string{"aspr:cat:lainnya", "aspr:anon:1", "aspr:send", "aspr:", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		verb, arg, err := aspParseResidentData(s)
		if err != nil {
			return
		}
		if got := aspResidentData(verb, arg); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
	})
}

func FuzzParseModeratorData(f *testing.F) {
	for _, s := range []string{"aspm:page:0", "aspm:open:42", "aspm:tpl:1", "aspm:", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		verb, n, err := aspParseModeratorData(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("negative %d from %q", n, s)
		}
		if got := aspModeratorData(verb, n); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
	})
}
