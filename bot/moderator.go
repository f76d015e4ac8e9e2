package bot

import (
	"context"
	"errors"
	"html"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// actorOf is who pressed or wrote: an operator (the wider scope wins when
// someone is both), a moderator, or else a resident, whom the Service
// refuses every staff action. Nothing the update carries besides the
// sender's id matters, so forged callback data gains nothing.
func (f *aspFlow) actorOf(ctx context.Context, u *models.User) (aspirations.Actor, error) {
	name := aspUserName(u)
	if f.ops != nil {
		op, err := f.ops.Get(ctx, u.ID)
		if err == nil {
			return aspirations.Actor{Role: aspirations.RoleOperator, TelegramID: u.ID, Scope: op.Scope, Name: name}, nil
		}
		if !errors.Is(err, broadcast.ErrNotFound) {
			return aspirations.Actor{}, err
		}
	}
	mod, err := f.svc.Moderator(ctx, u.ID)
	if err == nil {
		return aspirations.Actor{Role: aspirations.RoleModerator, TelegramID: u.ID, Scope: mod.Scope, Name: name}, nil
	}
	if !errors.Is(err, aspirations.ErrNotFound) {
		return aspirations.Actor{}, err
	}
	return aspirations.Actor{Role: aspirations.RoleResident, TelegramID: u.ID}, nil
}

func aspIsStaff(a aspirations.Actor) bool {
	return a.Role == aspirations.RoleModerator || a.Role == aspirations.RoleOperator
}

// aspStaffErrorKey maps a Service refusal to what staff read.
func aspStaffErrorKey(err error) catalog.Key {
	switch {
	case errors.Is(err, aspirations.ErrForbidden):
		return "asp.forbidden"
	case errors.Is(err, aspirations.ErrAlreadyClaimed):
		return "asp.already_claimed"
	case errors.Is(err, aspirations.ErrNotFound), errors.Is(err, aspirations.ErrNotModerator):
		return "asp.not_found"
	case errors.Is(err, aspirations.ErrBadTransition):
		return "asp.bad_transition"
	case errors.Is(err, aspirations.ErrTextTooShort):
		return "asp.answer_empty"
	case errors.Is(err, aspirations.ErrTextTooLong):
		return "asp.answer_long"
	}
	return "asp.err_generic"
}

// onStaffButton handles "asp:<action>:<id>" presses: on moderator posts,
// ticket cards and (rate_*) on a resident's answer.
func (f *aspFlow) onStaffButton(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	cq := u.CallbackQuery
	action, id, err := aspirations.ParseButtonData(cq.Data)
	if err != nil {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.forbidden"), true)
		return
	}
	if action == aspActRateYes || action == aspActRateNo {
		f.onRate(ctx, b, cq, id, action == aspActRateYes)
		return
	}
	actor, err := f.actorOf(ctx, &cq.From)
	if err != nil {
		f.log.Error("resolving actor", "err", err, "update_id", u.ID)
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.err_generic"), true)
		return
	}
	msg := aspCallbackMessage(cq)
	if msg == nil {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.session_expired"), true)
		return
	}
	f.staffAction(ctx, b, cq, msg, actor, action, id)
}

func (f *aspFlow) staffAction(ctx context.Context, b *tgbot.Bot, cq *models.CallbackQuery, msg *models.Message,
	actor aspirations.Actor, action string, id int64) {
	var t aspirations.Ticket
	var err error
	switch action {
	case aspActClaim:
		t, err = f.svc.Claim(ctx, actor, id)
	case aspActEscalate:
		t, err = f.svc.Escalate(ctx, actor, id, "")
	case aspActAnswer, aspActReject, aspActCanned:
		t, _, err = f.svc.Get(ctx, actor, aspItoa(id))
	default:
		err = aspirations.ErrForbidden
	}
	if err != nil {
		f.refuse(ctx, b, cq, err)
		return
	}
	aspAnswerCallback(ctx, b, cq, "", false)
	chatID := msg.Chat.ID
	switch action {
	case aspActClaim:
		f.refreshButtons(ctx, b, msg, t)
		f.show(ctx, b, chatID, message.Message{Text: catalog.T("asp.claimed_by", aspEscapeName(actor.Name)), ReplyTo: msg.ID})
	case aspActEscalate:
		f.refreshButtons(ctx, b, msg, t)
		f.show(ctx, b, chatID, message.Message{Text: catalog.T("asp.escalated_ok", t.Number), ReplyTo: msg.ID})
	case aspActAnswer, aspActReject:
		f.askText(ctx, b, chatID, cq.From.ID, action, t)
	case aspActCanned:
		f.offerCanned(ctx, b, chatID, actor, t)
	}
}

// refuse tells the presser why nothing happened, as an alert.
func (f *aspFlow) refuse(ctx context.Context, b *tgbot.Bot, cq *models.CallbackQuery, err error) {
	aspAnswerCallback(ctx, b, cq, aspStaffErrorText(err), true)
	if aspStaffErrorKey(err) == "asp.err_generic" {
		f.log.Error("staff action", "err", err)
	}
}

// aspStaffErrorText is aspStaffErrorKey's text, naming who holds a ticket when
// a claim was lost.
func aspStaffErrorText(err error) string {
	if _, name, ok := aspirations.ClaimedBy(err); ok && name != "" {
		return catalog.T("asp.already_claimed_by", html.EscapeString(name))
	}
	return catalog.T(aspStaffErrorKey(err))
}

// refreshButtons redraws a post's or card's buttons for the new status.
func (f *aspFlow) refreshButtons(ctx context.Context, b *tgbot.Bot, msg *models.Message, t aspirations.Ticket) {
	if err := aspSetButtons(ctx, b, msg.Chat.ID, msg.ID, aspStaffButtons(t)); err != nil {
		f.log.Debug("refreshing ticket buttons", "err", err, "ticket", t.Number)
	}
}

// askText waits for the answer or the rejection reason from this person
// in this chat: their next message, or a reply to the prompt (which
// reaches the bot even in a group with privacy mode on).
func (f *aspFlow) askText(ctx context.Context, b *tgbot.Bot, chatID, userID int64, action string, t aspirations.Ticket) {
	p := aspPending{Action: action, TicketID: t.ID, Number: t.Number}
	if err := f.store.save(ctx, f.store.pendingKey(chatID, userID), p, aspPendingTTL); err != nil {
		f.log.Error("saving pending staff action", "err", err)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	key, rows := catalog.Key("asp.ask_answer"), [][]message.Button{{
		{Text: catalog.T("asp.btn_canned"), Data: aspirations.ButtonData(aspActCanned, t.ID)},
		{Text: catalog.T("asp.btn_cancel"), Data: aspModeratorData(aspVerbAbandon, 0)}}}
	if action == aspActReject {
		key, rows = "asp.ask_reason", [][]message.Button{{{Text: catalog.T("asp.btn_cancel"), Data: aspModeratorData(aspVerbAbandon, 0)}}}
	}
	f.show(ctx, b, chatID, message.Message{Text: catalog.T(key, t.Number), Buttons: rows})
}

// onStaffText completes a pending Jawab/Tolak, or answers a ticket whose
// post the message replies to. It reports false when the message is not
// staff work, so other flows may take it.
func (f *aspFlow) onStaffText(ctx context.Context, b *tgbot.Bot, u *models.Update) bool {
	m := u.Message
	if m.From == nil {
		return false
	}
	chatID := m.Chat.ID
	var p aspPending
	found, _ := f.store.load(ctx, f.store.pendingKey(chatID, m.From.ID), &p)
	if !found && m.ReplyToMessage != nil {
		t, err := f.svc.TicketByPost(ctx, chatID, m.ReplyToMessage.ID)
		if err != nil {
			return false
		}
		p, found = aspPending{Action: aspActAnswer, TicketID: t.ID, Number: t.Number}, true
	}
	if !found {
		return false
	}
	actor, err := f.actorOf(ctx, m.From)
	if err != nil {
		f.log.Error("resolving actor", "err", err, "update_id", u.ID)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return true
	}
	f.completeText(ctx, b, chatID, actor, p, aspText(m))
	return true
}

// completeText sends the answer or the rejection through the Service.
func (f *aspFlow) completeText(ctx context.Context, b *tgbot.Bot, chatID int64, actor aspirations.Actor, p aspPending, text string) {
	if text == "" {
		f.say(ctx, b, chatID, catalog.T("asp.answer_empty"))
		return
	}
	var t aspirations.Ticket
	var err error
	done := catalog.Key("asp.answered_ok")
	if p.Action == aspActReject {
		t, err = f.svc.Reject(ctx, actor, p.TicketID, text)
		done = "asp.rejected_ok"
	} else {
		t, err = f.svc.Answer(ctx, actor, p.TicketID, text)
	}
	if err != nil {
		key := aspStaffErrorKey(err)
		if key == "asp.err_generic" {
			f.log.Error("completing staff action", "err", err, "ticket", p.Number)
		}
		if key != "asp.answer_empty" && key != "asp.answer_long" {
			f.store.drop(ctx, f.store.pendingKey(chatID, actor.TelegramID))
		}
		f.say(ctx, b, chatID, catalog.T(key))
		return
	}
	f.store.drop(ctx, f.store.pendingKey(chatID, actor.TelegramID))
	f.log.Info("ticket "+p.Action, "ticket", t.Number)
	f.say(ctx, b, chatID, catalog.T(done, t.Number))
}
