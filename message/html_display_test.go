package message_test

import (
	"testing"

	"github.com/kimbot/kimbot/message"
)

func TestDisplayHTML(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"<b>Penting</b> &amp; <i>segera</i>", "<b>Penting</b> &amp; <i>segera</i>", true},
		{"<strong>a</strong><em>b</em><ins>c</ins><del>d</del>", "<b>a</b><i>b</i><u>c</u><s>d</s>", true},
		{`<a href="https://malangkota.go.id/?a=1&amp;b=2">situs</a>`, `<a href="https://malangkota.go.id/?a=1&amp;b=2" rel="noopener noreferrer nofollow">situs</a>`, true},
		{`<code class="language-go">x</code><pre>y</pre>`, "<code>x</code><pre>y</pre>", true},
		{"<tg-spoiler>rahasia</tg-spoiler> <blockquote expandable>kutip</blockquote>", `<span class="spoiler">rahasia</span> <blockquote>kutip</blockquote>`, true},
		{`<span class="tg-spoiler">r</span> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, `<span class="spoiler">r</span> 👍`, true},
		{"&lt;script&gt;alert(1)&lt;/script&gt; \"kutip\" 'satu'", "&lt;script&gt;alert(1)&lt;/script&gt; &#34;kutip&#34; &#39;satu&#39;", true},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", false},
		{`<a href="javascript:alert(1)">x</a>`, "&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;", false},
		{`<b onclick="x">y</b>`, "&lt;b onclick=&#34;x&#34;&gt;y&lt;/b&gt;", false},
		{"baris\nkedua", "baris\nkedua", true},
	} {
		got, ok := message.DisplayHTML(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("DisplayHTML(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// Whatever the input, the output never holds a tag other than the kept
// ones, nor an attribute other than a link's href.
func FuzzDisplayHTML(f *testing.F) {
	f.Add(`<a href="https://x.id">x</a><b>y</b>`)
	f.Add(`<a href='https://x.id" onclick="y'>x</a>`)
	f.Fuzz(func(t *testing.T, s string) {
		out, _ := message.DisplayHTML(s)
		for i := 0; i < len(out); i++ {
			if out[i] != '<' {
				continue
			}
			rest := out[i:]
			okTag := false
			for _, p := range []string{"<b>", "</b>", "<i>", "</i>", "<u>", "</u>", "<s>", "</s>", "<code>", "</code>", "<pre>", "</pre>",
				"<blockquote>", "</blockquote>", `<span class="spoiler">`, "</span>", "</a>", `<a href="`} {
				if len(rest) >= len(p) && rest[:len(p)] == p {
					okTag = true
				}
			}
			if !okTag {
				t.Fatalf("DisplayHTML(%q) = %q: stray markup at %d", s, out, i)
			}
		}
	})
}
