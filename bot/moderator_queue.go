package bot

import (
	"context"
	"html"
	"strconv"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

func aspItoa(n int64) string { return strconv.FormatInt(n, 10) }

func aspEscapeName(s string) string {
	if s == "" {
		return catalog.T("asp.from_staff")
	}
	return html.EscapeString(s)
}

// aspQueueStatuses is what a role's /antrian lists: moderators the open
// tickets of their KIM, operators also what was escalated to them.
func aspQueueStatuses(a staff.Actor) []aspirations.Status {
	if a.Role == staff.RoleOperator {
		return []aspirations.Status{aspirations.StatusEscalated, aspirations.StatusNew, aspirations.StatusClaimed}
	}
	return []aspirations.Status{aspirations.StatusNew, aspirations.StatusClaimed}
}

// staffInPrivate resolves the sender of a private staff command; anyone
// else is told so and gets ok false.
func (f *aspFlow) staffInPrivate(ctx context.Context, r *Request) (staff.Actor, bool, error) {
	if !r.Private {
		return staff.Actor{}, false, r.Say(ctx, "asp.private_only")
	}
	actor, err := f.actorOf(ctx, r.Message.From)
	if err != nil {
		return actor, false, err
	}
	if !actor.IsStaff() {
		return actor, false, r.Say(ctx, "asp.forbidden")
	}
	return actor, true, nil
}

// onAntrian shows the first page of the queue.
func (f *aspFlow) onAntrian(ctx context.Context, r *Request) error {
	actor, ok, err := f.staffInPrivate(ctx, r)
	if !ok {
		return err
	}
	m, err := f.queuePage(ctx, actor, 0)
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, m)
	return err
}

func (f *aspFlow) queuePage(ctx context.Context, actor staff.Actor, offset int) (message.Message, error) {
	offset = aspPageAt(offset, aspQueuePageSize, offset+1).Offset
	ts, total, err := f.svc.Queue(ctx, actor, aspQueueStatuses(actor), offset, aspQueuePageSize)
	if err != nil {
		return message.Message{}, err
	}
	if len(ts) == 0 && total > 0 && offset > 0 { // the list shrank meanwhile: show its last page
		offset = aspPageAt(offset, aspQueuePageSize, total).Offset
		if ts, total, err = f.svc.Queue(ctx, actor, aspQueueStatuses(actor), offset, aspQueuePageSize); err != nil {
			return message.Message{}, err
		}
	}
	p := aspPageAt(offset, aspQueuePageSize, total)
	return message.Message{Text: aspQueueText(ts, p, total, f.clock.Now()), Buttons: aspQueueButtons(ts, p)}, nil
}

// onNavigation handles the queue's buttons: a page, a ticket to open, a
// canned answer picked. Only staff get anywhere; the Service filters
// what they see by their scope.
func (f *aspFlow) onNavigation(ctx context.Context, r *Request, actor staff.Actor, action string, id int64) error {
	if !actor.IsStaff() {
		aspAlert(ctx, r, catalog.T("asp.forbidden"))
		return nil
	}
	switch action {
	case aspirations.ActionPage:
		m, err := f.queuePage(ctx, actor, int(min(id-1, 1<<20))*aspQueuePageSize)
		if err != nil {
			return f.refuse(ctx, r, err)
		}
		return r.Show(ctx, m)
	case aspirations.ActionOpen:
		return f.openTicket(ctx, r, actor, id)
	default:
		return f.useCanned(ctx, r, actor, id)
	}
}

// onStopButton cancels the presser's pending Jawab/Tolak ("aspm:stop").
func (f *aspFlow) onStopButton(ctx context.Context, r *Request) error {
	f.store.drop(ctx, f.store.pendingKey(r.ChatID, r.UserID))
	return r.Show(ctx, textMessage("asp.action_cancel"))
}

// openTicket shows one ticket's card with its thread and actions.
func (f *aspFlow) openTicket(ctx context.Context, r *Request, actor staff.Actor, id int64) error {
	t, msgs, err := f.svc.Get(ctx, actor, aspItoa(id))
	if err != nil {
		return f.refuse(ctx, r, err)
	}
	_, err = r.Reply(ctx, message.Message{Text: aspCard(t, msgs, f.clock.Now()), Buttons: aspStaffButtons(t, actor.Role == staff.RoleOperator)})
	return err
}

// offerCanned lists the actor's canned answers for ticket t; the pending
// answer is what a pick completes.
func (f *aspFlow) offerCanned(ctx context.Context, r *Request, actor staff.Actor, t aspirations.Ticket) error {
	cs, err := f.svc.Canned(ctx, actor)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return r.Say(ctx, "asp.canned_empty")
	}
	p := aspPending{Action: aspirations.ActionAnswer, TicketID: t.ID, Number: t.Number}
	var prev aspPending
	if found, _ := f.store.load(ctx, f.store.pendingKey(r.ChatID, actor.TelegramID), &prev); found && prev.TicketID == t.ID {
		p.PostID = prev.PostID // Template pressed on the answer prompt: keep the post it came from
	} else if m := r.Callback.Message.Message; m != nil {
		p.PostID = m.ID
	}
	if err := f.store.save(ctx, f.store.pendingKey(r.ChatID, actor.TelegramID), p, aspPendingTTL); err != nil {
		return err
	}
	_, err = r.Reply(ctx, message.Message{Text: catalog.T("asp.canned_pick", t.Number), Buttons: aspCannedButtons(cs)})
	return err
}

// useCanned answers the pending ticket with the picked canned answer.
func (f *aspFlow) useCanned(ctx context.Context, r *Request, actor staff.Actor, cannedID int64) error {
	var p aspPending
	if found, _ := f.store.load(ctx, f.store.pendingKey(r.ChatID, actor.TelegramID), &p); !found || p.Action != aspirations.ActionAnswer {
		aspAlert(ctx, r, catalog.T("asp.session_expired"))
		return nil
	}
	cs, err := f.svc.Canned(ctx, actor)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID == cannedID {
			f.setButtons(ctx, r, nil)
			return f.completeText(ctx, r, actor, p, c.Text)
		}
	}
	aspAlert(ctx, r, catalog.T("asp.canned_bad"))
	return nil
}

// onTemplat saves a canned answer ("/templat judul | isi"), or explains how.
func (f *aspFlow) onTemplat(ctx context.Context, r *Request) error {
	actor, ok, err := f.staffInPrivate(ctx, r)
	if !ok {
		return err
	}
	title, text, ok := aspParseCanned(r.Command.Args)
	if !ok {
		return r.Say(ctx, "asp.canned_usage")
	}
	if err := f.svc.SaveCanned(ctx, actor, title, text); err != nil {
		if key := aspStaffErrorKey(err); key != "" {
			return r.Say(ctx, key)
		}
		return err
	}
	return r.Say(ctx, "asp.canned_saved", html.EscapeString(title))
}
