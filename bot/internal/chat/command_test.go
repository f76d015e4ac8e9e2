package chat_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kimbot/kimbot/bot/internal/chat"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text string
		want chat.Command
		ok   bool
	}{
		{"/start", chat.Command{Name: "start"}, true},
		{"/start 3573051003", chat.Command{Name: "start", Args: "3573051003"}, true},
		{"/START@KimBot_bot  35.73 ", chat.Command{Name: "start", Bot: "KimBot_bot", Args: "35.73"}, true},
		{"/aspirasi\njalan rusak\ndi RT 2", chat.Command{Name: "aspirasi", Args: "jalan rusak\ndi RT 2"}, true},
		{"\u200d\ufeff /bantuan", chat.Command{Name: "bantuan"}, true}, // invisible characters a keyboard may add
		{"/wilayah\u00a0Tlogomas", chat.Command{Name: "wilayah", Args: "Tlogomas"}, true},
		{"halo /start", chat.Command{}, false},
		{"é/start", chat.Command{}, false},
		{"/", chat.Command{}, false},
		{"/ start", chat.Command{}, false},
		{"/stärt", chat.Command{}, false},
		{"/a@b@c", chat.Command{}, false},
		{"//start", chat.Command{}, false},
		{"/" + strings.Repeat("x", 33), chat.Command{}, false},
		{"", chat.Command{}, false},
	}
	for _, tt := range tests {
		got, ok := chat.ParseCommand(tt.text)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseCommand(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCommand_For(t *testing.T) {
	c, _ := chat.ParseCommand("/start@Kimbot_Bot")
	if !c.For("kimbot_bot") || c.For("other_bot") {
		t.Fatal("For compares the bot name case-insensitively and refuses other bots")
	}
	if c, _ := chat.ParseCommand("/start"); !c.For("kimbot_bot") {
		t.Fatal("a command naming no bot is for every bot")
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/start", "/start@bot 1", "\u200d/x y", "/a@", "/@b", "halo", "/\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, ok := chat.ParseCommand(text)
		if !ok {
			return
		}
		if c.Name == "" || len(c.Name) > 32 || c.Name != strings.ToLower(c.Name) || strings.ContainsAny(c.Name, "@/ ") {
			t.Fatalf("bad name %q from %q", c.Name, text)
		}
		if strings.Contains(c.Bot, "@") || c.Args != strings.TrimSpace(c.Args) {
			t.Fatalf("bad parts %+v from %q", c, text)
		}
		if utf8.ValidString(text) && !utf8.ValidString(c.Args) {
			t.Fatalf("args not UTF-8 from valid %q", text)
		}
	})
}
