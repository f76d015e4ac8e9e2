package chat_test

import (
	"testing"

	"github.com/kimbot/kimbot/bot/internal/chat"
)

func TestPageAt(t *testing.T) {
	cases := []struct {
		name               string
		offset, per, total int
		want               chat.Page
	}{
		{"empty", 0, 5, 0, chat.Page{Number: 1, Count: 1, Offset: 0, Prev: -1, Next: -1}},
		{"one page", 0, 5, 5, chat.Page{Number: 1, Count: 1, Offset: 0, Prev: -1, Next: -1}},
		{"first of three", 0, 5, 11, chat.Page{Number: 1, Count: 3, Offset: 0, Prev: -1, Next: 5}},
		{"middle", 5, 5, 11, chat.Page{Number: 2, Count: 3, Offset: 5, Prev: 0, Next: 10}},
		{"last partial", 10, 5, 11, chat.Page{Number: 3, Count: 3, Offset: 10, Prev: 5, Next: -1}},
		{"past the end clamps", 50, 5, 11, chat.Page{Number: 3, Count: 3, Offset: 10, Prev: 5, Next: -1}},
		{"negative clamps", -3, 5, 11, chat.Page{Number: 1, Count: 3, Offset: 0, Prev: -1, Next: 5}},
		{"off boundary rounds down", 7, 5, 11, chat.Page{Number: 2, Count: 3, Offset: 5, Prev: 0, Next: 10}},
		{"zero per is one", 1, 0, 2, chat.Page{Number: 2, Count: 2, Offset: 1, Prev: 0, Next: -1}},
		{"shrunk list", 10, 5, 10, chat.Page{Number: 2, Count: 2, Offset: 5, Prev: 0, Next: -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := chat.PageAt(c.offset, c.per, c.total); got != c.want {
				t.Errorf("chat.PageAt(%d,%d,%d) = %+v, want %+v", c.offset, c.per, c.total, got, c.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcdefghij", 5, "abcd…"},
		{"ééééé", 3, "éé…"},
		{"🙏🙏🙏", 2, "…"}, // an emoji counts 2, as in Telegram
		{"🙏🙏🙏", 4, "🙏…"},
		{"a🙏", 2, "a…"},
		{"abc", 0, ""},
	}
	for _, c := range cases {
		if got := chat.Truncate(c.in, c.n); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
