package aspirations_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/aspirations"
)

func TestParseButtonData(t *testing.T) {
	cases := []struct {
		in     string
		action string
		id     int64
		ok     bool
	}{
		{"asp:claim:42", "claim", 42, true},
		{"asp:rate_yes:9223372036854775807", "", 0, false}, // 19 digits: over the cap
		{"asp:rate_no:123456789012345678", "rate_no", 123456789012345678, true},
		{"asp:claim:0", "", 0, false},
		{"asp:claim:-1", "", 0, false},
		{"asp:claim:042", "", 0, false},
		{"asp:claim:", "", 0, false},
		{"asp:delete:1", "", 0, false},
		{"op:claim:1", "", 0, false},
		{"asp:claim:1:2", "", 0, false},
		{"asp:claim:1 ", "", 0, false},
		{"", "", 0, false},
	}
	for _, c := range cases {
		action, id, err := aspirations.ParseButtonData(c.in)
		if (err == nil) != c.ok || action != c.action || id != c.id {
			t.Errorf("ParseButtonData(%q) = %q, %d, %v", c.in, action, id, err)
		}
	}
	for _, a := range []string{aspirations.ActionClaim, aspirations.ActionAnswer, aspirations.ActionReject, aspirations.ActionEscalate,
		aspirations.ActionCanned, aspirations.ActionRateYes, aspirations.ActionRateNo, aspirations.ActionCannedPick,
		aspirations.ActionOpen, aspirations.ActionPage} {
		d := aspirations.ButtonData(a, 123456789012345678)
		if len(d) > 64 {
			t.Errorf("%q is %d bytes", d, len(d))
		}
		if got, id, err := aspirations.ParseButtonData(d); err != nil || got != a || id != 123456789012345678 {
			t.Errorf("round trip %q: %q %d %v", d, got, id, err)
		}
	}
}

func FuzzParseButtonData(f *testing.F) {
	for _, s := range []string{"asp:claim:1", "asp:rate_no:99", "asp::", "asp:claim:00", "asp:page:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		action, id, err := aspirations.ParseButtonData(s)
		if err != nil {
			return
		}
		if id <= 0 || aspirations.ButtonData(action, id) != s || len(s) > 64 {
			t.Fatalf("%q parsed to %q %d", s, action, id)
		}
	})
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]string{
		"ASP-2026-000123": "ASP-2026-000123", "asp-2026-123": "ASP-2026-000123", "ASP 2026 000123": "ASP-2026-000123",
		"ASP2026000123": "ASP-2026-000123", " asp#2026/7 ": "ASP-2026-000007", "ASP-2026-1234567": "ASP-2026-1234567",
	} {
		if got, err := aspirations.ParseNumber(in); err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ASP", "ASP-2026", "ASP-2026-0", "ASP-26-1", "ASX-2026-1", "ASP-2026-12a", "ASP-1999-1", "123"} {
		if got, err := aspirations.ParseNumber(bad); err == nil {
			t.Errorf("ParseNumber(%q) = %q", bad, got)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"ASP-2026-000123", "asp 2026 1", "ASP2026000001", "ASP--", "ASP-2026-999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := aspirations.ParseNumber(s)
		if err != nil {
			return
		}
		again, err := aspirations.ParseNumber(n)
		if err != nil || again != n || !strings.HasPrefix(n, "ASP-") {
			t.Fatalf("%q → %q → %q, %v", s, n, again, err)
		}
	})
}

func TestCategories(t *testing.T) {
	for _, c := range aspirations.Categories() {
		for _, in := range []string{string(c), c.Label(), strings.ToUpper(c.Label())} {
			if got, err := aspirations.ParseCategory(in); err != nil || got != c {
				t.Errorf("ParseCategory(%q) = %q, %v", in, got, err)
			}
		}
	}
	if _, err := aspirations.ParseCategory("politik"); err == nil {
		t.Error("unknown category parsed")
	}
	for _, s := range aspirations.Statuses() {
		if got, err := aspirations.ParseStatus(string(s)); err != nil || got != s || strings.HasPrefix(s.Label(), "asp.") {
			t.Errorf("status %q: %q %v label %q", s, got, err, s.Label())
		}
	}
}

func TestService_Metrics(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	reg := prometheus.NewRegistry()
	for _, c := range r.svc.Collectors() {
		r.must(reg.Register(c))
	}
	a := r.file("Aspirasi satu untuk metrik")
	b := r.file("Aspirasi dua untuk metrik")
	r.clock.Advance(time.Hour)
	_, err := r.svc.Answer(r.ctx, actorModA, a.ID, "dijawab")
	r.must(err)
	_, err = r.svc.Answer(r.ctx, actorModA, b.ID, "dijawab juga")
	r.must(err)
	r.must(r.svc.Rate(r.ctx, resident, a.ID, true))
	r.must(r.svc.Rate(r.ctx, resident, b.ID, false))
	r.must(r.svc.Rate(r.ctx, resident, a.ID, true))
	r.must(r.svc.RefreshGauges(r.ctx)) // serve's snapshot.Refresher does this in the background
	mfs, err := reg.Gather()
	r.must(err)
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range m.GetLabel() {
				key += "|" + l.GetValue()
			}
			switch {
			case m.GetGauge() != nil:
				got[key] = m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				got[key] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				got[key] = float64(m.GetHistogram().GetSampleCount())
				got[key+"|sum"] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	want := map[string]float64{
		"kimbot_aspirations_tickets|infrastruktur|dijawab": 2,
		"kimbot_aspirations_rated_helpful_ratio":           0.5,
		"kimbot_aspirations_first_response_seconds":        2,
		"kimbot_aspirations_first_response_seconds|sum":    7200,
		"kimbot_aspirations_close_seconds":                 2,
		"kimbot_aspirations_filed_total|infrastruktur":     2,
		"kimbot_aspirations_outbox_pending":                6,
		"kimbot_aspirations_ratings|true":                  1,
		"kimbot_aspirations_overdue|diproses":              0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}
