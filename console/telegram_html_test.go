package console

import "testing"

// The preview keeps Telegram's formatting and nothing else: markup that
// Telegram would refuse shows as the text it is.
func TestTelegramHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<b>Tebal</b> &amp; <i>miring</i>`, `<b>Tebal</b> &amp; <i>miring</i>`},
		{`<strong>a</strong><em>b</em><del>c</del>`, `<b>a</b><i>b</i><s>c</s>`},
		{`<a href="https://malangkota.go.id/?a=1&amp;b=2">x</a>`, `<a href="https://malangkota.go.id/?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">x</a>`},
		{`<tg-spoiler>rahasia</tg-spoiler> <span class="tg-spoiler">r</span>`, `<span class="spoiler">rahasia</span> <span class="spoiler">r</span>`},
		{`<blockquote expandable>kutipan</blockquote>`, `<blockquote>kutipan</blockquote>`},
		{`&lt;script&gt;alert(1)&lt;/script&gt;`, `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{`<script>alert(1)</script>`, `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{`<a href="javascript:alert(1)">x</a>`, `&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;`},
		{`<b onclick="x()">a</b>`, `&lt;b onclick=&#34;x()&#34;&gt;a&lt;/b&gt;`},
		{"baris 1\nbaris \"2\"", "baris 1\nbaris &#34;2&#34;"},
	}
	for _, tt := range tests {
		if got := string(telegramHTML(tt.in)); got != tt.want {
			t.Errorf("telegramHTML(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}
