package broadcast

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	schedulesDesc = prometheus.NewDesc("kimbot_schedules", "Schedules by status (read from PostgreSQL at scrape time).", []string{"status"}, nil)
	runsDesc      = prometheus.NewDesc("kimbot_runs", "Unfinished runs by status, sending or paused (read at scrape time).", []string{"status"}, nil)
)

// scheduleCollector reads schedule and run counts at scrape time, so every
// replica reports the same, current numbers.
type scheduleCollector struct{ s *Schedules }

// Collector returns a Prometheus collector of kimbot_schedules{status} and
// kimbot_runs{status} (sending, paused). A failed query reports nothing
// for that scrape rather than stale numbers.
func (s *Schedules) Collector() prometheus.Collector { return scheduleCollector{s} }

// Describe implements prometheus.Collector.
func (c scheduleCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- schedulesDesc
	ch <- runsDesc
}

// Collect implements prometheus.Collector.
func (c scheduleCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c.emit(ctx, ch, schedulesDesc, `SELECT st, count(s.id) FROM unnest(ARRAY['active','paused','cancelled','finished']) AS st
LEFT JOIN schedules s ON s.status = st GROUP BY st`)
	c.emit(ctx, ch, runsDesc, `SELECT st, count(r.id) FROM unnest(ARRAY['sending','paused']) AS st
LEFT JOIN runs r ON r.status = st GROUP BY st`)
}

func (c scheduleCollector) emit(ctx context.Context, ch chan<- prometheus.Metric, desc *prometheus.Desc, query string) {
	var rows []struct {
		Status string `db:"st"`
		N      int    `db:"count"`
	}
	if err := c.s.db.SelectContext(ctx, &rows, query); err != nil {
		return
	}
	for _, r := range rows {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(r.N), r.Status)
	}
}
