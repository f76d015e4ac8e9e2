package aspiration

import (
	"context"
	"errors"
	"html"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// actorOf is who pressed or wrote: an operator (the wider scope wins when
// someone is both), a moderator, or else a resident, whom the Service
// refuses every staff action. Only the sender's id counts, so forged
// callback data gains nothing. A moderator's visit is recorded: a KIM
// whose moderators stop reaching the bot turns vakum.
func (f *Flow) actorOf(ctx context.Context, u *models.User) (staff.Actor, error) {
	a, err := f.staff.Who(ctx, u.ID, chat.UserName(u))
	if err == nil && a.Role == staff.RoleModerator {
		if err := f.staff.Seen(ctx, u.ID); err != nil {
			f.log.Warn("recording a moderator's visit failed", "err", err)
		}
	}
	return a, err
}

// staffErrorKey maps a Service refusal to what staff read; "" for a
// failure the framework apologises for.
func staffErrorKey(err error) catalog.Key {
	switch {
	case errors.Is(err, aspirations.ErrForbidden):
		return "asp.forbidden"
	case errors.Is(err, aspirations.ErrAlreadyClaimed):
		return "asp.already_claimed"
	case errors.Is(err, aspirations.ErrNotFound):
		return "asp.not_found"
	case errors.Is(err, aspirations.ErrBadTransition):
		return "asp.bad_transition"
	case errors.Is(err, aspirations.ErrTextTooShort):
		return "asp.answer_empty"
	case errors.Is(err, aspirations.ErrTextTooLong):
		return "asp.answer_long"
	}
	return ""
}

// staffErrorText is the refusal's text, naming who holds a ticket when
// a claim was lost.
func staffErrorText(err error) string {
	if _, name, ok := aspirations.ClaimedBy(err); ok && name != "" {
		return catalog.T("asp.already_claimed_by", html.EscapeString(name))
	}
	return catalog.T(staffErrorKey(err), tooLongArgs(err)...)
}

// refuse tells the presser why nothing happened, as an alert; a failure
// that is no refusal goes back to the framework.
func (f *Flow) refuse(ctx context.Context, r *chat.Request, err error) error {
	if staffErrorKey(err) == "" {
		return err
	}
	r.Alert(ctx, staffErrorText(err))
	return nil
}

// onStaffButton handles "asp:<action>:<id>" presses: on moderator posts,
// on ticket cards, and (rate_*) on a resident's answer.
func (f *Flow) onStaffButton(ctx context.Context, r *chat.Request) error {
	action, id, err := aspirations.ParseButtonData(r.Data)
	if err != nil {
		r.Alert(ctx, catalog.T("asp.forbidden"))
		return nil
	}
	if r.Callback.Message.Message == nil { // too old for Telegram to show us
		r.Alert(ctx, catalog.T("asp.session_expired"))
		return nil
	}
	if action == aspirations.ActionRateYes || action == aspirations.ActionRateNo {
		return f.onRate(ctx, r, id, action == aspirations.ActionRateYes)
	}
	actor, err := f.actorOf(ctx, &r.Callback.From)
	if err != nil {
		return err
	}
	switch action {
	case aspirations.ActionOpen, aspirations.ActionPage, aspirations.ActionCannedPick:
		return f.onNavigation(ctx, r, actor, action, id)
	}
	var t aspirations.Ticket
	switch action {
	case aspirations.ActionClaim:
		t, err = f.svc.Claim(ctx, actor, id)
	case aspirations.ActionEscalate:
		t, err = f.svc.Escalate(ctx, actor, id, "")
	case aspirations.ActionAnswer, aspirations.ActionReject, aspirations.ActionCanned:
		t, _, err = f.svc.Get(ctx, actor, itoa(id))
	default:
		err = aspirations.ErrForbidden
	}
	if err != nil {
		return f.refuse(ctx, r, err)
	}
	return f.staffAction(ctx, r, actor, action, t)
}

func (f *Flow) staffAction(ctx context.Context, r *chat.Request, actor staff.Actor, action string, t aspirations.Ticket) error {
	post := r.Callback.Message.Message.ID
	switch action {
	case aspirations.ActionClaim:
		r.Answer(ctx, catalog.T("asp.claimed_ok", t.Number))
		f.setButtons(ctx, r, aspirations.StaffButtons(t, actor.Role == staff.RoleOperator))
		f.log.Info("ticket claimed", "ticket", t.Number, "update_id", r.Update.ID)
		_, err := r.Reply(ctx, message.Message{Text: catalog.T("asp.claimed_by", escapeName(actor.Name)), ReplyTo: post})
		return err
	case aspirations.ActionEscalate:
		r.Answer(ctx, "")
		f.setButtons(ctx, r, aspirations.StaffButtons(t, actor.Role == staff.RoleOperator))
		f.log.Info("ticket escalated", "ticket", t.Number, "update_id", r.Update.ID)
		_, err := r.Reply(ctx, message.Message{Text: catalog.T("asp.escalated_ok", t.Number), ReplyTo: post})
		return err
	case aspirations.ActionCanned:
		r.Answer(ctx, "")
		return f.offerCanned(ctx, r, actor, t)
	default:
		r.Answer(ctx, "")
		return f.askText(ctx, r, action, t)
	}
}

// askText waits for the answer or the rejection reason from this person
// in this chat: their next message, or a reply to the prompt (which
// reaches the bot even in a group with privacy mode on).
func (f *Flow) askText(ctx context.Context, r *chat.Request, action string, t aspirations.Ticket) error {
	p := pending{Action: action, TicketID: t.ID, Number: t.Number, PostID: r.Callback.Message.Message.ID}
	if err := r.Store().Save(ctx, pendingKey(r, r.UserID), p, pendingTTL); err != nil {
		return err
	}
	cancel := message.Button{Text: catalog.T("asp.btn_cancel"), Data: promptStopData(p)}
	key, rows := catalog.Key("asp.ask_answer"), [][]message.Button{{
		{Text: catalog.T("asp.btn_canned"), Data: aspirations.ButtonData(aspirations.ActionCanned, t.ID)}, cancel}}
	if action == aspirations.ActionReject {
		key, rows = "asp.ask_reason", [][]message.Button{{cancel}}
	}
	_, err := r.Reply(ctx, message.Message{Text: catalog.T(key, t.Number), Buttons: rows})
	return err
}

// onMessage is the hook for private messages no command or flow took: a
// resident's forward or reply to an answer.
func (f *Flow) onMessage(ctx context.Context, r *chat.Request) (bool, error) {
	if r.Message.From == nil || !r.Private {
		return false, nil
	}
	return f.onResidentMessage(ctx, r)
}

// onStaffText (a Prompted hook, ahead of any flow) completes a pending
// Jawab/Tolak, or answers the ticket whose post the message replies to (a
// reply to another ticket's post than the pending one is about that
// ticket). Not staff work: handled is false.
func (f *Flow) onStaffText(ctx context.Context, r *chat.Request) (bool, error) {
	if r.Message.From == nil {
		return false, nil
	}
	reply := r.Message.ReplyToMessage
	if r.Message.SenderChat != nil {
		// Sent as the group (an anonymous admin) or a channel: nobody to
		// hold to the answer. Tell them, if it was meant for the bot.
		return f.chatAuthor(ctx, r, reply)
	}
	// What the message replies to decides first: a prompt says what it
	// asked for, and an old prompt that says nothing has expired. Then the
	// person's pending step, which also wins for a reply to the post of
	// its own ticket (Tolak pressed, the reason typed as a reply to the
	// post); a reply to another ticket's post answers that ticket.
	if reply != nil && f.fromBot(reply) {
		if prompt, ok := pendingOfPrompt(reply); ok {
			return true, f.completeFrom(ctx, r, prompt)
		} else if isPrompt(reply) {
			return true, r.Say(ctx, "asp.prompt_expired")
		}
	}
	var p pending
	found, err := r.Store().Load(ctx, pendingKey(r, r.UserID), &p)
	switch {
	case err != nil && r.Private:
		return true, err // "coba lagi sebentar": the message may be an answer
	case err != nil:
		f.log.Warn("reading pending staff action", "err", err, "update_id", r.Update.ID)
	}
	if reply != nil {
		t, err := f.svc.TicketByPost(ctx, r.ChatID, reply.ID)
		switch {
		case err == nil && (!found || p.TicketID != t.ID):
			p, found = pending{Action: aspirations.ActionAnswer, TicketID: t.ID, Number: t.Number, PostID: reply.ID}, true
		case err != nil && !errors.Is(err, aspirations.ErrNotFound):
			return true, err
		}
	}
	if !found {
		return false, nil
	}
	return true, f.completeFrom(ctx, r, p)
}

// completeFrom completes pending step p with the message's text, as its
// author.
func (f *Flow) completeFrom(ctx context.Context, r *chat.Request, p pending) error {
	actor, err := f.actorOf(ctx, r.Message.From)
	if err != nil {
		return err
	}
	return f.completeText(ctx, r, actor, p, r.Text())
}

// chatAuthor answers a message sent on behalf of a chat (an anonymous
// admin, a channel) that replies to a ticket post or a prompt of the bot:
// it cannot be recorded as anyone's answer, so the sender hears why and
// what to do instead; once a minute in a group. Other such messages are
// not the bot's business.
func (f *Flow) chatAuthor(ctx context.Context, r *chat.Request, reply *models.Message) (bool, error) {
	if reply == nil || !f.fromBot(reply) {
		return false, nil
	}
	if _, postErr := f.svc.TicketByPost(ctx, r.ChatID, reply.ID); postErr != nil && !isPrompt(reply) {
		return false, nil
	}
	return true, r.ReplyOnce(ctx, time.Minute, "chat_author", chat.Text("asp.chat_author"))
}

// fromBot reports whether m is a message this bot sent (by its
// @username; any bot's while the username is not known yet).
func (f *Flow) fromBot(m *models.Message) bool {
	if m.From == nil || !m.From.IsBot {
		return false
	}
	name := f.botUsername()
	return name == "" || strings.EqualFold(m.From.Username, name)
}

// isPrompt reports whether m carries a Jawab/Tolak prompt's Batal button,
// of this version or an older one.
func isPrompt(m *models.Message) bool {
	if m.ReplyMarkup == nil {
		return false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if c, err := message.ParseCallback(b.CallbackData); err == nil && c.Area == modArea && c.Action == "stop" {
				return true
			}
		}
	}
	return false
}

// completeText sends the answer or the rejection through the Service.
func (f *Flow) completeText(ctx context.Context, r *chat.Request, actor staff.Actor, p pending, text string) error {
	if message.ContentLen(text) == 0 {
		return r.Say(ctx, "asp.answer_empty")
	}
	var t aspirations.Ticket
	var err error
	done := catalog.Key("asp.answered_ok")
	if p.Action == aspirations.ActionReject {
		t, err = f.svc.Reject(ctx, actor, p.TicketID, text)
		done = "asp.rejected_ok"
	} else {
		t, err = f.svc.Answer(ctx, actor, p.TicketID, text)
	}
	if err != nil {
		key := staffErrorKey(err)
		if key == "" {
			return err
		}
		if key != "asp.answer_empty" && key != "asp.answer_long" { // a retry cannot help: forget the step
			drop(ctx, r, pendingKey(r, actor.TelegramID))
		}
		refusal := message.Message{Text: staffErrorText(err)}
		if !r.Private { // a group's budget is for ticket posts: one refusal a minute
			return r.ReplyOnce(ctx, time.Minute, "refuse:"+string(key), refusal)
		}
		_, err = r.Reply(ctx, refusal)
		return err
	}
	drop(ctx, r, pendingKey(r, actor.TelegramID))
	if p.PostID != 0 { // a closed ticket's post loses its buttons
		f.setButtonsOf(ctx, r, r.ChatID, p.PostID, aspirations.StaffButtons(t, actor.Role == staff.RoleOperator))
	}
	f.log.Info("ticket "+p.Action, "ticket", t.Number, "update_id", r.Update.ID)
	return r.Say(ctx, done, t.Number)
}
