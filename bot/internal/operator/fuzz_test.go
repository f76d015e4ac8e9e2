package operator

import (
	"context"
	"testing"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/staff"
)

// FuzzOperatorButtons presses forged buttons at every /siaran step and on
// /jadwal: nothing panics and no target outside the operator's scope is
// ever chosen.
func FuzzOperatorButtons(f *testing.F) {
	for _, s := range []string{"op:tg:35.07", "op:tv:35", "op:tp:-1", "op:tp:99999999999999999999", "op:tg:", "op:w:once", "op:u:1",
		"op:ok", "op:b:add", "op:b:skip", "op:e:none", "op:w:monday", "op:jp:1", "op:jy:-5", "op:jc:abc", "op:z", "op:tg:35.73.05.1003", "op:x", ""} {
		f.Add(s)
	}
	flow, _ := newOpFlow(f)
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	steps := []string{stepContent, stepLinks, stepTargets, stepTiming, stepAt, stepCron, stepUntil, stepUrgent, stepConfirm}
	f.Fuzz(func(t *testing.T, data string) {
		ctx := context.Background()
		for _, step := range steps {
			s := &session{Step: step, View: op.Scope, Zone: "Asia/Jakarta", Content: broadcast.Content{Text: "x"}}
			flow.step(ctx, op, s, input{Data: data})
			for _, c := range s.Targets {
				if !op.Allows(c) {
					t.Fatalf("button %q chose %s outside %s", data, c, op.Scope)
				}
			}
		}
		flow.onJadwalButton(ctx, op, data)
	})
}
