// Package snapshot serves gauges that cost a database query from memory.
// A Refresher reads them in the background at a fixed pace, so a
// Prometheus scrape costs no query however often it comes and however
// many scrape, and a slow count (subscribers of a whole province) never
// sits on the scrape's path or the webhook's listener.
package snapshot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Sample is one series of a Gauge: its label values, in the Gauge's
// label order, and its value.
type Sample struct {
	Labels []string
	Value  float64
}

// Gauge is a gauge family whose series are set together from a query's
// result and served from memory; it is a prometheus.Collector.
type Gauge struct {
	desc *prometheus.Desc

	mu      sync.RWMutex
	samples []Sample
}

// NewGauge returns an empty Gauge (it shows no series until Set).
func NewGauge(name, help string, labels ...string) *Gauge {
	return &Gauge{desc: prometheus.NewDesc(name, help, labels, nil)}
}

// Set replaces every series of g at once: a scrape sees the old set or
// the new one, never half of each.
func (g *Gauge) Set(samples ...Sample) {
	g.mu.Lock()
	g.samples = samples
	g.mu.Unlock()
}

// Describe implements prometheus.Collector.
func (g *Gauge) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

// Collect implements prometheus.Collector: the last values Set, no query.
func (g *Gauge) Collect(ch chan<- prometheus.Metric) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	for _, s := range g.samples {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, s.Value, s.Labels...)
	}
}

// DefaultEvery is how often a Refresher reads its gauges unless told
// otherwise (KIMBOT_METRICS_REFRESH): as often as Prometheus scrapes by
// default, so a scrape's values are at most one interval old.
const DefaultEvery = 15 * time.Second

// Refresher runs every refresh function at start and then every Every,
// until its context ends. Each replica runs one; the counts are cheap
// next to what scrape-time queries cost (one round per interval however
// many scrape), and a dashboard takes max() over replicas.
type Refresher struct {
	every   time.Duration
	log     *slog.Logger
	refresh []func(ctx context.Context) error
	last    prometheus.Gauge
}

// NewRefresher returns a Refresher of the refresh functions given (each
// reads one area's counts and Sets its Gauges).
func NewRefresher(every time.Duration, logger *slog.Logger, refresh ...func(ctx context.Context) error) *Refresher {
	if every <= 0 {
		every = DefaultEvery
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Refresher{every: every, log: logger, refresh: refresh, last: prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "kimbot_gauges_refreshed_timestamp_seconds",
		Help: "When the gauges read from PostgreSQL (subscribers, schedules, runs, tickets, ratings, outbox backlog) were last read in full; their values are that old.",
	})}
}

// Collector is the time of the last full refresh, for the registry.
func (r *Refresher) Collector() prometheus.Collector { return r.last }

// Refresh runs every refresh function once, each within the interval; a
// failed one keeps its gauges' last values.
func (r *Refresher) Refresh(ctx context.Context) error {
	var errs []error
	for _, f := range r.refresh {
		fctx, cancel := context.WithTimeout(ctx, r.every)
		errs = append(errs, f(fctx))
		cancel()
	}
	err := errors.Join(errs...)
	if err == nil {
		r.last.SetToCurrentTime()
	}
	return err
}

// Run refreshes at once and then every interval until ctx ends; failures
// are logged and the gauges keep their last values.
func (r *Refresher) Run(ctx context.Context) error {
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		if err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("refreshing gauges; they keep their last values", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
