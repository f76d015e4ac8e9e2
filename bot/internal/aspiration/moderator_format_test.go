package aspiration

import (
	"testing"
	"unicode/utf8"
)

func TestParseCanned(t *testing.T) {
	cases := []struct {
		in          string
		title, text string
		ok          bool
	}{
		{"Jam layanan | Kantor kelurahan buka 08.00–15.00.", "Jam layanan", "Kantor kelurahan buka 08.00–15.00.", true},
		{"  Sampah   liar |  Lapor ke DLH: 0341-123  ", "Sampah liar", "Lapor ke DLH: 0341-123", true},
		{"A | isi | dengan | garis", "A", "isi | dengan | garis", true},
		{"tanpa pemisah", "", "", false},
		{" | isi", "", "", false},
		{"judul | ", "", "", false},
		{"", "", "", false},
	}
	for _, c := range cases {
		title, text, ok := parseCanned(c.in)
		if ok != c.ok || title != c.title || text != c.text {
			t.Errorf("parseCanned(%q) = %q, %q, %v", c.in, title, text, ok)
		}
	}
}

func FuzzParseCanned(f *testing.F) {
	f.Add("judul | isi")
	f.Add("|")
	f.Fuzz(func(t *testing.T, s string) {
		title, text, ok := parseCanned(s)
		if !ok {
			return
		}
		if title == "" || text == "" || utf8.RuneCountInString(title) > cannedTitleMax || utf8.RuneCountInString(text) > cannedTextMax {
			t.Fatalf("accepted %q -> %q %q", s, title, text)
		}
	})
}
