package bottest

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/staff"
)

// Ticket reads a ticket with the CLI's rights.
func (r *Rig) Ticket(numberOrID string) (aspirations.Ticket, []aspirations.Message) {
	r.T.Helper()
	t, msgs, err := r.Svc.Get(r.Ctx, staff.Admin(), numberOrID)
	r.Must(err)
	return t, msgs
}

// WaitTicket polls until the ticket has status want.
func (r *Rig) WaitTicket(number string, want aspirations.Status) aspirations.Ticket {
	r.T.Helper()
	deadline := time.Now().Add(Wait)
	for {
		t, _ := r.Ticket(number)
		if t.Status == want {
			return t
		}
		if time.Now().After(deadline) {
			r.T.Fatalf("ticket %s is %s, want %s", number, t.Status, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// FileOneShot files text as u with /aspirasi and returns the ticket
// number the bot told.
func (r *Rig) FileOneShot(u emulator.User, text string) string {
	r.T.Helper()
	n := len(r.Texts(u.ID, "tercatat"))
	r.Emu.SendText(u, "/aspirasi "+text)
	return NumberIn(r.T, r.WaitCount(u.ID, n+1, "tercatat").Text)
}

// NumberIn finds the ticket number (ASP-2026-000123) in a message.
func NumberIn(t testing.TB, text string) string {
	t.Helper()
	i := strings.Index(text, "ASP-")
	if i < 0 || len(text) < i+15 {
		t.Fatalf("no ticket number in %q", text)
	}
	return text[i : i+15]
}

// WaitCallback waits for an answerCallbackQuery whose text contains part.
func (r *Rig) WaitCallback(part string, alert bool) {
	r.T.Helper()
	deadline := time.Now().Add(Wait)
	for time.Now().Before(deadline) {
		for _, c := range r.Emu.Callbacks() {
			if strings.Contains(c.Text, part) && c.ShowAlert == alert {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.T.Fatalf("no callback answer %q (alert %v) in %+v", part, alert, r.Emu.Callbacks())
}

// WaitButtonsGone waits until message id in chat has no buttons left (a
// closed ticket's post).
func (r *Rig) WaitButtonsGone(chat int64, id int) {
	r.T.Helper()
	r.Emu.WaitFor(r.T, chat, Wait, func(m emulator.Sent) bool { return m.MessageID == id && len(m.Buttons) == 0 })
}

// WaitRecorded waits until the outbox recorded that message messageID in
// chat is a ticket's post, answer or news (it records Telegram's message
// id just after the send returns, so a person who replies at once in a
// test could otherwise be faster than the record).
func (r *Rig) WaitRecorded(chat int64, messageID int) {
	r.T.Helper()
	deadline := time.Now().Add(Wait)
	for {
		if _, err := r.Svc.TicketByAnswerMessage(r.Ctx, chat, messageID); err == nil {
			return
		}
		if _, err := r.Svc.TicketByPost(r.Ctx, chat, messageID); err == nil {
			return
		}
		if time.Now().After(deadline) {
			r.T.Fatalf("message %d in chat %d was never recorded as a ticket's news", messageID, chat)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
