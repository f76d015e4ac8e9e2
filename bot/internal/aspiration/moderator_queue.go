package aspiration

import (
	"context"
	"html"
	"strconv"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func escapeName(s string) string {
	if s == "" {
		return catalog.T("asp.from_staff")
	}
	return html.EscapeString(s)
}

// queueStatuses is what a role's /antrian lists: moderators the open
// tickets of their KIM, operators also what was escalated to them.
func queueStatuses(a staff.Actor) []aspirations.Status {
	if a.Role == staff.RoleOperator {
		return []aspirations.Status{aspirations.StatusEscalated, aspirations.StatusNew, aspirations.StatusClaimed}
	}
	return []aspirations.Status{aspirations.StatusNew, aspirations.StatusClaimed}
}

// staffInPrivate resolves the sender of a private staff command; anyone
// else is told so and gets ok false.
func (f *Flow) staffInPrivate(ctx context.Context, r *chat.Request) (staff.Actor, bool, error) {
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
func (f *Flow) onAntrian(ctx context.Context, r *chat.Request) error {
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

func (f *Flow) queuePage(ctx context.Context, actor staff.Actor, offset int) (message.Message, error) {
	offset = chat.PageAt(offset, queuePageSize, offset+1).Offset
	ts, total, err := f.svc.Queue(ctx, actor, queueStatuses(actor), offset, queuePageSize)
	if err != nil {
		return message.Message{}, err
	}
	if len(ts) == 0 && total > 0 && offset > 0 { // the list shrank meanwhile: show its last page
		offset = chat.PageAt(offset, queuePageSize, total).Offset
		if ts, total, err = f.svc.Queue(ctx, actor, queueStatuses(actor), offset, queuePageSize); err != nil {
			return message.Message{}, err
		}
	}
	p := chat.PageAt(offset, queuePageSize, total)
	return message.Message{Text: queueText(ts, p, total, f.clock.Now()), Buttons: queueButtons(ts, p)}, nil
}

// onNavigation handles the queue's buttons: a page, a ticket to open, a
// canned answer picked. Only staff get anywhere; the Service filters
// what they see by their scope.
func (f *Flow) onNavigation(ctx context.Context, r *chat.Request, actor staff.Actor, action string, id int64) error {
	if !actor.IsStaff() {
		r.Alert(ctx, catalog.T("asp.forbidden"))
		return nil
	}
	switch action {
	case aspirations.ActionPage:
		m, err := f.queuePage(ctx, actor, int(min(id-1, 1<<20))*queuePageSize)
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
func (f *Flow) onStopButton(ctx context.Context, r *chat.Request) error {
	drop(ctx, r, pendingKey(r, r.UserID))
	return r.Show(ctx, chat.Text("asp.action_cancel"))
}

// openTicket shows one ticket's card with its thread and actions.
func (f *Flow) openTicket(ctx context.Context, r *chat.Request, actor staff.Actor, id int64) error {
	t, msgs, err := f.svc.Get(ctx, actor, itoa(id))
	if err != nil {
		return f.refuse(ctx, r, err)
	}
	_, err = r.Reply(ctx, message.Message{Text: ticketCard(t, msgs, f.clock.Now()), Buttons: aspirations.StaffButtons(t, actor.Role == staff.RoleOperator)})
	return err
}

// offerCanned lists the actor's canned answers for ticket t; the pending
// answer is what a pick completes.
func (f *Flow) offerCanned(ctx context.Context, r *chat.Request, actor staff.Actor, t aspirations.Ticket) error {
	cs, err := f.svc.Canned(ctx, actor)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return r.Say(ctx, "asp.canned_empty")
	}
	p := pending{Action: aspirations.ActionAnswer, TicketID: t.ID, Number: t.Number}
	var prev pending
	if found, _ := r.Store().Load(ctx, pendingKey(r, actor.TelegramID), &prev); found && prev.TicketID == t.ID {
		p.PostID = prev.PostID // Template pressed on the answer prompt: keep the post it came from
	} else if m := r.Callback.Message.Message; m != nil {
		p.PostID = m.ID
	}
	if err := r.Store().Save(ctx, pendingKey(r, actor.TelegramID), p, pendingTTL); err != nil {
		return err
	}
	_, err = r.Reply(ctx, message.Message{Text: catalog.T("asp.canned_pick", t.Number), Buttons: cannedButtons(cs)})
	return err
}

// useCanned answers the pending ticket with the picked canned answer.
func (f *Flow) useCanned(ctx context.Context, r *chat.Request, actor staff.Actor, cannedID int64) error {
	var p pending
	if found, _ := r.Store().Load(ctx, pendingKey(r, actor.TelegramID), &p); !found || p.Action != aspirations.ActionAnswer {
		r.Alert(ctx, catalog.T("asp.session_expired"))
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
	r.Alert(ctx, catalog.T("asp.canned_bad"))
	return nil
}

// onTemplat saves a canned answer ("/templat judul | isi"), or explains how.
func (f *Flow) onTemplat(ctx context.Context, r *chat.Request) error {
	actor, ok, err := f.staffInPrivate(ctx, r)
	if !ok {
		return err
	}
	title, text, ok := parseCanned(r.Command.Args)
	if !ok {
		return r.Say(ctx, "asp.canned_usage")
	}
	if err := f.svc.SaveCanned(ctx, actor, title, text); err != nil {
		if key := staffErrorKey(err); key != "" {
			return r.Say(ctx, key, tooLongArgs(err)...)
		}
		return err
	}
	return r.Say(ctx, "asp.canned_saved", html.EscapeString(title))
}
