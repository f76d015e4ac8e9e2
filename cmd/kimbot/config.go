package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/console"
	"github.com/kimbot/kimbot/internal/snapshot"
	"github.com/kimbot/kimbot/region"
)

// Config is everything kimbot reads from the environment (DESIGN.md,
// Interfaces). Every field has a development default except the token.
type Config struct {
	TelegramToken  string
	TelegramAPIURL string
	DatabaseURL    string
	RedisURL       string
	RedisPrefix    string
	RegionRoot     region.Code
	TZ             *time.Location
	Rate           int
	HTTPAddr       string
	// MetricsAddr, when set, is where /metrics is served instead of
	// HTTPAddr, so the public listener carries only the webhook and the
	// operational endpoints.
	MetricsAddr string
	// MetricsRefresh is how often the gauges read from PostgreSQL are
	// refreshed in the background (a scrape costs no query).
	MetricsRefresh time.Duration
	WebhookURL     string
	WebhookSecret  string
	// PublicURL is where people's browsers reach the web console
	// (KIMBOT_PUBLIC_URL; default http://HTTP_ADDR), without a trailing
	// slash: sign-in links start with it.
	PublicURL string
	// MapTiles and MapAttribution are the peta KIM map's optional tile
	// layer (KIMBOT_MAP_TILES, KIMBOT_MAP_ATTRIBUTION); "" draws
	// imported boundaries only, no tile server needed.
	MapTiles, MapAttribution string
	// ArchiveDefault says whether an announcement goes into the public
	// archive when its operator does not say (KIMBOT_ARCHIVE_DEFAULT,
	// default 1); ArchiveButton adds a "Cek keaslian" link button to the
	// archive page under every archived announcement delivered
	// (KIMBOT_ARCHIVE_BUTTON, default 0).
	ArchiveDefault, ArchiveButton bool
	// LogFormat is "json", "text" or "" for the command's own default
	// (newLogger); LogLevelSet says LOG_LEVEL was given, so it wins over
	// the command's default level.
	LogFormat   string
	LogLevel    slog.Level
	LogLevelSet bool
}

const maxRate = 1000

var (
	tokenPattern  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// loadConfig reads and validates the environment. Errors name the variable
// and say what it wants, in one line.
func loadConfig(getenv func(string) string) (Config, error) {
	env := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	cfg := Config{
		TelegramToken:  env("TELEGRAM_TOKEN", ""),
		TelegramAPIURL: strings.TrimRight(env("TELEGRAM_API_URL", "https://api.telegram.org"), "/"),
		DatabaseURL:    env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kimbot?sslmode=disable"),
		RedisURL:       env("REDIS_URL", "redis://127.0.0.1:6379/0"),
		RedisPrefix:    env("KIMBOT_REDIS_PREFIX", "kimbot:"),
		HTTPAddr:       env("HTTP_ADDR", "127.0.0.1:8080"),
		MetricsAddr:    env("METRICS_ADDR", ""),
		WebhookURL:     env("WEBHOOK_URL", ""),
		WebhookSecret:  env("WEBHOOK_SECRET", ""),
	}
	cfg.PublicURL = strings.TrimRight(env("KIMBOT_PUBLIC_URL", "http://"+cfg.HTTPAddr), "/")
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(checkURL("TELEGRAM_API_URL", cfg.TelegramAPIURL, "http", "https"))
	add(checkURL("DATABASE_URL", cfg.DatabaseURL, "postgres", "postgresql"))
	if _, err := redis.ParseURL(cfg.RedisURL); err != nil {
		add(fmt.Errorf("REDIS_URL must look like redis://127.0.0.1:6379/0: %w", err))
	}
	if cfg.TelegramToken != "" && !tokenPattern.MatchString(cfg.TelegramToken) {
		add(errors.New("TELEGRAM_TOKEN must look like 123456789:AA… (the token BotFather gave you)"))
	}
	var err error
	cfg.RegionRoot, err = parseRoot(env("KIMBOT_REGION_ROOT", ""))
	add(err)
	cfg.TZ, err = parseZone(env("KIMBOT_TZ", "Asia/Jakarta"))
	add(err)
	cfg.Rate, err = parseRate(env("KIMBOT_RATE", "25"))
	add(err)
	add(checkWebhook(cfg.WebhookURL, cfg.WebhookSecret))
	add(checkPublicURL(cfg.PublicURL))
	cfg.MapTiles, cfg.MapAttribution = env("KIMBOT_MAP_TILES", ""), env("KIMBOT_MAP_ATTRIBUTION", "")
	add(checkMapTiles(cfg.MapTiles))
	add(checkMetricsAddr(cfg.MetricsAddr, cfg.HTTPAddr))
	cfg.ArchiveDefault, err = parseSwitch("KIMBOT_ARCHIVE_DEFAULT", env("KIMBOT_ARCHIVE_DEFAULT", "1"))
	add(err)
	cfg.ArchiveButton, err = parseSwitch("KIMBOT_ARCHIVE_BUTTON", env("KIMBOT_ARCHIVE_BUTTON", "0"))
	add(err)
	cfg.MetricsRefresh, err = parseRefresh(env("KIMBOT_METRICS_REFRESH", snapshot.DefaultEvery.String()))
	add(err)
	if err := cfg.LogLevel.UnmarshalText([]byte(env("LOG_LEVEL", "info"))); err != nil {
		add(errors.New("LOG_LEVEL must be debug, info, warn or error"))
	}
	cfg.LogLevelSet = env("LOG_LEVEL", "") != ""
	cfg.LogFormat = strings.ToLower(env("LOG_FORMAT", ""))
	if cfg.LogFormat != "" && cfg.LogFormat != "json" && cfg.LogFormat != "text" {
		add(fmt.Errorf("LOG_FORMAT must be json or text, not %q", cfg.LogFormat))
	}
	return cfg, errors.Join(errs...)
}

func checkURL(name, raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s must be a URL like %s://host:port/…", name, schemes[0])
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return nil
		}
	}
	return fmt.Errorf("%s must start with %s://", name, strings.Join(schemes, ":// or "))
}

func parseRoot(s string) (region.Code, error) {
	if s == "" {
		return "", nil
	}
	c, err := region.ParseCode(s)
	if err != nil {
		return "", fmt.Errorf("KIMBOT_REGION_ROOT: %w", err)
	}
	if c.Level() == region.Village {
		return "", errors.New("KIMBOT_REGION_ROOT must be a province, city/regency or district, not a single village")
	}
	return c, nil
}

func parseZone(s string) (*time.Location, error) {
	loc, err := time.LoadLocation(s)
	if err != nil || s == "Local" {
		return nil, fmt.Errorf("KIMBOT_TZ must be a time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura, not %q", s)
	}
	return loc, nil
}

func parseRate(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxRate {
		return 0, fmt.Errorf("KIMBOT_RATE must be a whole number of messages per second from 1 to %d (Telegram allows about 30; up to 1000 with paid broadcasts), not %q", maxRate, s)
	}
	return n, nil
}

func checkWebhook(webhookURL, secret string) error {
	if webhookURL == "" {
		return nil
	}
	if err := checkURL("WEBHOOK_URL", webhookURL, "https", "http"); err != nil {
		return err
	}
	if !secretPattern.MatchString(secret) {
		return errors.New("WEBHOOK_SECRET is required with WEBHOOK_URL: 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	if p := webhookPath(webhookURL); p == "/" || console.Reserved(p) {
		return fmt.Errorf("WEBHOOK_URL must use a path of its own such as https://…/telegram, not %q (the web console serves that path)", p)
	}
	return nil
}

// checkPublicURL wants an http(s) origin: the console's pages and forms
// use paths from the site's root (/masuk, /static), so it cannot sit
// under a prefix such as /kimbot; a host of its own works.
func checkPublicURL(raw string) error {
	if err := checkURL("KIMBOT_PUBLIC_URL", raw, "https", "http"); err != nil {
		return err
	}
	if u, _ := url.Parse(raw); u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return errors.New("KIMBOT_PUBLIC_URL must be an address like https://kimbot.kotamalang.go.id, without a path, ? or #: the console runs at the root of its host")
	}
	return nil
}

// checkMapTiles wants an https tile URL template with {z}, {x} and {y}
// (Leaflet's form), or nothing.
func checkMapTiles(raw string) error {
	if raw == "" {
		return nil
	}
	if err := checkURL("KIMBOT_MAP_TILES", raw, "https"); err != nil {
		return err
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(raw, p) {
			return errors.New("KIMBOT_MAP_TILES must be a tile URL such as https://tile.openstreetmap.org/{z}/{x}/{y}.png")
		}
	}
	return nil
}

func checkMetricsAddr(addr, httpAddr string) error {
	if addr == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("METRICS_ADDR must be host:port such as 127.0.0.1:9090 or :9090, not %q", addr)
	}
	if addr == httpAddr && !strings.HasSuffix(addr, ":0") {
		return errors.New("METRICS_ADDR must differ from HTTP_ADDR (leave it unset to serve /metrics on HTTP_ADDR)")
	}
	return nil
}

// parseSwitch reads an on/off setting.
func parseSwitch(name, s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "ya", "on":
		return true, nil
	case "0", "false", "no", "tidak", "off":
		return false, nil
	}
	return false, fmt.Errorf("%s must be 1 (on) or 0 (off), not %q", name, s)
}

func parseRefresh(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second || d > 10*time.Minute {
		return 0, fmt.Errorf("KIMBOT_METRICS_REFRESH must be a duration from 1s to 10m such as 15s, not %q", s)
	}
	return d, nil
}

// requireToken is checked only by the commands that talk to Telegram.
func (c Config) requireToken() error {
	if c.TelegramToken == "" {
		return errors.New("TELEGRAM_TOKEN is not set: get one from @BotFather (README, \"Getting a bot token\"), or run `make demo` to try kimbot without Telegram")
	}
	return nil
}
