package aspirations

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the service's own counters and histograms, plus a collector
// that reads ticket counts from the database at scrape time (so every
// replica reports the same truth).
type metrics struct {
	filed         *prometheus.CounterVec
	outbox        *prometheus.CounterVec
	firstResponse prometheus.Histogram
	toClose       prometheus.Histogram
	sla           *prometheus.CounterVec
	db            *sqlx.DB
	ticketsDesc   *prometheus.Desc
	ratingsDesc   *prometheus.Desc
	helpfulDesc   *prometheus.Desc
	pendingDesc   *prometheus.Desc
}

// responseBuckets span minutes to a week: KIM volunteers answer in hours
// or days, not milliseconds.
var responseBuckets = []float64{60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 48 * 3600, 72 * 3600, 7 * 24 * 3600}

func newMetrics(db *sqlx.DB) *metrics {
	return &metrics{
		db: db,
		filed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kimbot_aspirations_filed_total",
			Help: "Aspirations filed, by category."}, []string{"category"}),
		outbox: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kimbot_aspirations_outbox_sends_total",
			Help: "Aspiration outbox send attempts, by message kind and result."}, []string{"kind", "result"}),
		firstResponse: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kimbot_aspirations_first_response_seconds",
			Help: "Time from filing to the first staff response (answer, rejection or escalation).", Buckets: responseBuckets}),
		toClose: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kimbot_aspirations_close_seconds",
			Help: "Time from filing to answer or rejection.", Buckets: responseBuckets}),
		sla: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kimbot_aspirations_sla_actions_total",
			Help: "Automatic service-level actions: escalated, released, digest."}, []string{"action"}),
		ticketsDesc: prometheus.NewDesc("kimbot_aspirations_tickets",
			"Aspiration tickets by status and category.", []string{"status", "category"}, nil),
		ratingsDesc: prometheus.NewDesc("kimbot_aspirations_ratings",
			"Ratings residents gave answers.", []string{"helpful"}, nil),
		helpfulDesc: prometheus.NewDesc("kimbot_aspirations_rated_helpful_ratio",
			"Share of rated answers that residents found helpful.", nil, nil),
		pendingDesc: prometheus.NewDesc("kimbot_aspirations_outbox_pending",
			"Aspiration posts and notifications not yet sent.", nil, nil),
	}
}

// observeResponse records first response and close durations of a change.
func (m *metrics) observeResponse(t Ticket, firstResponse, closed bool, now time.Time) {
	if firstResponse {
		m.firstResponse.Observe(now.Sub(t.CreatedAt).Seconds())
	}
	if closed {
		m.toClose.Observe(now.Sub(t.CreatedAt).Seconds())
	}
}

// Describe implements prometheus.Collector for the scrape-time gauges.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.ticketsDesc
	ch <- m.ratingsDesc
	ch <- m.helpfulDesc
	ch <- m.pendingDesc
}

const sqlTicketCounts = `SELECT status, category, count(*) AS n FROM aspiration_tickets GROUP BY status, category`

const sqlRatingCounts = `
SELECT count(*) FILTER (WHERE rating) AS yes, count(*) FILTER (WHERE NOT rating) AS no
FROM aspiration_tickets WHERE rating IS NOT NULL`

// Collect implements prometheus.Collector: it reads the counts now.
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var counts []struct {
		Status   string `db:"status"`
		Category string `db:"category"`
		N        int64  `db:"n"`
	}
	if err := m.db.SelectContext(ctx, &counts, sqlTicketCounts); err == nil {
		for _, c := range counts {
			ch <- prometheus.MustNewConstMetric(m.ticketsDesc, prometheus.GaugeValue, float64(c.N), c.Status, c.Category)
		}
	}
	var r struct {
		Yes int64 `db:"yes"`
		No  int64 `db:"no"`
	}
	if err := m.db.GetContext(ctx, &r, sqlRatingCounts); err == nil {
		ch <- prometheus.MustNewConstMetric(m.ratingsDesc, prometheus.GaugeValue, float64(r.Yes), "true")
		ch <- prometheus.MustNewConstMetric(m.ratingsDesc, prometheus.GaugeValue, float64(r.No), "false")
		if r.Yes+r.No > 0 {
			ch <- prometheus.MustNewConstMetric(m.helpfulDesc, prometheus.GaugeValue, float64(r.Yes)/float64(r.Yes+r.No))
		}
	}
	var pending int64
	if err := m.db.GetContext(ctx, &pending, `SELECT count(*) FROM aspiration_outbox WHERE status = 'pending'`); err == nil {
		ch <- prometheus.MustNewConstMetric(m.pendingDesc, prometheus.GaugeValue, float64(pending))
	}
}

// Collectors are the aspirations metrics, for the caller to register:
// tickets by status and category, time to first response, time to close,
// ratings and the share rated helpful, outbox sends and backlog, and SLA
// actions.
func (s *Service) Collectors() []prometheus.Collector {
	m := s.metrics
	return []prometheus.Collector{m.filed, m.outbox, m.firstResponse, m.toClose, m.sla, m}
}
