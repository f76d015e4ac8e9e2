package bot

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/bot/internal/inbox"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/snapshot"
)

// metrics are the bot's Prometheus collectors.
type metrics struct {
	updates     *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	subscribers *snapshot.Gauge
	inboxOpen   *snapshot.Gauge
	subs        *broadcast.Subscribers
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
		subscribers: snapshot.NewGauge("kimbot_subscribers",
			"Subscribers by status (active, stopped, blocked), as last read in the background.", "status"),
		inboxOpen: snapshot.NewGauge("kimbot_bot_inbox_pending",
			"Updates stored in the inbox and not handled yet (waiting or being handled), across replicas."),
		subs: subs,
	}
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.updates, m.latency, m.subscribers, m.inboxOpen}
}

func (m *metrics) handled(kind, result string, elapsed time.Duration) {
	m.updates.WithLabelValues(kind, result).Inc()
	if elapsed > 0 {
		m.latency.WithLabelValues(kind).Observe(elapsed.Seconds())
	}
}

// refreshGauges reads the counts behind kimbot_subscribers and
// kimbot_bot_inbox_pending.
func (m *metrics) refreshGauges(ctx context.Context, in *inbox.Inbox) error {
	open, err := in.Backlog(ctx)
	if err != nil {
		return err
	}
	m.inboxOpen.Set(snapshot.Sample{Value: float64(open)})
	counts, err := m.subs.CountByStatus(ctx)
	if err != nil {
		return err
	}
	samples := make([]snapshot.Sample, 0, len(counts))
	for status, n := range counts {
		samples = append(samples, snapshot.Sample{Labels: []string{string(status)}, Value: float64(n)})
	}
	m.subscribers.Set(samples...)
	return nil
}
