package message_test

import (
	"strings"
	"testing"

	"github.com/kimbot/kimbot/message"
)

func TestVisibleLen(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"<b>halo</b>", 4},
		{"1 &lt; 2 &amp;&amp; 3", 10},
		{"🙏", 2},
		{"<b>Jalan</b> " + strings.Repeat("🙏", 2100), 6 + 4200},
		{"<b> </b>", 1},
	}
	for _, c := range cases {
		if n, err := message.VisibleLen(c.in); err != nil || n != c.want {
			t.Errorf("VisibleLen(%q) = %d, %v; want %d", c.in, n, err, c.want)
		}
	}
	if _, err := message.VisibleLen("<b>halo"); err == nil {
		t.Error("unclosed tag accepted")
	}
}

func TestContentLen(t *testing.T) {
	cases := map[string]int{
		"":                               0,
		" \n\t":                          0,
		strings.Repeat("\u200b", 5):      0,
		"\u200c\u200d\u2060\ufeff\u00a0": 0,
		"a\u200bb":                       2,
		"👨\u200d👩":                       2,
		"\u3164\u2800\u202e\u00ad halo ": 4,
	}
	for in, want := range cases {
		if got := message.ContentLen(in); got != want {
			t.Errorf("ContentLen(%q) = %d, want %d", in, got, want)
		}
	}
	if got := message.TrimInvisible("\u200b halo\u200d👩 \ufeff"); got != "halo\u200d👩" {
		t.Errorf("TrimInvisible = %q", got)
	}
}

func TestCutUTF16(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"a🙏b", 2, "a"}, // never half of a surrogate pair
		{"a🙏b", 3, "a🙏"},
		{"🙏", 0, ""},
	}
	for _, c := range cases {
		if got := message.CutUTF16(c.in, c.n); got != c.want {
			t.Errorf("CutUTF16(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func TestFitHTML(t *testing.T) {
	compose := func(body string) string { return "<b>Tiket</b>\n\n" + body + "\n\n<i>Balas</i>" }
	short := message.FitHTML(compose, "a < b", " …", message.MaxTextLen)
	if short != compose("a &lt; b") {
		t.Fatalf("a short body changed: %q", short)
	}
	long := "Jalan rusak " + strings.Repeat("🙏", 2100) + " & <tolong>"
	got := message.FitHTML(compose, long, "… (terpotong)", message.MaxTextLen)
	n, err := message.VisibleLen(got)
	if err != nil || n > message.MaxTextLen || n < message.MaxTextLen-1 {
		t.Fatalf("fitted to %d units (%v), want 4095 or 4096", n, err)
	}
	if !strings.Contains(got, "🙏… (terpotong)\n\n<i>Balas</i>") || !strings.HasPrefix(got, "<b>Tiket</b>\n\nJalan rusak 🙏") {
		t.Fatalf("cut in the wrong place: …%q", got[len(got)-60:])
	}
}
