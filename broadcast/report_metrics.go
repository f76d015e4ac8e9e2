package broadcast

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/internal/snapshot"
)

// ScheduleGauges are kimbot_schedules{status} and kimbot_runs{status}
// (sending, paused), read from PostgreSQL by Refresh in the background
// (a snapshot.Refresher) and served from memory, so every replica reports
// the same numbers and a scrape costs no query.
type ScheduleGauges struct {
	s         *Schedules
	schedules *snapshot.Gauge
	runs      *snapshot.Gauge
}

// Gauges returns the schedule and run gauges, empty until Refresh.
func (s *Schedules) Gauges() *ScheduleGauges {
	return &ScheduleGauges{s: s,
		schedules: snapshot.NewGauge("kimbot_schedules", "Schedules by status.", "status"),
		runs:      snapshot.NewGauge("kimbot_runs", "Unfinished runs by status, sending or paused.", "status"),
	}
}

// Describe implements prometheus.Collector.
func (g *ScheduleGauges) Describe(ch chan<- *prometheus.Desc) {
	g.schedules.Describe(ch)
	g.runs.Describe(ch)
}

// Collect implements prometheus.Collector: the values of the last Refresh.
func (g *ScheduleGauges) Collect(ch chan<- prometheus.Metric) {
	g.schedules.Collect(ch)
	g.runs.Collect(ch)
}

const (
	sqlScheduleCounts = `SELECT st, count(s.id) FROM unnest(ARRAY['active','paused','cancelled','finished']) AS st
LEFT JOIN schedules s ON s.status = st GROUP BY st`
	sqlRunCounts = `SELECT st, count(r.id) FROM unnest(ARRAY['sending','paused']) AS st
LEFT JOIN runs r ON r.status = st GROUP BY st`
)

// Refresh reads the counts; on failure the gauges keep their last values.
func (g *ScheduleGauges) Refresh(ctx context.Context) error {
	schedules, err := g.count(ctx, sqlScheduleCounts)
	if err != nil {
		return fmt.Errorf("counting schedules: %w", err)
	}
	runs, err := g.count(ctx, sqlRunCounts)
	if err != nil {
		return fmt.Errorf("counting runs: %w", err)
	}
	g.schedules.Set(schedules...)
	g.runs.Set(runs...)
	return nil
}

func (g *ScheduleGauges) count(ctx context.Context, query string) ([]snapshot.Sample, error) {
	var rows []struct {
		Status string `db:"st"`
		N      int    `db:"count"`
	}
	if err := g.s.db.SelectContext(ctx, &rows, query); err != nil {
		return nil, err
	}
	samples := make([]snapshot.Sample, 0, len(rows))
	for _, r := range rows {
		samples = append(samples, snapshot.Sample{Labels: []string{r.Status}, Value: float64(r.N)})
	}
	return samples, nil
}
