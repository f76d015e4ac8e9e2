package main

import (
	"log/slog"

	"github.com/kimbot/kimbot/console"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// `kimbot web link` prints a link under KIMBOT_PUBLIC_URL that the console
// accepts, only for staff, and refuses bad flags with a one-line reason.
func TestRunWeb(t *testing.T) {
	app, out, _ := newAspirationsApp(t)
	app.logger = slog.New(slog.DiscardHandler)
	app.cfg.PublicURL = "https://kimbot.example.go.id"
	if _, err := runAsp(app, out, runModerator, "add", "--telegram-id", "101", "--region", "35.73.05.1003"); err != nil {
		t.Fatal(err)
	}
	got, err := runAsp(app, out, runWeb, "link", "--telegram-id", "101")
	link := strings.TrimSpace(got)
	if err != nil || !strings.HasPrefix(link, "https://kimbot.example.go.id/masuk/") || strings.Count(got, "\n") != 1 {
		t.Fatalf("web link: %q, %v", got, err)
	}
	web, stop := newConsole(app, console.Deps{})
	defer stop()
	rec := httptest.NewRecorder()
	web.Handler().ServeHTTP(rec, httptest.NewRequest("GET", strings.TrimPrefix(link, "https://kimbot.example.go.id"), nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("the console answers the printed link with %d", rec.Code)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"link", "--telegram-id", "9001"}, "neither an operator nor a moderator"},
		{[]string{"link"}, "--telegram-id must be"},
		{[]string{"link", "--telegram-id", "-5"}, "--telegram-id must be"},
		{[]string{"link", "--telegram-id", "x"}, "invalid value"},
		{[]string{"links"}, "usage: kimbot web link"},
		{nil, "usage: kimbot web link"},
		{[]string{"link", "--telegram-id", "101", "extra"}, "unexpected"},
	} {
		if _, err := runAsp(app, out, runWeb, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("web %v: %v, want %q", c.args, err, c.want)
		}
	}
}
