package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

// newHTTPHandler serves the operational endpoints, /metrics when reg is
// not nil (METRICS_ADDR unset), in webhook mode Telegram's updates on the
// path of WEBHOOK_URL, and the web console (web) on every other path.
func newHTTPHandler(db *sqlx.DB, rdb *redis.Client, reg *prometheus.Registry, webhookURL string, webhook, web http.Handler) http.Handler {
	mux := http.NewServeMux()
	if web != nil {
		mux.Handle("/", web)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ready(w, r, db, rdb)
	})
	if reg != nil {
		mux.Handle("GET /metrics", metricsHandler(reg))
	}
	if webhook != nil {
		mux.Handle("POST "+webhookPath(webhookURL), webhook)
	}
	return mux
}

// newMetricsHandler serves /metrics alone, on METRICS_ADDR.
func newMetricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler(reg))
	return mux
}

// metricsHandler serves reg. Nothing in it queries at scrape time (the
// gauges read from PostgreSQL are refreshed in the background), so a
// scrape is cheap; a timeout still bounds a slow client.
func metricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg, Timeout: 10 * time.Second})
}

// ready reports whether this replica can do its work: PostgreSQL must
// answer (every update is stored there first), so without it the answer
// is 503 and a load balancer sends traffic elsewhere. Redis is optional
// (without it kimbot paces in process and keeps no conversation steps), so
// an unreachable Redis is reported but still 200: a Redis outage must not
// take every replica out of service at once.
func ready(w http.ResponseWriter, r *http.Request, db *sqlx.DB, rdb *redis.Client) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{"postgres": "ok", "redis": "ok"}
	status := http.StatusOK
	if err := db.PingContext(ctx); err != nil {
		checks["postgres"], status = "unreachable", http.StatusServiceUnavailable
	}
	if err := rdb.Ping(ctx).Err(); err != nil {
		checks["redis"] = "unreachable (optional: degraded)"
	}
	writeJSON(w, status, checks)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// webhookPath is the path part of WEBHOOK_URL, "/" when it has none.
func webhookPath(webhookURL string) string {
	u, err := url.Parse(webhookURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}
