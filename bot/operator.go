package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/staff"
)

// The operator area's callback area and flow name.
const (
	operatorArea     = "op"
	operatorFlowName = "operator"
)

// opHandlers are the operator commands, buttons and the /siaran flow.
type opHandlers struct {
	flow *operatorFlow
}

// registerOperatorRoutes adds the operator commands and /daftar, where
// operators and moderators redeem their invitation codes. Residents who
// try an operator command get the ordinary unknown-command answer.
func registerOperatorRoutes(a *App, rt *Router) {
	d := a.deps
	if d.Schedules == nil {
		return
	}
	zone := d.OperatorZone
	if zone == nil {
		zone, _ = broadcast.ParseZone("Asia/Jakarta")
	}
	h := &opHandlers{flow: &operatorFlow{staff: d.Staff,
		schedules: d.Schedules, regions: d.Regions, clock: d.Clock, zone: zone, logger: d.Logger}}
	rt.Command("daftar", privateOnly(h.onDaftar))
	rt.Command("siaran", h.operatorOnly(h.onSiaran))
	rt.Command("jadwal", h.operatorOnly(h.onJadwal))
	rt.Command("laporan", h.operatorOnly(h.onLaporan))
	rt.Command("undang", h.operatorOnly(h.onUndang))
	rt.Command("batal", privateOnly(h.onBatal))
	rt.Callback(operatorArea, h.onButton)
	rt.Flow(operatorFlowName, h.onTyped)
}

// operatorOnly runs next for operators; anyone else gets exactly what an
// unknown command gets (nothing in a group).
func (h *opHandlers) operatorOnly(next func(context.Context, *Request, staff.Actor) error) HandlerFunc {
	return func(ctx context.Context, r *Request) error {
		op, ok, err := h.operator(ctx, r)
		if err != nil || !ok {
			if err == nil && r.Private {
				err = r.Say(ctx, "res.unknown_command")
			}
			return err
		}
		return next(ctx, r, op)
	}
}

// operator is the private chat's operator; ok is false for anyone else.
func (h *opHandlers) operator(ctx context.Context, r *Request) (staff.Actor, bool, error) {
	if !r.Private || r.UserID == 0 {
		return staff.Actor{}, false, nil
	}
	a, err := h.flow.staff.Who(ctx, r.UserID, "")
	return a, err == nil && a.Role == staff.RoleOperator, err
}

func (h *opHandlers) onDaftar(ctx context.Context, r *Request) error {
	_, err := r.Reply(ctx, h.flow.daftar(ctx, r.UserID, r.Command.Args))
	return err
}

func (h *opHandlers) onSiaran(ctx context.Context, r *Request, op staff.Actor) error {
	return h.respond(ctx, r, h.flow.startSiaran(op))
}

func (h *opHandlers) onJadwal(ctx context.Context, r *Request, op staff.Actor) error {
	_, err := r.Reply(ctx, h.flow.jadwal(ctx, op))
	return err
}

func (h *opHandlers) onLaporan(ctx context.Context, r *Request, op staff.Actor) error {
	_, err := r.Reply(ctx, h.flow.laporan(ctx, op))
	return err
}

func (h *opHandlers) onUndang(ctx context.Context, r *Request, op staff.Actor) error {
	_, err := r.Reply(ctx, h.flow.undang(ctx, op, r.Command.Args))
	return err
}

// onBatal ends whatever flow the chat is in.
func (h *opHandlers) onBatal(ctx context.Context, r *Request) error {
	st, err := r.State(ctx)
	if err != nil {
		return err
	}
	r.ClearState(ctx)
	if st.Flow == operatorFlowName {
		return r.Say(ctx, "operator.siaran.cancelled")
	}
	return r.Say(ctx, "operator.batal.generic")
}

// onButton handles every "op:" button. Buttons are re-checked: the
// presser must be an operator and everything is scope-filtered again.
func (h *opHandlers) onButton(ctx context.Context, r *Request) error {
	op, ok, err := h.operator(ctx, r)
	if err != nil || !ok {
		r.Answer(ctx, catalog.T("res.stale_button"))
		return err
	}
	if strings.HasPrefix(r.Data, "op:j") {
		m := h.flow.onJadwalButton(ctx, op, r.Data)
		if !strings.HasPrefix(r.Data, "op:jc:") && !strings.HasPrefix(r.Data, "op:jn") {
			r.Answer(ctx, opPreview(m.Text, 190))
			m = h.flow.jadwal(ctx, op)
		}
		return r.Show(ctx, m)
	}
	return h.step(ctx, r, op, opInput{Data: r.Data})
}

// onTyped takes the operator's messages while /siaran runs.
func (h *opHandlers) onTyped(ctx context.Context, r *Request) error {
	op, ok, err := h.operator(ctx, r)
	if err != nil {
		return err
	}
	if !ok {
		r.ClearState(ctx)
		return r.Say(ctx, "res.unknown_command")
	}
	return h.step(ctx, r, op, opInputOf(r.Message))
}

func (h *opHandlers) step(ctx context.Context, r *Request, op staff.Actor, in opInput) error {
	st, err := r.State(ctx)
	if err != nil {
		return err
	}
	var s opSession
	if st.Flow != operatorFlowName || json.Unmarshal([]byte(st.Data["s"]), &s) != nil || s.Step == "" {
		r.Answer(ctx, catalog.T("operator.siaran.expired"))
		return r.Say(ctx, "operator.siaran.expired")
	}
	return h.respond(ctx, r, h.flow.step(ctx, op, &s, in))
}

// respond keeps or ends the session, then answers: a button press edits
// its message when the answer is one message; anything else is sent.
func (h *opHandlers) respond(ctx context.Context, r *Request, rep opReply) error {
	if rep.Session == nil {
		r.ClearState(ctx)
	} else if err := h.save(ctx, r, rep.Session); err != nil {
		return err
	}
	if r.Callback != nil && len(rep.Messages) == 1 {
		return r.Show(ctx, rep.Messages[0])
	}
	for _, m := range rep.Messages {
		if _, err := r.Reply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (h *opHandlers) save(ctx context.Context, r *Request, s *opSession) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding operator session: %w", err)
	}
	return r.SetState(ctx, State{Flow: operatorFlowName, Step: s.Step, Data: map[string]string{"s": string(raw)}})
}

// opInputOf reads a message as the operator flow sees it; formatting
// entities become Telegram HTML so the announcement looks as typed.
func opInputOf(m *models.Message) opInput {
	if m == nil {
		return opInput{Other: true}
	}
	switch {
	case len(m.Photo) > 0:
		return opInput{PhotoFileID: m.Photo[len(m.Photo)-1].FileID, HTML: entitiesToHTML(m.Caption, m.CaptionEntities), Plain: m.Caption}
	case m.Document != nil:
		return opInput{DocumentFileID: m.Document.FileID, HTML: entitiesToHTML(m.Caption, m.CaptionEntities), Plain: m.Caption}
	case m.Text != "":
		return opInput{HTML: entitiesToHTML(m.Text, m.Entities), Plain: m.Text}
	}
	return opInput{Other: true}
}
