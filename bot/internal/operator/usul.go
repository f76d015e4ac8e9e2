package operator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// /usul: a KIM moderator sends text or a photo with a caption, sees it as
// residents would, and picks the audience (their area, or asks for the
// one above); operators of the area get it with Setujui / Ubah / Tolak
// (package proposals queues that), and decide here or in the console.

const usulFlow = "usul"

// The /usul steps: the moderator's content, then their audience button;
// an operator's corrected text, or their reason to reject.
const (
	usulContent = "isi"
	usulArea    = "wilayah"
	usulEdit    = "ubah"
	usulReason  = "alasan"
)

// usulDraft is the moderator's proposal before it is filed. ID names it,
// so pressing the audience button twice files it once.
type usulDraft struct {
	ID    string `json:"id"`
	HTML  string `json:"html"`
	Photo string `json:"photo,omitempty"`
}

// moderatorButtons are pressed by moderators in their private chat.
var moderatorButtons = chat.Access{Where: chat.InPrivate, Roles: []staff.Role{staff.RoleModerator}}

func (h *Handlers) registerUsul(rt *chat.Router) {
	if h.proposals == nil {
		return
	}
	rt.Command("usul", chat.PrivateOnly(h.onUsul))
	rt.Flow(usulFlow, h.onUsulTyped)
	rt.Callback("usul:area", moderatorButtons, h.onUsulArea)
	rt.Callback("usul:batal", moderatorButtons, h.onUsulCancel)
	rt.Callback("usul:ok", chat.OperatorButtons, h.onUsulApprove)
	rt.Callback("usul:ubah", chat.OperatorButtons, h.onUsulAsk(usulEdit, "usul.ask_edit"))
	rt.Callback("usul:tolak", chat.OperatorButtons, h.onUsulAsk(usulReason, "usul.ask_reason"))
}

// onUsul starts a moderator's proposal; an operator gets the proposals
// waiting for them, each with its buttons.
func (h *Handlers) onUsul(ctx context.Context, r *chat.Request) error {
	a, err := h.flow.staff.Who(ctx, r.UserID, chat.UserName(r.Message.From))
	if err != nil {
		return err
	}
	switch {
	case a.Role == staff.RoleOperator:
		return h.usulWaiting(ctx, r, a)
	case a.Role != staff.RoleModerator:
		return r.Say(ctx, "res.unknown_command")
	case a.KIM == 0:
		return r.Say(ctx, "usul.not_kim")
	}
	if err := h.flow.staff.Seen(ctx, r.UserID); err != nil { // a KIM whose moderators write is not vakum
		r.Log().Warn("recording a moderator's visit failed", "err", err)
	}
	k, err := h.flow.staff.GetKIM(ctx, a, a.KIM)
	if err != nil {
		return err
	}
	if err := r.SetState(ctx, chat.State{Flow: usulFlow, Step: usulContent}); err != nil {
		return err
	}
	return r.Say(ctx, "usul.ask", message.EscapeHTML(k.Name))
}

func (h *Handlers) usulWaiting(ctx context.Context, r *chat.Request, op staff.Actor) error {
	ps, err := h.proposals.List(ctx, op, proposals.Waiting, 5)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return r.Say(ctx, "usul.waiting_none")
	}
	if err := r.Say(ctx, "usul.waiting_head", len(ps)); err != nil {
		return err
	}
	for _, p := range ps {
		m := p.Content().Message()
		m.Buttons = proposals.DecisionButtons(p.ID)
		if _, err := r.Reply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// onUsulTyped takes what is typed while /usul runs.
func (h *Handlers) onUsulTyped(ctx context.Context, r *chat.Request) error {
	st, err := r.State(ctx)
	if err != nil {
		return err
	}
	a, err := h.flow.staff.Who(ctx, r.UserID, chat.UserName(r.Message.From))
	if err != nil {
		return err
	}
	switch st.Step {
	case usulContent:
		if a.Role != staff.RoleModerator || a.KIM == 0 {
			break
		}
		return h.usulContent(ctx, r, a)
	case usulArea:
		return r.Say(ctx, "usul.press_button")
	case usulEdit, usulReason:
		if !a.IsOperator() {
			break
		}
		id, _ := strconv.ParseInt(st.Data["id"], 10, 64)
		return h.usulDecideTyped(ctx, r, a, st.Step, id)
	}
	r.ClearState(ctx)
	return r.Say(ctx, "usul.expired")
}

// usulContent shows the moderator their proposal as residents would read
// it and asks for the audience.
func (h *Handlers) usulContent(ctx context.Context, r *chat.Request, mod staff.Actor) error {
	in := inputOf(r.Message)
	switch {
	case in.Other || in.DocumentFileID != "" || in.Album:
		return r.Say(ctx, "usul.err_kind")
	case in.PhotoFileID != "" && message.ContentLen(in.Plain) == 0:
		return r.Say(ctx, "usul.err_caption")
	case message.ContentLen(in.Plain) == 0:
		return r.Say(ctx, "usul.err_empty")
	}
	k, err := h.flow.staff.GetKIM(ctx, mod, mod.KIM)
	if err != nil {
		return err
	}
	preview := proposals.Proposal{KIMName: k.Name, Text: in.HTML, PhotoFileID: in.PhotoFileID}.Content()
	if err := preview.Validate(); err != nil {
		_, err := r.Reply(ctx, h.flow.inputError(err))
		return err
	}
	d := usulDraft{ID: newDraftID(), HTML: in.HTML, Photo: in.PhotoFileID}
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := r.SetState(ctx, chat.State{Flow: usulFlow, Step: usulArea, Data: map[string]string{"d": string(raw)}}); err != nil {
		return err
	}
	if err := r.Say(ctx, "usul.preview_head"); err != nil {
		return err
	}
	if _, err := r.Reply(ctx, preview.Message()); err != nil {
		return err
	}
	ask := chat.Text("usul.ask_area")
	ask.Buttons = [][]message.Button{{{Text: catalog.T("usul.button_own", h.placeName(ctx, k.Area)),
		Data: message.Callback{Area: "usul", Action: "area", Args: []string{"own"}}.String()}}}
	if k.Area.Level() > region.Regency {
		ask.Buttons = append(ask.Buttons, []message.Button{{Text: catalog.T("usul.button_wider", h.placeName(ctx, k.Area.Parent())),
			Data: message.Callback{Area: "usul", Action: "area", Args: []string{"wider"}}.String()}})
	}
	ask.Buttons = append(ask.Buttons, []message.Button{{Text: catalog.T("usul.button_cancel"),
		Data: message.Callback{Area: "usul", Action: "batal"}.String()}})
	_, err = r.Reply(ctx, ask)
	return err
}

// onUsulArea files the moderator's proposal for the audience pressed.
func (h *Handlers) onUsulArea(ctx context.Context, r *chat.Request) error {
	st, err := r.State(ctx)
	if err != nil {
		return err
	}
	var d usulDraft
	if st.Flow != usulFlow || st.Step != usulArea || json.Unmarshal([]byte(st.Data["d"]), &d) != nil || d.ID == "" {
		return r.Show(ctx, chat.Text("usul.expired"))
	}
	mod, err := h.flow.staff.Who(ctx, r.UserID, chat.UserName(&r.Callback.From))
	if err != nil {
		return err
	}
	c, _ := message.ParseCallback(r.Data)
	wider := len(c.Args) == 1 && c.Args[0] == "wider"
	p, err := h.proposals.File(ctx, mod, proposals.Filing{Text: d.HTML, PhotoFileID: d.Photo, Wider: wider, SourceKey: "usul:" + d.ID})
	var inputErr *broadcast.InputError
	switch {
	case errors.Is(err, proposals.ErrNoOperator):
		return r.Show(ctx, chat.Text("usul.no_operator"))
	case errors.Is(err, proposals.ErrTooMany):
		return r.Show(ctx, chat.Text("usul.too_many", proposals.MaxWaiting))
	case errors.Is(err, proposals.ErrEmpty):
		r.ClearState(ctx)
		return r.Show(ctx, chat.Text("usul.err_empty"))
	case errors.Is(err, proposals.ErrForbidden) || errors.Is(err, staff.ErrNotFound):
		r.ClearState(ctx)
		return r.Show(ctx, chat.Text("usul.not_kim"))
	case errors.As(err, &inputErr):
		return r.Show(ctx, h.flow.inputError(err))
	case err != nil:
		return err
	}
	r.ClearState(ctx)
	return r.Show(ctx, chat.Text("usul.filed", p.ID))
}

func (h *Handlers) onUsulCancel(ctx context.Context, r *chat.Request) error {
	r.ClearState(ctx)
	return r.Show(ctx, chat.Text("usul.cancelled"))
}

// usulID is the proposal id in an operator button's data.
func usulID(data string) int64 {
	c, err := message.ParseCallback(data)
	if err != nil || len(c.Args) != 1 {
		return 0
	}
	id, _ := strconv.ParseInt(c.Args[0], 10, 64)
	return id
}

// onUsulApprove approves a proposal now, for the area the KIM asked for.
func (h *Handlers) onUsulApprove(ctx context.Context, r *chat.Request) error {
	op, err := h.flow.staff.Who(ctx, r.UserID, chat.UserName(&r.Callback.From))
	if err != nil {
		return err
	}
	p, err := h.proposals.Approve(ctx, op, usulID(r.Data), proposals.Approval{})
	if key := usulErrKey(err); key != "" {
		_, err := r.Reply(ctx, chat.Text(key))
		return err
	}
	if err != nil {
		var inputErr *broadcast.InputError
		if errors.As(err, &inputErr) {
			_, err = r.Reply(ctx, h.flow.inputError(err))
		}
		return err
	}
	r.Answer(ctx, catalog.T("usul.approved_done", p.ID, h.placeName(ctx, *p.Target)))
	_, err = r.Reply(ctx, chat.Text("usul.approved_done", p.ID, message.EscapeHTML(h.placeName(ctx, *p.Target))))
	return err
}

// onUsulAsk asks an operator for a corrected text or a reason, after
// checking the proposal is theirs to decide and still waiting.
func (h *Handlers) onUsulAsk(step string, ask catalog.Key) chat.HandlerFunc {
	return func(ctx context.Context, r *chat.Request) error {
		op, err := h.flow.staff.Who(ctx, r.UserID, chat.UserName(&r.Callback.From))
		if err != nil {
			return err
		}
		id := usulID(r.Data)
		p, err := h.proposals.Get(ctx, op, id)
		if err == nil && p.Status != proposals.Waiting {
			err = proposals.ErrDecided
		}
		if key := usulErrKey(err); key != "" {
			_, err := r.Reply(ctx, chat.Text(key))
			return err
		}
		if err != nil {
			return err
		}
		if err := r.SetState(ctx, chat.State{Flow: usulFlow, Step: step, Data: map[string]string{"id": strconv.FormatInt(id, 10)}}); err != nil {
			return err
		}
		_, err = r.Reply(ctx, chat.Text(ask, id))
		return err
	}
}

// usulDecideTyped takes an operator's corrected text or reason.
func (h *Handlers) usulDecideTyped(ctx context.Context, r *chat.Request, op staff.Actor, step string, id int64) error {
	in := inputOf(r.Message)
	if in.Other || in.HTML == "" {
		return r.Say(ctx, "usul.reason_short")
	}
	if step == usulReason {
		_, err := h.proposals.Reject(ctx, op, id, in.Plain)
		if errors.Is(err, proposals.ErrReason) {
			return r.Say(ctx, "usul.reason_short")
		}
		if key := usulErrKey(err); key != "" || err != nil {
			r.ClearState(ctx)
			if key != "" {
				return r.Say(ctx, key)
			}
			return err
		}
		r.ClearState(ctx)
		return r.Say(ctx, "usul.rejected_done", id)
	}
	p, err := h.proposals.Edit(ctx, op, id, in.HTML)
	if errors.Is(err, proposals.ErrEmpty) {
		return r.Say(ctx, "usul.err_empty")
	}
	var inputErr *broadcast.InputError
	if errors.As(err, &inputErr) {
		_, err := r.Reply(ctx, h.flow.inputError(err))
		return err
	}
	r.ClearState(ctx)
	if key := usulErrKey(err); key != "" {
		return r.Say(ctx, key)
	}
	if err != nil {
		return err
	}
	if err := r.Say(ctx, "usul.edited", id); err != nil {
		return err
	}
	m := p.Content().Message()
	m.Buttons = proposals.DecisionButtons(p.ID)
	_, err = r.Reply(ctx, m)
	return err
}

// usulErrKey is what an operator reads for a refusal; "" for others.
func usulErrKey(err error) catalog.Key {
	switch {
	case errors.Is(err, proposals.ErrDecided):
		return "usul.already_decided"
	case errors.Is(err, proposals.ErrNotFound), errors.Is(err, proposals.ErrForbidden), errors.Is(err, proposals.ErrTarget):
		return "usul.not_found"
	}
	return ""
}

func (h *Handlers) placeName(ctx context.Context, code region.Code) string {
	reg, err := h.flow.regions.Get(ctx, code)
	if err != nil {
		return string(code)
	}
	return reg.Name
}

func newDraftID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
