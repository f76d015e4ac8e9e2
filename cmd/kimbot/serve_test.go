package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
)

// TestServe_MetricsAddr: with METRICS_ADDR set, `kimbot serve` serves
// /metrics there and no longer on HTTP_ADDR, which keeps health,
// readiness and the webhook.
func TestServe_MetricsAddr(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	_, dbURL := testenv.DBWithURL(t)
	_, prefix := testenv.Redis(t)
	env := map[string]string{"TELEGRAM_TOKEN": "123:TEST", "TELEGRAM_API_URL": emu.URL(), "DATABASE_URL": dbURL,
		"REDIS_URL": testenv.RedisURL(), "KIMBOT_REDIS_PREFIX": prefix,
		"HTTP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"}
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncBuffer{}
	done := make(chan int)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), strings.NewReader(""), &syncBuffer{}, stderr) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, stderr.String())
		}
	}()
	public, metrics := servingAddrs(t, stderr)
	if public == metrics {
		t.Fatalf("one address %s for both", public)
	}
	for _, c := range []struct {
		url  string
		want int
	}{
		{"http://" + metrics + "/metrics", http.StatusOK},
		{"http://" + public + "/metrics", http.StatusNotFound},
		{"http://" + public + "/healthz", http.StatusOK},
	} {
		resp, err := http.Get(c.url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("GET %s = %d, want %d", c.url, resp.StatusCode, c.want)
		}
	}
	if body := getBody(t, "http://"+metrics+"/metrics"); !strings.Contains(body, "kimbot_gauges_refreshed_timestamp_seconds") {
		t.Errorf("/metrics on METRICS_ADDR lacks kimbot's gauges:\n%s", body)
	}
}

// servingAddrs waits for serve's "kimbot serving" log line and returns
// the addresses it listens on.
func servingAddrs(t *testing.T, stderr *syncBuffer) (public, metrics string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		sc := bufio.NewScanner(strings.NewReader(stderr.String()))
		for sc.Scan() {
			var line struct {
				Msg         string `json:"msg"`
				HTTPAddr    string `json:"http_addr"`
				MetricsAddr string `json:"metrics_addr"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "kimbot serving" {
				return line.HTTPAddr, line.MetricsAddr
			}
		}
	}
	t.Fatalf("serve did not start:\n%s", stderr.String())
	return "", ""
}

// syncBuffer is a bytes.Buffer that serve's goroutines and the test may
// use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
