package chat_test

import (
	"context"
	"testing"

	"github.com/kimbot/kimbot/bot/internal/chat"
)

// TestRouter_Callback: a button route must say where it may be pressed;
// routes are unique and at most "area:action".
func TestRouter_Callback(t *testing.T) {
	h := func(context.Context, *chat.Request) error { return nil }
	tests := []struct {
		name   string
		prefix string
		access chat.Access
		ok     bool
	}{
		{"resident buttons", "res", chat.ResidentButtons, true},
		{"an action of its own", "asp:rate_yes", chat.ResidentButtons, true},
		{"no chat allowed", "x", chat.Access{}, false},
		{"roles but no chat", "x", chat.Access{Roles: chat.StaffButtons.Roles}, false},
		{"empty area", "", chat.ResidentButtons, false},
		{"deeper than an action", "a:b:c", chat.ResidentButtons, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := chat.NewRouter()
			rt.Callback(tt.prefix, tt.access, h)
			if err := rt.Err(); (err == nil) != tt.ok {
				t.Fatalf("Callback(%q, %+v): err = %v", tt.prefix, tt.access, err)
			}
		})
	}
	rt := chat.NewRouter()
	rt.Callback("res", chat.ResidentButtons, h)
	rt.Callback("res", chat.ResidentButtons, h)
	if rt.Err() == nil {
		t.Fatal("a route registered twice was accepted")
	}
}
