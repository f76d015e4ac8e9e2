package broadcast_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/message"
)

func TestVisibleLength(t *testing.T) {
	tests := []struct {
		in   string
		want int
		bad  bool
	}{
		{"Halo", 4, false},
		{"<b>Halo</b> warga", 10, false},
		{"<B>Halo</B>", 4, false},
		{`<a href="https://malangkota.go.id">situs</a>`, 5, false},
		{`<a href='tg://resolve?domain=kim'>x</a>`, 1, false},
		{"a &lt; b &amp;&amp; c &gt; d &quot;e&quot;", 18, false},
		{"&#128512;", 2, false}, // 😀 is two UTF-16 units
		{"&#x1F600;", 2, false},
		{"😀", 2, false},
		{"é", 1, false},
		{`<span class="tg-spoiler">rahasia</span>`, 7, false},
		{`<blockquote expandable>kutipan</blockquote>`, 7, false},
		{`<pre><code class="language-go">x</code></pre>`, 1, false},
		{"<tg-spoiler>x</tg-spoiler>", 1, false},
		{"", 0, false},
		{"<b>tidak ditutup", 0, true},
		{"<b><i>silang</b></i>", 0, true},
		{"</b>", 0, true},
		{"<div>x</div>", 0, true},
		{"<script>x</script>", 0, true},
		{"1 < 2", 0, true},
		{"2 > 1", 0, true},
		{"Q&A", 0, true},
		{"&nbsp;", 0, true},
		{"&#0;", 0, true},
		{"&#xD800;", 0, true},
		{"<a>tanpa href</a>", 0, true},
		{`<a href="javascript:alert(1)">x</a>`, 0, true},
		{`<b class="x">x</b>`, 0, true},
		{`<a href="https://x.id>x</a>`, 0, true},
		{"\xff", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := broadcast.VisibleLength(tt.in)
			if tt.bad {
				if !errors.Is(err, broadcast.ErrBadHTML) {
					t.Fatalf("VisibleLength(%q) = %d, %v; want ErrBadHTML", tt.in, n, err)
				}
				return
			}
			if err != nil || n != tt.want {
				t.Fatalf("VisibleLength(%q) = %d, %v; want %d", tt.in, n, err, tt.want)
			}
		})
	}
}

func TestContent_ValidateSaysHowMuchTooLong(t *testing.T) {
	err := broadcast.Content{Text: "<b>Kerja bakti</b> " + strings.Repeat("🙏", 2100)}.Validate()
	var ie *broadcast.InputError
	if !errors.As(err, &ie) || ie.Len != 4212 || ie.Max != 4096 || !strings.Contains(err.Error(), "116 too many") {
		t.Fatalf("Validate() = %v, want 4212 of 4096 units, 116 too many", err)
	}
}

func TestContent_Validate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	btn := func(url string) [][]message.Button { return [][]message.Button{{{Text: "Info", URL: url}}} }
	tests := []struct {
		name   string
		c      broadcast.Content
		reason broadcast.Reason
	}{
		{"text", broadcast.Content{Text: "Halo"}, ""},
		{"4096 visible with tags", broadcast.Content{Text: "<b>" + long(4096) + "</b>"}, ""},
		{"4096 entities", broadcast.Content{Text: strings.Repeat("&amp;", 4096)}, ""},
		{"4097", broadcast.Content{Text: long(4097)}, broadcast.ReasonTextTooLong},
		{"2049 emoji = 4098 units", broadcast.Content{Text: strings.Repeat("😀", 2049)}, broadcast.ReasonTextTooLong},
		{"empty", broadcast.Content{Text: "  "}, broadcast.ReasonTextEmpty},
		{"only tags", broadcast.Content{Text: "<b></b>"}, broadcast.ReasonTextEmpty},
		{"blank in tags", broadcast.Content{Text: "<b> </b>"}, broadcast.ReasonTextEmpty},
		{"zero-width only", broadcast.Content{Text: "\u200b\u200c\u200d\u2060\ufeff"}, broadcast.ReasonTextEmpty},
		{"invisible entities", broadcast.Content{Text: "<i>&#8203;&#x2060;\n</i>"}, broadcast.ReasonTextEmpty},
		{"2048 prayers fit", broadcast.Content{Text: "<b>" + strings.Repeat("🙏", 2048) + "</b>"}, ""},
		{"caption of 513 emoji", broadcast.Content{PhotoFileID: "AgAD", Text: strings.Repeat("🙏", 513)}, broadcast.ReasonCaptionTooLong},
		{"caption entities count once", broadcast.Content{PhotoFileID: "AgAD", Text: strings.Repeat("&lt;", 1024)}, ""},
		{"photo without caption", broadcast.Content{PhotoFileID: "AgAD"}, ""},
		{"caption 1024", broadcast.Content{DocumentFileID: "BQAD", Text: long(1024)}, ""},
		{"caption 1025", broadcast.Content{PhotoFileID: "AgAD", Text: long(1025)}, broadcast.ReasonCaptionTooLong},
		{"bad html", broadcast.Content{Text: "<div>x</div>"}, broadcast.ReasonBadHTML},
		{"https button", broadcast.Content{Text: "x", Buttons: btn("https://malangkota.go.id")}, ""},
		{"tg button", broadcast.Content{Text: "x", Buttons: btn("tg://resolve?domain=kimbot")}, ""},
		{"ftp button", broadcast.Content{Text: "x", Buttons: btn("ftp://x.id")}, broadcast.ReasonBadButton},
		{"spaced button", broadcast.Content{Text: "x", Buttons: btn("https://malangkota.go.id/info ASO")}, broadcast.ReasonBadButton},
		{"hostless button", broadcast.Content{Text: "x", Buttons: btn("https://")}, broadcast.ReasonBadButton},
		{"callback button", broadcast.Content{Text: "x", Buttons: [][]message.Button{{{Text: "a", Data: "x"}}}}, broadcast.ReasonBadButton},
		{"4 rows", broadcast.Content{Text: "x", Buttons: [][]message.Button{btn("https://a.id")[0], btn("https://a.id")[0], btn("https://a.id")[0], btn("https://a.id")[0]}}, broadcast.ReasonBadButton},
		{"empty label", broadcast.Content{Text: "x", Buttons: [][]message.Button{{{Text: " ", URL: "https://a.id"}}}}, broadcast.ReasonBadButton},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if got := broadcast.ReasonOf(err); got != tt.reason || (tt.reason == "" && err != nil) {
				t.Fatalf("Validate() = %v (reason %q), want reason %q", err, got, tt.reason)
			}
		})
	}
}

func TestContent_Message(t *testing.T) {
	m := broadcast.Content{Text: "<b>x</b>", PhotoFileID: "AgAD"}.Message()
	if m.Caption != "<b>x</b>" || m.Text != "" || m.PhotoFileID != "AgAD" {
		t.Fatalf("photo message = %+v, want the text as caption", m)
	}
	if m := (broadcast.Content{Text: "y"}).Message(); m.Text != "y" || m.Caption != "" {
		t.Fatalf("text message = %+v", m)
	}
}

// FuzzVisibleLength never panics, only ever fails with ErrBadHTML, and
// counts escaped plain text as the UTF-16 length of the plain text.
func FuzzVisibleLength(f *testing.F) {
	for _, s := range []string{"Halo", "<b>x</b>", "a &amp; b", "😀", "<a href=\"https://a.id\">x</a>", "<b>", "&#x1F600;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := broadcast.VisibleLength(s)
		if err != nil {
			if !errors.Is(err, broadcast.ErrBadHTML) {
				t.Fatalf("VisibleLength(%q): unexpected error %v", s, err)
			}
		} else if n < 0 || n > 2*len(s) {
			t.Fatalf("VisibleLength(%q) = %d, impossible for %d bytes", s, n, len(s))
		}
		// Escaped plain text is always valid and counts as its UTF-16 length.
		if !strings.ContainsRune(s, '\uFFFD') && utf16Valid(s) {
			esc := broadcast.EscapeHTML(s)
			n, err := broadcast.VisibleLength("<b>" + esc + "</b>")
			if want := len(utf16.Encode([]rune(s))); err != nil || n != want {
				t.Fatalf("escaped %q: VisibleLength = %d, %v; want %d", s, n, err, want)
			}
		}
	})
}

func utf16Valid(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return strings.ToValidUTF8(s, "") == s
}
