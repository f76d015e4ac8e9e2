package bot

import (
	"context"
	"html"
	"strconv"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

func aspItoa(n int64) string { return strconv.FormatInt(n, 10) }

func aspEscapeName(s string) string {
	if s == "" {
		return catalog.T("asp.from_staff")
	}
	return html.EscapeString(s)
}

// aspQueueStatuses is what a role's /antrian lists: moderators the tickets
// of their KIM still open, operators what was escalated to them.
func aspQueueStatuses(a aspirations.Actor) []aspirations.Status {
	if a.Role == aspirations.RoleOperator {
		return []aspirations.Status{aspirations.StatusEscalated, aspirations.StatusNew, aspirations.StatusClaimed}
	}
	return []aspirations.Status{aspirations.StatusNew, aspirations.StatusClaimed}
}

// staffInPrivate resolves the sender of a private staff command; anyone
// else is told so and gets false.
func (f *aspFlow) staffInPrivate(ctx context.Context, b *tgbot.Bot, u *models.Update) (aspirations.Actor, bool) {
	m := u.Message
	if m.Chat.Type != models.ChatTypePrivate {
		f.say(ctx, b, m.Chat.ID, catalog.T("asp.private_only"))
		return aspirations.Actor{}, false
	}
	actor, err := f.actorOf(ctx, m.From)
	if err != nil {
		f.log.Error("resolving actor", "err", err, "update_id", u.ID)
		f.say(ctx, b, m.Chat.ID, catalog.T("asp.err_generic"))
		return actor, false
	}
	if !aspIsStaff(actor) {
		f.say(ctx, b, m.Chat.ID, catalog.T("asp.forbidden"))
		return actor, false
	}
	return actor, true
}

// onAntrian shows the first page of the queue.
func (f *aspFlow) onAntrian(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	actor, ok := f.staffInPrivate(ctx, b, u)
	if !ok {
		return
	}
	m, err := f.queuePage(ctx, actor, 0)
	if err != nil {
		f.log.Error("reading queue", "err", err, "update_id", u.ID)
		f.say(ctx, b, u.Message.Chat.ID, catalog.T("asp.err_generic"))
		return
	}
	f.show(ctx, b, u.Message.Chat.ID, m)
}

func (f *aspFlow) queuePage(ctx context.Context, actor aspirations.Actor, offset int) (message.Message, error) {
	offset = aspPageAt(offset, aspQueuePageSize, offset+1).Offset
	ts, total, err := f.svc.Queue(ctx, actor, aspQueueStatuses(actor), offset, aspQueuePageSize)
	if err != nil {
		return message.Message{}, err
	}
	if len(ts) == 0 && total > 0 && offset > 0 { // the list shrank under the moderator: show its last aspPage
		offset = aspPageAt(offset, aspQueuePageSize, total).Offset
		if ts, total, err = f.svc.Queue(ctx, actor, aspQueueStatuses(actor), offset, aspQueuePageSize); err != nil {
			return message.Message{}, err
		}
	}
	p := aspPageAt(offset, aspQueuePageSize, total)
	return message.Message{Text: aspQueueText(ts, p, total, f.clock.Now()), Buttons: aspQueueButtons(ts, p)}, nil
}

// onModeratorButton handles "aspm:<verb>:<n>": paging, opening a ticket,
// picking a canned answer, cancelling a pending Jawab/Tolak.
func (f *aspFlow) onModeratorButton(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	cq := u.CallbackQuery
	msg := aspCallbackMessage(cq)
	verb, n, err := aspParseModeratorData(cq.Data)
	if err != nil || msg == nil {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.session_expired"), true)
		return
	}
	actor, err := f.actorOf(ctx, &cq.From)
	if err != nil || !aspIsStaff(actor) {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.forbidden"), true)
		return
	}
	switch verb {
	case aspVerbPage:
		f.turnPage(ctx, b, cq, msg, actor, int(min(n, 1<<30)))
	case aspVerbOpen:
		f.openTicket(ctx, b, cq, msg.Chat.ID, actor, n)
	case aspVerbCanned:
		f.useCanned(ctx, b, cq, msg.Chat.ID, actor, n)
	case aspVerbAbandon:
		f.store.drop(ctx, f.store.pendingKey(msg.Chat.ID, cq.From.ID))
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.action_cancel"), false)
		f.removeButtons(ctx, b, msg.Chat.ID, msg.ID)
	}
}

func (f *aspFlow) turnPage(ctx context.Context, b *tgbot.Bot, cq *models.CallbackQuery, msg *models.Message, actor aspirations.Actor, offset int) {
	m, err := f.queuePage(ctx, actor, offset)
	if err != nil {
		f.refuse(ctx, b, cq, err)
		return
	}
	aspAnswerCallback(ctx, b, cq, "", false)
	if err := aspEdit(ctx, b, msg.Chat.ID, msg.ID, m); err != nil {
		f.log.Debug("editing queue page", "err", err)
	}
}

// openTicket shows one ticket's card with its thread and actions.
func (f *aspFlow) openTicket(ctx context.Context, b *tgbot.Bot, cq *models.CallbackQuery, chatID int64, actor aspirations.Actor, id int64) {
	t, msgs, err := f.svc.Get(ctx, actor, aspItoa(id))
	if err != nil {
		f.refuse(ctx, b, cq, err)
		return
	}
	aspAnswerCallback(ctx, b, cq, "", false)
	f.show(ctx, b, chatID, message.Message{Text: aspCard(t, msgs, f.clock.Now()), Buttons: aspStaffButtons(t)})
}

// offerCanned lists the actor's canned answers for ticket t and waits for
// a pick (the pending answer is what the pick completes).
func (f *aspFlow) offerCanned(ctx context.Context, b *tgbot.Bot, chatID int64, actor aspirations.Actor, t aspirations.Ticket) {
	cs, err := f.svc.Canned(ctx, actor)
	if err != nil {
		f.log.Error("listing canned answers", "err", err)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	if len(cs) == 0 {
		f.say(ctx, b, chatID, catalog.T("asp.canned_empty"))
		return
	}
	p := aspPending{Action: aspActAnswer, TicketID: t.ID, Number: t.Number}
	if err := f.store.save(ctx, f.store.pendingKey(chatID, actor.TelegramID), p, aspPendingTTL); err != nil {
		f.log.Error("saving pending staff action", "err", err)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	f.show(ctx, b, chatID, message.Message{Text: catalog.T("asp.canned_pick", t.Number), Buttons: aspCannedButtons(cs)})
}

// useCanned answers the pending ticket with the picked canned answer.
func (f *aspFlow) useCanned(ctx context.Context, b *tgbot.Bot, cq *models.CallbackQuery, chatID int64, actor aspirations.Actor, cannedID int64) {
	var p aspPending
	if found, _ := f.store.load(ctx, f.store.pendingKey(chatID, actor.TelegramID), &p); !found || p.Action != aspActAnswer {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.session_expired"), true)
		return
	}
	cs, err := f.svc.Canned(ctx, actor)
	if err != nil {
		f.refuse(ctx, b, cq, err)
		return
	}
	for _, c := range cs {
		if c.ID == cannedID {
			aspAnswerCallback(ctx, b, cq, "", false)
			if msg := aspCallbackMessage(cq); msg != nil {
				f.removeButtons(ctx, b, chatID, msg.ID)
			}
			f.completeText(ctx, b, chatID, actor, p, c.Text)
			return
		}
	}
	aspAnswerCallback(ctx, b, cq, catalog.T("asp.canned_bad"), true)
}

// onTemplat saves a canned answer ("/templat judul | isi"), or explains how.
func (f *aspFlow) onTemplat(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	actor, ok := f.staffInPrivate(ctx, b, u)
	if !ok {
		return
	}
	chatID := u.Message.Chat.ID
	title, text, ok := aspParseCanned(aspArgs(u.Message.Text))
	if !ok {
		f.say(ctx, b, chatID, catalog.T("asp.canned_usage"))
		return
	}
	if err := f.svc.SaveCanned(ctx, actor, title, text); err != nil {
		f.log.Error("saving canned answer", "err", err, "update_id", u.ID)
		f.say(ctx, b, chatID, catalog.T(aspStaffErrorKey(err)))
		return
	}
	f.say(ctx, b, chatID, catalog.T("asp.canned_saved", html.EscapeString(title)))
}
