// Package operator holds the Diskominfo operators' chat flows: /siaran
// (compose, target, time and confirm an announcement), /jadwal, /laporan,
// /undang and /batal, /daftar, where operators and moderators alike
// redeem their invitation codes, and /usul, where KIM moderators propose
// news and operators decide (usul.go). Every press is checked again: the presser
// must be an operator, and every target is filtered by their scope.
//
// It must not know about tickets; schedules come from package broadcast.
package operator

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The operator area's callback area and flow name.
const (
	area     = "op"
	flowName = "operator"
)

// Handlers are the operator commands, buttons and the /siaran flow.
type Handlers struct {
	flow      *flow
	signIn    Linker
	proposals *proposals.Service
}

// Deps are what the operator flows use.
type Deps struct {
	Staff     *staff.Directory
	Schedules *broadcast.Schedules
	Regions   *region.Store
	Clock     message.Clock
	Zone      *time.Location // default zone of schedules made in chat; nil = Asia/Jakarta
	Log       *slog.Logger
	SignIn    Linker // nil: no /masuk
	// Proposals is /usul (KIM propose, operators decide); nil: no /usul.
	Proposals *proposals.Service
}

// Linker makes console sign-in links for /masuk; "" with a nil error
// means the person asked too often (bot.SignInLinker).
type Linker interface {
	NewLink(ctx context.Context, telegramID int64, name string) (string, error)
}

// New builds the operator flows.
func New(d Deps) *Handlers {
	zone := d.Zone
	if zone == nil {
		zone, _ = broadcast.ParseZone("Asia/Jakarta")
	}
	return &Handlers{flow: &flow{staff: d.Staff, schedules: d.Schedules, regions: d.Regions, clock: d.Clock,
		zone: zone, logger: d.Log}, signIn: d.SignIn, proposals: d.Proposals}
}

// Register adds the operator commands and /daftar, where operators and
// moderators redeem their invitation codes. Residents who try an operator
// command get the ordinary unknown-command answer.
func (h *Handlers) Register(rt *chat.Router) {
	rt.Command("daftar", chat.PrivateOnly(h.onDaftar))
	rt.Command("siaran", h.operatorOnly(h.onSiaran))
	rt.Command("jadwal", h.operatorOnly(h.onJadwal))
	rt.Command("laporan", h.operatorOnly(h.onLaporan))
	rt.Command("undang", h.operatorOnly(h.onUndang))
	rt.Command("batal", chat.PrivateOnly(h.onBatal))
	rt.Callback(area, chat.OperatorButtons, h.onButton)
	if h.signIn != nil {
		rt.Command("masuk", chat.PrivateOnly(h.onMasuk))
	}
	rt.Flow(flowName, h.onTyped)
	h.registerUsul(rt)
}

// operatorOnly runs next for operators; anyone else gets exactly what an
// unknown command gets (nothing in a group).
func (h *Handlers) operatorOnly(next func(context.Context, *chat.Request, staff.Actor) error) chat.HandlerFunc {
	return func(ctx context.Context, r *chat.Request) error {
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
func (h *Handlers) operator(ctx context.Context, r *chat.Request) (staff.Actor, bool, error) {
	if !r.Private || r.UserID == 0 {
		return staff.Actor{}, false, nil
	}
	a, err := h.flow.staff.Who(ctx, r.UserID, "")
	return a, err == nil && a.Role == staff.RoleOperator, err
}

// onMasuk sends a staff member a one-time link to the web console, with
// no link preview (Telegram would fetch it; the console spends a link only
// on the person's own press anyway). Residents hear the console is for
// staff.
func (h *Handlers) onMasuk(ctx context.Context, r *chat.Request) error {
	name := chat.UserName(r.Message.From)
	actor, err := h.flow.staff.Who(ctx, r.UserID, name)
	if err != nil {
		return err
	}
	if !actor.IsStaff() {
		return r.Say(ctx, "operator.masuk.resident")
	}
	link, err := h.signIn.NewLink(ctx, r.UserID, name)
	if err != nil {
		return err
	}
	if link == "" {
		return r.Say(ctx, "operator.masuk.too_many")
	}
	_, err = r.Reply(ctx, message.Message{Text: catalog.T("operator.masuk.link", html.EscapeString(link)), NoPreview: true})
	return err
}

func (h *Handlers) onDaftar(ctx context.Context, r *chat.Request) error {
	_, err := r.Reply(ctx, h.flow.daftar(ctx, r.UserID, r.Command.Args))
	return err
}

func (h *Handlers) onSiaran(ctx context.Context, r *chat.Request, op staff.Actor) error {
	return h.respond(ctx, r, h.flow.startSiaran(op))
}

func (h *Handlers) onJadwal(ctx context.Context, r *chat.Request, op staff.Actor) error {
	_, err := r.Reply(ctx, h.flow.jadwal(ctx, op))
	return err
}

func (h *Handlers) onLaporan(ctx context.Context, r *chat.Request, op staff.Actor) error {
	_, err := r.Reply(ctx, h.flow.laporan(ctx, op))
	return err
}

func (h *Handlers) onUndang(ctx context.Context, r *chat.Request, op staff.Actor) error {
	_, err := r.Reply(ctx, h.flow.undang(ctx, op, r.Command.Args))
	return err
}

// onBatal ends whatever flow the chat is in.
func (h *Handlers) onBatal(ctx context.Context, r *chat.Request) error {
	st, err := r.State(ctx)
	if err != nil {
		return err
	}
	r.ClearState(ctx)
	if st.Flow == flowName {
		return r.Say(ctx, "operator.siaran.cancelled")
	}
	return r.Say(ctx, "operator.batal.generic")
}

// callbackData is an operator button's data, "op:<action>[:<arg>]" in the
// one codec of every button (message.Callback).
func callbackData(action string, args ...string) string {
	return message.Callback{Area: area, Action: action, Args: args}.String()
}

// parseData reads an operator button's data; ok is false for anything
// else (forged, of another area, more than one argument).
func parseData(data string) (action, arg string, ok bool) {
	c, err := message.ParseCallback(data)
	if err != nil || c.Area != area || len(c.Args) > 1 {
		return "", "", false
	}
	if len(c.Args) == 1 {
		arg = c.Args[0]
	}
	return c.Action, arg, true
}

// onButton handles every "op:" button. Buttons are re-checked: the
// presser must be an operator and everything is scope-filtered again.
func (h *Handlers) onButton(ctx context.Context, r *chat.Request) error {
	op, ok, err := h.operator(ctx, r)
	if err != nil || !ok {
		r.Answer(ctx, catalog.T("res.stale_button"))
		return err
	}
	if action, _, _ := parseData(r.Data); strings.HasPrefix(action, "j") {
		m := h.flow.onJadwalButton(ctx, op, r.Data)
		if action != "jc" && action != "jn" {
			r.Answer(ctx, preview(m.Text, 190))
			m = h.flow.jadwal(ctx, op)
		}
		return r.Show(ctx, m)
	}
	return h.step(ctx, r, op, input{Data: r.Data})
}

// onTyped takes the operator's messages while /siaran runs.
func (h *Handlers) onTyped(ctx context.Context, r *chat.Request) error {
	op, ok, err := h.operator(ctx, r)
	if err != nil {
		return err
	}
	if !ok {
		r.ClearState(ctx)
		return r.Say(ctx, "res.unknown_command")
	}
	return h.step(ctx, r, op, inputOf(r.Message))
}

func (h *Handlers) step(ctx context.Context, r *chat.Request, op staff.Actor, in input) error {
	st, err := r.State(ctx)
	if err != nil {
		return err
	}
	var s session
	if st.Flow != flowName || json.Unmarshal([]byte(st.Data["s"]), &s) != nil || s.Step == "" {
		r.Answer(ctx, catalog.T("operator.siaran.expired"))
		return r.Say(ctx, "operator.siaran.expired")
	}
	return h.respond(ctx, r, h.flow.step(ctx, op, &s, in))
}

// respond keeps or ends the session, then answers: a button press edits
// its message when the answer is one message; anything else is sent.
func (h *Handlers) respond(ctx context.Context, r *chat.Request, rep reply) error {
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

func (h *Handlers) save(ctx context.Context, r *chat.Request, s *session) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding operator session: %w", err)
	}
	return r.SetState(ctx, chat.State{Flow: flowName, Step: s.Step, Data: map[string]string{"s": string(raw)}})
}

// inputOf reads a message as the operator flow sees it; formatting
// entities become Telegram HTML so the announcement looks as typed.
func inputOf(m *models.Message) input {
	if m == nil {
		return input{Other: true}
	}
	album := m.MediaGroupID != "" // later items never get here (chat.Request.LaterInBatch)
	switch {
	case len(m.Photo) > 0:
		return input{PhotoFileID: m.Photo[len(m.Photo)-1].FileID, HTML: entitiesToHTML(m.Caption, m.CaptionEntities), Plain: m.Caption, Album: album}
	case m.Document != nil:
		return input{DocumentFileID: m.Document.FileID, HTML: entitiesToHTML(m.Caption, m.CaptionEntities), Plain: m.Caption, Album: album}
	case m.Text != "":
		return input{HTML: entitiesToHTML(m.Text, m.Entities), Plain: m.Text}
	}
	return input{Other: true}
}
