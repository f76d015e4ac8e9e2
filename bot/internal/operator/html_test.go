package operator

import (
	"testing"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/broadcast"
)

func ent(t models.MessageEntityType, off, n int) models.MessageEntity {
	return models.MessageEntity{Type: t, Offset: off, Length: n}
}

func TestEntitiesToHTML(t *testing.T) {
	tests := []struct {
		name string
		text string
		ents []models.MessageEntity
		want string
	}{
		{"plain", "Halo warga", nil, "Halo warga"},
		{"escaped", "a<b & c>d \"q\"", nil, "a&lt;b &amp; c&gt;d &quot;q&quot;"},
		{"bold", "Siaran TV", []models.MessageEntity{ent("bold", 0, 6)}, "<b>Siaran</b> TV"},
		{"nested", "Siaran TV analog", []models.MessageEntity{ent("bold", 0, 16), ent("italic", 7, 2)}, "<b>Siaran <i>TV</i> analog</b>"},
		{"overlap", "abcdef", []models.MessageEntity{ent("bold", 0, 4), ent("italic", 2, 4)}, "<b>ab<i>cd</i></b><i>ef</i>"},
		{"same span", "ab", []models.MessageEntity{ent("bold", 0, 2), ent("underline", 0, 2)}, "<b><u>ab</u></b>"},
		{"emoji offsets", "😀 Banjir!", []models.MessageEntity{ent("bold", 3, 6)}, "😀 <b>Banjir</b>!"},
		{"link", "Info di sini", []models.MessageEntity{{Type: "text_link", Offset: 8, Length: 4, URL: "https://malangkota.go.id/?a=1&b=\"2\""}},
			`Info di <a href="https://malangkota.go.id/?a=1&amp;b=&quot;2&quot;">sini</a>`},
		{"pre with language", "x := 1", []models.MessageEntity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}, `<pre><code class="language-go">x := 1</code></pre>`},
		{"mention and url stay plain", "@kim https://a.id", []models.MessageEntity{ent("mention", 0, 4), ent("url", 5, 12)}, "@kim https://a.id"},
		{"text mention dropped", "Pak Budi", []models.MessageEntity{{Type: "text_mention", Offset: 4, Length: 4, User: &models.User{ID: 5}}}, "Pak Budi"},
		{"spoiler and quote", "a b", []models.MessageEntity{ent("spoiler", 0, 1), ent("expandable_blockquote", 2, 1)}, "<tg-spoiler>a</tg-spoiler> <blockquote expandable>b</blockquote>"},
		{"splitting an emoji ignored", "0😀", []models.MessageEntity{ent("italic", 0, 2)}, "0😀"},
		{"out of range ignored", "ab", []models.MessageEntity{ent("bold", 1, 5), ent("italic", -1, 1)}, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := entitiesToHTML(tt.text, tt.ents); got != tt.want {
				t.Fatalf("entitiesToHTML = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzEntitiesToHTML: whatever the entities, the HTML is valid for
// Telegram and shows exactly the original text.
func FuzzEntitiesToHTML(f *testing.F) {
	f.Add("Siaran <TV> & 😀 analog", 0, 6, 3, 10, 7, 2)
	f.Add("abcdef", 0, 4, 2, 4, 1, 1)
	types := []models.MessageEntityType{"bold", "italic", "underline", "text_link", "pre", "code", "spoiler", "blockquote", "mention"}
	f.Fuzz(func(t *testing.T, text string, o1, l1, o2, l2, o3, l3 int) {
		if !utf16ValidText(text) {
			return
		}
		ents := []models.MessageEntity{
			{Type: types[abs(o1+l2)%len(types)], Offset: o1, Length: l1, URL: "https://a.id"},
			{Type: types[abs(o2+l3)%len(types)], Offset: o2, Length: l2, URL: "https://a.id", Language: "go"},
			{Type: types[abs(o3+l1)%len(types)], Offset: o3, Length: l3},
		}
		html := entitiesToHTML(text, ents)
		n, err := broadcast.VisibleLength(html)
		if want := len(utf16.Encode([]rune(text))); err != nil || n != want {
			t.Fatalf("entitiesToHTML(%q, %v) = %q: VisibleLength %d, %v; want %d", text, ents, html, n, err, want)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func utf16ValidText(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}
