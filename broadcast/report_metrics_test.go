package broadcast_test

import (
	"context"
	"maps"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/staff"
)

func TestSchedules_Gauges(t *testing.T) {
	e := newSchedEnv(t)
	e.subscribeRange(t, "35.73.05", 1, 5, "active")
	now := broadcast.Timing{Kind: broadcast.KindNow}
	a := e.create(t, staff.Admin(), textDraft("a", now, "35.73.05"))
	e.create(t, staff.Admin(), textDraft("b", broadcast.Timing{Kind: broadcast.KindCron, Cron: "@daily", Zone: mustZone(t, "WIB")}, "35.73.05"))
	c := e.create(t, staff.Admin(), textDraft("c", broadcast.Timing{Kind: broadcast.KindCron, Cron: "@weekly", Zone: mustZone(t, "WIB")}, "35.73"))
	e.tick(t)
	if _, err := e.schedules.Pause(context.Background(), staff.Admin(), a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.schedules.Pause(context.Background(), staff.Admin(), c.ID); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	gauges := e.schedules.Gauges()
	reg.MustRegister(gauges)
	if err := gauges.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			got[f.GetName()+"/"+m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
		}
	}
	want := map[string]float64{
		"kimbot_runs/paused": 1, "kimbot_runs/sending": 0,
		"kimbot_schedules/active": 1, "kimbot_schedules/paused": 1, "kimbot_schedules/finished": 1, "kimbot_schedules/cancelled": 0,
	}
	if !maps.Equal(got, want) {
		t.Fatalf("metrics = %v, want %v", got, want)
	}
}
