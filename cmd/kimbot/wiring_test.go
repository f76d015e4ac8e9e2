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
	"github.com/kimbot/kimbot/internal/redisconn"
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
	srv := httptest.NewServer(newHTTPHandler(app.db, app.rdb, reg, "", nil, nil))
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

// TestNewService_ScrapeRunsNoQuery: the gauges read from PostgreSQL
// (subscribers, schedules, runs, tickets, ratings, outbox) are refreshed
// in the background; a scrape serves their last values from memory. With
// the database closed after one refresh, every scrape still succeeds and
// shows them: a scrape that ran a query would fail or lose them.
func TestNewService_ScrapeRunsNoQuery(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	rdb, prefix := testenv.Redis(t)
	db := testenv.DB(t)
	app := &cliApp{db: db, rdb: rdb, clock: message.SystemClock{}, logger: slog.New(slog.DiscardHandler),
		cfg: Config{TelegramToken: "123:TEST", TelegramAPIURL: emu.URL(), RedisPrefix: prefix, TZ: time.UTC, Rate: 25}}
	if _, err := db.Exec(`INSERT INTO subscribers (chat_id, village_code, status) VALUES (1, '35.73.05.1003', 'active'), (2, '35.73.05.1003', 'blocked')`); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	svc, err := newService(app, reg)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.gauges.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close() // from here on, any query fails
	srv := httptest.NewServer(newMetricsHandler(reg))
	defer srv.Close()
	for range 3 {
		body := getBody(t, srv.URL+"/metrics")
		for _, want := range []string{
			`kimbot_subscribers{status="active"} 1`, `kimbot_subscribers{status="blocked"} 1`,
			`kimbot_schedules{status="active"} 0`, `kimbot_runs{status="sending"} 0`,
			`kimbot_aspirations_outbox_pending 0`, `kimbot_aspirations_ratings{helpful="true"} 0`,
			`kimbot_gauges_refreshed_timestamp_seconds `,
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("scrape with the database closed lacks %q:\n%s", want, body)
			}
		}
	}
}

// /readyz: 503 without PostgreSQL, 200 (saying so) without Redis, which
// is optional; a Redis outage must not take every replica out.
func TestReadyz_RedisOptional(t *testing.T) {
	db := testenv.DB(t)
	rdb, _ := testenv.Redis(t)
	deadRedis, err := redisconn.New("redis://127.0.0.1:1/0")
	if err != nil {
		t.Fatal(err)
	}
	defer deadRedis.Close()
	for _, c := range []struct {
		name  string
		redis bool
		want  int
		body  string
	}{
		{"both", true, http.StatusOK, `"redis":"ok"`},
		{"no redis", false, http.StatusOK, `unreachable (optional`},
	} {
		r := rdb
		if !c.redis {
			r = deadRedis
		}
		srv := httptest.NewServer(newHTTPHandler(db, r, nil, "", nil, nil))
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		if resp.StatusCode != c.want || !strings.Contains(string(body), c.body) {
			t.Errorf("%s: %d %s, want %d with %s", c.name, resp.StatusCode, body, c.want, c.body)
		}
	}
	closed := testenv.DB(t)
	closed.Close()
	srv := httptest.NewServer(newHTTPHandler(closed, rdb, nil, "", nil, nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("without PostgreSQL: %d, want 503", resp.StatusCode)
	}
}
