package aspirations_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// groupOf is the KIM group moderator id is linked to (0 for none).
func (r *rig) groupOf(id int64) int64 {
	r.t.Helper()
	m, err := staff.New(r.db, nil).Get(r.ctx, id, staff.RoleModerator)
	r.must(err)
	if m.GroupChatID == nil {
		return 0
	}
	return *m.GroupChatID
}

// A KIM group upgraded to a supergroup, learnt only from the refusal of a
// post (no service message seen): the link follows the group, the post
// and every later one arrive there, and the old id is tried once.
func TestOutbox_FollowsAGroupToItsSupergroup(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const super = int64(-1002400000001)
	r.emu.MigrateGroup(groupA, super, emulator.User{ID: modA, FirstName: "Sari"})
	first := r.file("Saluran air tersumbat di gang 3")
	r.flush()
	if got := r.count(super); got != 1 || !strings.Contains(r.last(super).Text, first.Number) {
		t.Fatalf("supergroup got %d messages", got)
	}
	if g := r.groupOf(modA); g != super {
		t.Fatalf("moderator's group is %d, want the supergroup", g)
	}
	second := r.file("Lampu jalan mati di RT 4")
	r.flush()
	if r.count(super) != 2 || !strings.Contains(r.last(super).Text, second.Number) {
		t.Fatalf("the next post did not go to the supergroup")
	}
	if st := r.emu.Stats(); st.ToMigrated != 1 {
		t.Fatalf("the old id was tried %d times, want once", st.ToMigrated)
	}
	// A reply to the new post still answers the ticket.
	got, err := r.svc.TicketByPost(r.ctx, super, r.last(super).MessageID)
	if err != nil || got.ID != second.ID {
		t.Fatalf("TicketByPost in the supergroup = %v, %v", got.Number, err)
	}
}

// The bot removed from a KIM group: the post goes to that group's
// moderators privately, saying why; nobody's ticket waits unseen.
func TestOutbox_RemovedFromGroupReachesTheModeratorsPrivately(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.emu.AddFault(emulator.Fault{Method: "sendMessage", ChatID: groupA, Code: 403, Description: "Forbidden: bot was kicked from the group chat"})
	tk := r.file("Jembatan kecil di RT 2 retak")
	r.flush()
	if r.count(groupA) != 0 || r.count(modA) != 1 {
		t.Fatalf("group %d, moderator %d", r.count(groupA), r.count(modA))
	}
	m := r.last(modA)
	if !strings.Contains(m.Text, tk.Number) || !strings.Contains(m.Text, "grup KIM") || len(m.Buttons) == 0 {
		t.Fatalf("rerouted post = %q (buttons %v)", m.Text, m.Buttons)
	}
	if st := r.outboxStates(); st["failed/blocked"] != 1 {
		t.Fatalf("outbox %v", st)
	}
}

// A moderator who blocked the bot: their ticket goes to the operators of
// the area; an error Telegram never explains is not retried for ever.
func TestOutbox_UnreachableReviewerEndsWithTheOperators(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.emu.AddFault(emulator.Fault{Method: "sendMessage", ChatID: modB, Code: 403})
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageB, Text: "Got di Merjosari"})
	r.must(err)
	r.flush()
	if r.count(opCity) != 1 || !strings.Contains(r.last(opCity).Text, tk.Number) || r.count(opOther) != 0 {
		t.Fatalf("operator of the city %d, of another city %d", r.count(opCity), r.count(opOther))
	}

	// 502 for ever on the district's group: tried a bounded number of times
	// with backoff, then the group's moderator gets it privately.
	r.emu.AddFault(emulator.Fault{ChatID: groupDist, Code: 502})
	tk = r.file("Sampah menumpuk di pasar")
	for range 12 {
		r.flush()
		r.clock.Advance(11 * time.Minute)
	}
	if r.count(modDistrict) != 1 || !strings.Contains(r.last(modDistrict).Text, tk.Number) {
		t.Fatalf("district moderator got %d messages", r.count(modDistrict))
	}
	if st := r.outboxStates(); st["failed/gave_up_transient"] != 1 || st["pending"] != 0 {
		t.Fatalf("outbox %v", st)
	}
}

// The bot removed from a KIM group (Telegram's my_chat_member): a post
// still waiting for the group goes to its moderator privately, the group
// is unlinked so the next post goes there too, and the moderator is told.
func TestService_GroupGone(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.emu.AddFault(emulator.Fault{ChatID: groupA, Code: 502})
	waiting := r.file("Pohon tumbang di jalan utama")
	r.flush() // the group's post waits, retrying
	r.must(r.svc.GroupGone(r.ctx, groupA))
	r.must(r.svc.GroupGone(r.ctx, groupA)) // Telegram may say so twice
	r.flush()
	if g := r.groupOf(modA); g != 0 {
		t.Fatalf("moderator still linked to %d", g)
	}
	var post, told int
	for _, m := range r.emu.Messages(modA) {
		switch {
		case strings.Contains(m.Text, waiting.Number):
			post++
		case strings.Contains(m.Text, "dikeluarkan dari grup"):
			told++
		}
	}
	if post != 1 || told != 1 {
		t.Fatalf("moderator got the waiting post %d times and the notice %d times", post, told)
	}
	next := r.file("Got mampet di RT 7")
	r.flush()
	if !strings.Contains(r.last(modA).Text, next.Number) {
		t.Fatalf("the next post did not reach the moderator privately: %q", r.last(modA).Text)
	}
}

// Two operators who both blocked the bot, and no moderator: each copy is
// tried once and set aside; an operator is the last tier, so they never
// pass the post back and forth.
func TestOutbox_BlockedOperatorsDoNotLoop(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var village string
	r.must(r.db.GetContext(r.ctx, &village, `SELECT code FROM regions WHERE code LIKE '35.73.01.%' ORDER BY code LIMIT 1`))
	addStaff(t, r.db, staff.RoleOperator, 203, city, nil)
	r.emu.AddFault(emulator.Fault{ChatID: opCity, Code: 403})
	r.emu.AddFault(emulator.Fault{ChatID: 203, Code: 403})
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: region.Code(village), Text: "Jalan rusak di kampung"})
	r.must(err)
	for range 5 {
		r.flush()
	}
	var rows int
	r.must(r.db.GetContext(r.ctx, &rows, `SELECT count(*) FROM aspiration_outbox WHERE ticket_id = $1 AND kind = 'post'`, tk.ID))
	if rows != 2 {
		t.Fatalf("%d post rows for the ticket, want the 2 first copies and no more", rows)
	}
	if st := r.outboxStates(); st["pending"] != 0 {
		t.Fatalf("outbox %v", st)
	}
}
