package aspirations

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/internal/snapshot"
)

// metrics are the service's own counters and histograms, plus gauges
// read from the database in the background (RefreshGauges), so every
// replica reports the same truth and a scrape costs no query.
type metrics struct {
	filed         *prometheus.CounterVec
	outbox        *prometheus.CounterVec
	firstResponse prometheus.Histogram
	toClose       prometheus.Histogram
	sla           *prometheus.CounterVec
	db            *sqlx.DB
	tickets       *snapshot.Gauge
	ratings       *snapshot.Gauge
	helpful       *snapshot.Gauge
	pending       *snapshot.Gauge
	overdue       *snapshot.Gauge
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
		tickets: snapshot.NewGauge("kimbot_aspirations_tickets",
			"Aspiration tickets by status and category.", "status", "category"),
		ratings: snapshot.NewGauge("kimbot_aspirations_ratings",
			"Ratings residents gave answers.", "helpful"),
		helpful: snapshot.NewGauge("kimbot_aspirations_rated_helpful_ratio",
			"Share of rated answers that residents found helpful."),
		pending: snapshot.NewGauge("kimbot_aspirations_outbox_pending",
			"Aspiration posts and notifications not yet sent."),
		overdue: snapshot.NewGauge("kimbot_aspirations_overdue",
			"Open tickets (baru, diproses, diteruskan) filed longer ago than the service level's escalation window (3 days), by status.", "status"),
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

const sqlTicketCounts = `SELECT status, category, count(*) AS n FROM aspiration_tickets GROUP BY status, category`

const sqlRatingCounts = `
SELECT count(*) FILTER (WHERE rating) AS yes, count(*) FILTER (WHERE NOT rating) AS no
FROM aspiration_tickets WHERE rating IS NOT NULL`

// sqlOverdue counts open tickets filed before $1, by the open-tickets
// index (aspiration_tickets_open_idx: created_at over the open statuses).
const sqlOverdue = `
SELECT st AS status, count(t.id) AS n FROM unnest(ARRAY['baru','diproses','diteruskan']) AS st
LEFT JOIN aspiration_tickets t ON t.status = st AND t.created_at < $1 GROUP BY st`

// refreshGauges reads the ticket, rating and outbox counts; a ticket is
// overdue when it is still open and was filed before overdueBefore.
func (m *metrics) refreshGauges(ctx context.Context, overdueBefore time.Time) error {
	var counts []struct {
		Status   string `db:"status"`
		Category string `db:"category"`
		N        int64  `db:"n"`
	}
	if err := m.db.SelectContext(ctx, &counts, sqlTicketCounts); err != nil {
		return fmt.Errorf("counting tickets: %w", err)
	}
	var r struct {
		Yes int64 `db:"yes"`
		No  int64 `db:"no"`
	}
	if err := m.db.GetContext(ctx, &r, sqlRatingCounts); err != nil {
		return fmt.Errorf("counting ratings: %w", err)
	}
	var pending int64
	if err := m.db.GetContext(ctx, &pending, `SELECT count(*) FROM aspiration_outbox WHERE status = 'pending'`); err != nil {
		return fmt.Errorf("counting the outbox backlog: %w", err)
	}
	var overdue []struct {
		Status string `db:"status"`
		N      int64  `db:"n"`
	}
	if err := m.db.SelectContext(ctx, &overdue, sqlOverdue, overdueBefore); err != nil {
		return fmt.Errorf("counting overdue tickets: %w", err)
	}
	late := make([]snapshot.Sample, 0, len(overdue))
	for _, o := range overdue {
		late = append(late, snapshot.Sample{Labels: []string{o.Status}, Value: float64(o.N)})
	}
	m.overdue.Set(late...)
	tickets := make([]snapshot.Sample, 0, len(counts))
	for _, c := range counts {
		tickets = append(tickets, snapshot.Sample{Labels: []string{c.Status, c.Category}, Value: float64(c.N)})
	}
	m.tickets.Set(tickets...)
	m.ratings.Set(snapshot.Sample{Labels: []string{"true"}, Value: float64(r.Yes)},
		snapshot.Sample{Labels: []string{"false"}, Value: float64(r.No)})
	if r.Yes+r.No > 0 {
		m.helpful.Set(snapshot.Sample{Value: float64(r.Yes) / float64(r.Yes+r.No)})
	}
	m.pending.Set(snapshot.Sample{Value: float64(pending)})
	return nil
}

// Collectors are the aspirations metrics, for the caller to register:
// tickets by status and category, time to first response, time to close,
// ratings and the share rated helpful, outbox sends and backlog, and SLA
// actions.
func (s *Service) Collectors() []prometheus.Collector {
	m := s.metrics
	return []prometheus.Collector{m.filed, m.outbox, m.firstResponse, m.toClose, m.sla,
		m.tickets, m.ratings, m.helpful, m.pending, m.overdue}
}

// RefreshGauges reads the counts behind the gauges among Collectors
// (tickets, overdue tickets, ratings, the outbox backlog); a
// snapshot.Refresher calls it in the background, so a scrape costs no
// query.
func (s *Service) RefreshGauges(ctx context.Context) error {
	return s.metrics.refreshGauges(ctx, s.now().Add(-s.cfg.UnclaimedEscalateAfter))
}
