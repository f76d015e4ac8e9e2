package operator

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
)

func TestOpRunReport(t *testing.T) {
	wib, _ := broadcast.ParseZone("WIB")
	start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	done := start.Add(75 * time.Second)
	tests := []struct {
		name   string
		run    broadcast.RunReport
		want   string
		absent string
	}{
		{"all sent", broadcast.RunReport{ScheduleID: 3, FireAt: start, Status: broadcast.RunDone, Targeted: 2, Sent: 2, StartedAt: &start, FinishedAt: &done},
			"<b>#3</b> · 23/11/2026 08.00 WIB · selesai\nSasaran 2 · terkirim 2 · gagal 0 · memblokir 0 · tak pasti 0 · menunggu 0\nLama: 1 mnt 15 dtk", "batal"},
		{"uncertain", broadcast.RunReport{ScheduleID: 4, FireAt: start, Status: broadcast.RunDone, Targeted: 10, Sent: 6, Failed: 1, Blocked: 1, Uncertain: 2},
			"Sasaran 10 · terkirim 6 · gagal 1 · memblokir 1 · tak pasti 2 · menunggu 0\n", "batal"},
		{"cancelled run", broadcast.RunReport{ScheduleID: 5, FireAt: start, Status: broadcast.RunCancelled, Targeted: 9, Sent: 3, Uncertain: 1, Cancelled: 5},
			"dibatalkan\nSasaran 9 · terkirim 3 · gagal 0 · memblokir 0 · tak pasti 1 · menunggu 0 · batal 5\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runReport(tt.run, wib, done)
			if !strings.Contains(got, tt.want) || (tt.absent != "" && strings.Contains(got, tt.absent)) {
				t.Fatalf("report = %q, want %q", got, tt.want)
			}
			r := tt.run
			if sum := r.Sent + r.Failed + r.Blocked + r.Uncertain + r.Pending + r.Cancelled; sum != r.Targeted {
				t.Fatalf("test case does not add up: %d of %d", sum, r.Targeted)
			}
		})
	}
}

// TestOperatorRefusals_HaveTexts: every reason broadcast refuses input
// for has an operator.err text.
func TestOperatorRefusals_HaveTexts(t *testing.T) {
	reasons := []broadcast.Reason{broadcast.ReasonTextEmpty, broadcast.ReasonTextTooLong, broadcast.ReasonCaptionTooLong,
		broadcast.ReasonBadHTML, broadcast.ReasonBadButton, broadcast.ReasonBadTime, broadcast.ReasonPastTime, broadcast.ReasonBadCron,
		broadcast.ReasonCronTooOften, broadcast.ReasonCronBothDays, broadcast.ReasonBadNthWeekday, broadcast.ReasonBadZone, broadcast.ReasonBadEnd, broadcast.ReasonBadTargets,
		broadcast.ReasonUnknownRegion, broadcast.ReasonOutOfScope}
	for _, r := range reasons {
		if !catalog.Has(catalog.Key("operator.err." + string(r))) {
			t.Errorf("no text for refusal %s", r)
		}
	}
}
