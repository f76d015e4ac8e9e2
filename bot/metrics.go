package bot

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/broadcast"
)

// metrics are the bot's Prometheus collectors.
type metrics struct {
	updates     *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	subscribers prometheus.Collector
}

func newMetrics(subs *broadcast.Subscribers) *metrics {
	return &metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kimbot_bot_updates_total",
			Help: "Updates handled, by kind (command, message, callback, my_chat_member, other; flood: set aside unanswered, see bot/flood.go) and result (ok, error, panic, failed).",
		}, []string{"kind", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kimbot_bot_handler_seconds",
			Help:    "Time to handle one update, replies included.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"kind"}),
		subscribers: &subscriberCollector{subs: subs, desc: prometheus.NewDesc("kimbot_subscribers",
			"Subscribers by status (active, stopped, blocked).", []string{"status"}, nil)},
	}
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.updates, m.latency, m.subscribers}
}

func (m *metrics) handled(kind, result string, elapsed time.Duration) {
	m.updates.WithLabelValues(kind, result).Inc()
	if elapsed > 0 {
		m.latency.WithLabelValues(kind).Observe(elapsed.Seconds())
	}
}

// subscriberCollector counts subscribers by status at scrape time.
type subscriberCollector struct {
	subs *broadcast.Subscribers
	desc *prometheus.Desc
}

func (c *subscriberCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *subscriberCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.subs.CountByStatus(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for status, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), string(status))
	}
}
