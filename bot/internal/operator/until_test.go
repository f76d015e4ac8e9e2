package operator

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The flow's clock stands at Sunday 22/11/2026 19.00 WIB: "every Monday
// 08.00" first fires on 23/11/2026 08.00 WIB.

func TestOperatorFlow_UntilTyped(t *testing.T) {
	f, _ := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	wib, _ := broadcast.ParseZone("WIB")
	endOf30Nov := time.Date(2026, 11, 30, 23, 59, 59, 0, wib)
	tests := []struct {
		typed string
		want  time.Time // zero: refused
		err   string
	}{
		{"30/11/2026", endOf30Nov, ""},
		{" 30-11-2026 ", endOf30Nov, ""},
		{"2026-11-30", endOf30Nov, ""},
		{"30 November 2026", endOf30Nov, ""},
		{"30 nov 2026", endOf30Nov, ""},
		{"1 Des 2026", time.Date(2026, 12, 1, 23, 59, 59, 0, wib), ""},
		{"1/12/2026", time.Date(2026, 12, 1, 23, 59, 59, 0, wib), ""},
		{"30/11/2026 08.00", time.Date(2026, 11, 30, 8, 0, 0, 0, wib), ""},
		{"23/11/2026 08.00", time.Date(2026, 11, 23, 8, 0, 0, 0, wib), ""}, // the first fire itself: it fires once
		{"kapan-kapan", time.Time{}, "tidak bisa dibaca. Tulis seperti ini: <code>23/12/2026</code>"},
		{"31/02/2027", time.Time{}, "tidak bisa dibaca"},
		{"30 Movember 2026", time.Time{}, "tidak bisa dibaca"},
		{"21/11/2026", time.Time{}, "harus sesudah pengiriman pertama (23/11/2026 08.00 WIB)"},
		{"23/11/2026 07.59", time.Time{}, "harus sesudah pengiriman pertama"},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			s := &session{Step: stepTiming, View: op.Scope, Zone: "Asia/Jakarta", Content: broadcast.Content{Text: "x"}, Targets: []region.Code{"35.73"}}
			if r := f.step(ctx, op, s, input{Data: "op:w:monday"}); s.Step != stepUntil || !hasButton(r.Messages[0], "op:e:none") ||
				!strings.Contains(r.Messages[0].Text, "23/11/2026 08.00 WIB") {
				t.Fatalf("until question = %+v at %s", r.Messages, s.Step)
			}
			r := f.step(ctx, op, s, input{Plain: tt.typed})
			if tt.want.IsZero() {
				if s.Step != stepUntil || s.Until != nil || !strings.Contains(r.Messages[0].Text, tt.err) {
					t.Fatalf("refusal = %q at %s, want %q", r.Messages[0].Text, s.Step, tt.err)
				}
				return
			}
			if s.Step != stepUrgent || s.Until == nil || !s.Until.Equal(tt.want) {
				t.Fatalf("until = %v at %s (%+v), want %s", s.Until, s.Step, r.Messages, tt.want)
			}
		})
	}
}

func TestOperatorFlow_Until(t *testing.T) {
	f, clock := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	s := &session{Step: stepTiming, View: op.Scope, Zone: "Asia/Jakarta", Content: broadcast.Content{Text: "Siaran TV analog berhenti"}, Targets: []region.Code{"35.73.05"}}

	// A typed cron spec asks too; "no end" goes on, and choosing again
	// forgets an end date typed for the earlier timing.
	f.step(ctx, op, s, input{Data: "op:w:cron"})
	if r := f.step(ctx, op, s, input{Plain: "0  8 * * 1"}); s.Step != stepUntil || !hasButton(r.Messages[0], "op:e:none") {
		t.Fatalf("after a cron spec: %+v at %s", r.Messages, s.Step)
	}
	f.step(ctx, op, s, input{Plain: "30/11/2026"})
	s.Step = stepTiming
	f.step(ctx, op, s, input{Data: "op:w:daily"})
	if r := f.step(ctx, op, s, input{Data: "op:e:none"}); s.Step != stepUrgent || s.Until != nil || !hasButton(r.Messages[0], "op:u:0") {
		t.Fatalf("no end: until %v at %s", s.Until, s.Step)
	}
	s.Step = stepTiming
	f.step(ctx, op, s, input{Data: "op:w:monday"})
	f.step(ctx, op, s, input{Plain: "30/11/2026"})
	r := f.step(ctx, op, s, input{Data: "op:u:0"})
	if !strings.Contains(r.Messages[1].Text, "setiap Senin pukul 08.00 WIB, sampai 30 November 2026") {
		t.Fatalf("preview = %q", r.Messages[1].Text)
	}

	// The session sat until the Monday fire passed: the end date now comes
	// before the next fire, so confirming asks for the date again.
	clock.Set(time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)) // Monday 09.00 WIB
	r = f.step(ctx, op, s, input{Data: "op:ok"})
	if r.Session == nil || s.Step != stepUntil || s.Until != nil || !strings.Contains(r.Messages[0].Text, "07/12/2026 08.00 WIB") ||
		!hasButton(r.Messages[1], "op:e:none") {
		t.Fatalf("stale end date = %+v at %s", r.Messages, s.Step)
	}
	f.step(ctx, op, s, input{Plain: "31 Desember 2026"})
	f.step(ctx, op, s, input{Data: "op:u:0"})
	if r = f.step(ctx, op, s, input{Data: "op:ok"}); r.Session != nil || !strings.Contains(r.Messages[0].Text, "sampai 31 Desember 2026. Berikutnya: 07/12/2026 08.00 WIB") {
		t.Fatalf("confirm = %+v", r.Messages)
	}
	sc, err := f.schedules.Get(ctx, op, 1)
	wib, _ := broadcast.ParseZone("WIB")
	if err != nil || sc.EndAt == nil || !sc.EndAt.Equal(time.Date(2026, 12, 31, 23, 59, 59, 0, wib)) {
		t.Fatalf("saved schedule ends %v, %v", sc.EndAt, err)
	}
	if m := f.jadwal(ctx, op); !strings.Contains(m.Text, "setiap Senin pukul 08.00 WIB, sampai 31 Desember 2026") {
		t.Fatalf("jadwal = %q", m.Text)
	}
}
