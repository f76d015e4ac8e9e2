package broadcast

import "github.com/prometheus/client_golang/prometheus"

// engineMetrics are the delivery engine's Prometheus metrics.
type engineMetrics struct {
	deliveries  *prometheus.CounterVec
	queueDepth  prometheus.Gauge
	rateLimited prometheus.Counter
	sendLatency prometheus.Histogram
	runsSending prometheus.Gauge
}

func newEngineMetrics() *engineMetrics {
	return &engineMetrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kimbot_deliveries_total",
			Help: "Delivery attempts by outcome: sent, blocked, failed, uncertain, retry (transient, will retry), retry_after (429), released (handed back unsent), skipped (subscriber left).",
		}, []string{"outcome"}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kimbot_delivery_queue_depth",
			Help: "Deliveries pending or being sent, across all runs (refreshed every few seconds).",
		}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kimbot_telegram_429_total",
			Help: "Sends Telegram answered with 429 Too Many Requests.",
		}),
		sendLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kimbot_delivery_send_seconds",
			Help:    "Time for one send to Telegram, limiter wait excluded.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		runsSending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kimbot_runs_in_progress",
			Help: "Runs with status sending (refreshed every few seconds).",
		}),
	}
}

// Collectors returns the engine's metrics, for the caller to register on
// its Prometheus registry.
func (e *Engine) Collectors() []prometheus.Collector {
	m := e.metrics
	return []prometheus.Collector{m.deliveries, m.queueDepth, m.rateLimited, m.sendLatency, m.runsSending}
}
