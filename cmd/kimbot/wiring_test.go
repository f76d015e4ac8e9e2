package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

// TestNewService_SendsOnMetrics: the process's one Sender is registered
// once (newService would panic on a second registration) and /metrics
// shows its calls by kind.
func TestNewService_SendsOnMetrics(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	rdb, prefix := testenv.Redis(t)
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	app := &cliApp{db: testenv.DB(t), rdb: rdb, clock: message.SystemClock{}, logger: slog.New(slog.DiscardHandler),
		cfg: Config{TelegramToken: "123:TEST", TelegramAPIURL: emu.URL(), RedisPrefix: prefix, TZ: loc, Rate: 25}}
	reg := prometheus.NewRegistry()
	svc, err := newService(app, reg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, r := range svc.runners {
		wg.Add(1)
		go func() { defer wg.Done(); _ = r(ctx) }()
	}
	defer func() { cancel(); wg.Wait() }()
	srv := httptest.NewServer(newHTTPHandler(app.db, app.rdb, reg, "", nil))
	defer srv.Close()
	// The bot registers its command menu on start: a reply-kind call.
	want := `kimbot_telegram_sends_total{kind="reply",method="setMyCommands",outcome="ok"} 1`
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if body = getBody(t, srv.URL+"/metrics"); strings.Contains(body, want) {
			return
		}
	}
	t.Fatalf("/metrics lacks %s:\n%s", want, body)
}

// getBody returns the body of a GET of url.
func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
