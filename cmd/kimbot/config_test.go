package main

import (
	"strings"
	"testing"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadConfig_Defaults(t *testing.T) {
	cfg, err := loadConfig(envOf(nil))
	if err != nil {
		t.Fatalf("defaults must be valid: %v", err)
	}
	if cfg.Rate != 25 || cfg.TZ.String() != "Asia/Jakarta" || cfg.TelegramAPIURL != "https://api.telegram.org" {
		t.Fatalf("unexpected defaults: rate=%d tz=%s api=%s", cfg.Rate, cfg.TZ, cfg.TelegramAPIURL)
	}
	if err := cfg.requireToken(); err == nil || !strings.Contains(err.Error(), "TELEGRAM_TOKEN") {
		t.Fatalf("a missing token must be named: %v", err)
	}
}

func TestLoadConfig_Errors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // the variable the error must name
	}{
		{"bad database url", map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{"database url without host", map[string]string{"DATABASE_URL": "postgres://"}, "DATABASE_URL"},
		{"bad redis url", map[string]string{"REDIS_URL": "http://x"}, "REDIS_URL"},
		{"unknown zone", map[string]string{"KIMBOT_TZ": "Asia/Bandung"}, "KIMBOT_TZ"},
		{"rate zero", map[string]string{"KIMBOT_RATE": "0"}, "KIMBOT_RATE"},
		{"rate too high", map[string]string{"KIMBOT_RATE": "5000"}, "KIMBOT_RATE"},
		{"rate not a number", map[string]string{"KIMBOT_RATE": "cepat"}, "KIMBOT_RATE"},
		{"root not a code", map[string]string{"KIMBOT_REGION_ROOT": "malang"}, "KIMBOT_REGION_ROOT"},
		{"root a village", map[string]string{"KIMBOT_REGION_ROOT": "35.73.05.1003"}, "KIMBOT_REGION_ROOT"},
		{"bad token", map[string]string{"TELEGRAM_TOKEN": "not a token"}, "TELEGRAM_TOKEN"},
		{"map tiles over http", map[string]string{"KIMBOT_MAP_TILES": "http://tile.example/{z}/{x}/{y}.png"}, "KIMBOT_MAP_TILES"},
		{"map tiles without {z}", map[string]string{"KIMBOT_MAP_TILES": "https://tile.example/tiles.png"}, "KIMBOT_MAP_TILES"},
		{"webhook without secret", map[string]string{"WEBHOOK_URL": "https://x.example/hook"}, "WEBHOOK_SECRET"},
		{"webhook secret with spaces", map[string]string{"WEBHOOK_URL": "https://x.example/hook", "WEBHOOK_SECRET": "a b"}, "WEBHOOK_SECRET"},
		{"bad log level", map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"bad log format", map[string]string{"LOG_FORMAT": "logfmt"}, "LOG_FORMAT"},
		{"metrics address not host:port", map[string]string{"METRICS_ADDR": "9090"}, "METRICS_ADDR"},
		{"metrics address the public one", map[string]string{"METRICS_ADDR": "127.0.0.1:8080"}, "METRICS_ADDR"},
		{"webhook on the console's root", map[string]string{"WEBHOOK_URL": "https://x.example", "WEBHOOK_SECRET": "s"}, "path of its own"},
		{"webhook on a console page", map[string]string{"WEBHOOK_URL": "https://x.example/siaran/x", "WEBHOOK_SECRET": "s"}, "path of its own"},
		{"public url not http", map[string]string{"KIMBOT_PUBLIC_URL": "ftp://kimbot.example"}, "KIMBOT_PUBLIC_URL"},
		{"public url with a query", map[string]string{"KIMBOT_PUBLIC_URL": "https://kimbot.example/?a=1"}, "KIMBOT_PUBLIC_URL"},
		{"public url with a path", map[string]string{"KIMBOT_PUBLIC_URL": "https://diskominfo.example/kimbot"}, "without a path"},
		{"metrics refresh too often", map[string]string{"KIMBOT_METRICS_REFRESH": "10ms"}, "KIMBOT_METRICS_REFRESH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(envOf(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

func TestLoadConfig_Valid(t *testing.T) {
	cfg, err := loadConfig(envOf(map[string]string{
		"TELEGRAM_TOKEN": "123456:ABC-def_1", "KIMBOT_REGION_ROOT": "3573", "KIMBOT_TZ": "Asia/Jayapura",
		"KIMBOT_RATE": "1000", "WEBHOOK_URL": "https://bot.example/tg", "WEBHOOK_SECRET": "s3cr3t_-",
		"TELEGRAM_API_URL": "http://127.0.0.1:8081/", "KIMBOT_MAP_TILES": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RegionRoot != "35.73" || cfg.Rate != 1000 || cfg.TelegramAPIURL != "http://127.0.0.1:8081" {
		t.Fatalf("parsed %+v", cfg)
	}
	if cfg.MapTiles != "https://tile.openstreetmap.org/{z}/{x}/{y}.png" {
		t.Fatalf("KIMBOT_MAP_TILES = %q", cfg.MapTiles)
	}
	if cfg.PublicURL != "http://127.0.0.1:8080" {
		t.Fatalf("KIMBOT_PUBLIC_URL defaults to %q, want http://HTTP_ADDR", cfg.PublicURL)
	}
}

func TestRun_UsageAndUnknownCommand(t *testing.T) {
	var out, errOut strings.Builder
	if code := run(t.Context(), []string{"terbang"}, envOf(nil), strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("unknown command exit = %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("stderr = %q", errOut.String())
	}
	errOut.Reset()
	if code := run(t.Context(), []string{"migrate"}, envOf(map[string]string{"KIMBOT_RATE": "x"}), strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("bad config exit = %d, want 2", code)
	}
	if lines := strings.Count(strings.TrimSpace(errOut.String()), "\n"); lines != 0 {
		t.Fatalf("config errors must fit one line: %q", errOut.String())
	}
}
