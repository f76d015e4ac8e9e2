package aspirations_test

import (
	"strings"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/staff"
)

// linkInTopic links moderator by's group chat in a new forum topic of it,
// as /tautkan typed there does, and returns the topic.
func (r *rig) linkInTopic(by staff.Actor, chat int64) int {
	r.t.Helper()
	thread := r.emu.CreateTopic(emulator.Chat{ID: chat, Title: "KIM"}, emulator.User{ID: by.TelegramID}, "Aspirasi")
	dir := staff.New(r.db, r.clock)
	code, err := dir.CreateGroupLinkCode(r.ctx, by)
	r.must(err)
	_, err = dir.LinkGroup(r.ctx, code, chat, thread)
	r.must(err)
	return thread
}

// A group linked in a forum topic gets every part of a ticket's post (the
// text and its photo) and a resident's later reply in that topic, not in
// General.
func TestService_PostsInLinkedTopic(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const forum = int64(-1002500000009)
	thread := r.linkInTopic(actorModB, forum)
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageB, Text: "Got di Merjosari",
		Attachment: &aspirations.Attachment{Kind: aspirations.AttachPhoto, FileID: "emu-photo-1"}})
	r.must(err)
	r.flush()
	sent := r.emu.Messages(forum)
	if len(sent) != 2 || !strings.Contains(sent[0].Text, tk.Number) || sent[1].PhotoFileID == "" {
		t.Fatalf("forum got %d messages, want the post and its photo", len(sent))
	}
	for _, m := range sent {
		if m.ThreadID != thread {
			t.Fatalf("%s went to thread %d, want the linked topic %d", m.Method, m.ThreadID, thread)
		}
	}
	if r.count(modB) != 0 {
		t.Fatalf("the moderator's private chat got %d messages", r.count(modB))
	}
}

// A post to a topic that the group's chat will never take goes to the
// moderators' private chats without the topic (a private chat has none,
// and Telegram would refuse it).
func TestService_ReroutedTopicPostLeavesTheTopic(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const forum = int64(-1002500000010)
	r.linkInTopic(actorModB, forum)
	r.emu.AddFault(emulator.Fault{Method: "sendMessage", ChatID: forum, Code: 403, Description: "Forbidden: bot was kicked from the supergroup chat"})
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageB, Text: "Got di Merjosari"})
	r.must(err)
	r.flush()
	if r.count(modB) != 1 || !strings.Contains(r.last(modB).Text, tk.Number) || r.last(modB).ThreadID != 0 {
		t.Fatalf("moderator got %d messages (last %+v), want the post outside any topic", r.count(modB), r.emu.Messages(modB))
	}
}

// A topic deleted by an admin: the post goes to the group's General at
// once, and the link forgets the topic, so later posts go there directly.
func TestService_DeletedTopicPostsToGeneral(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const forum = int64(-1002500000011)
	thread := r.linkInTopic(actorModB, forum)
	r.emu.DeleteTopic(forum, thread)
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageB, Text: "Got di Merjosari"})
	r.must(err)
	r.flush()
	sent := r.emu.Messages(forum)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, tk.Number) || sent[0].ThreadID != 0 {
		t.Fatalf("forum got %d messages (want the post, in General)", len(sent))
	}
	m, err := staff.New(r.db, nil).Get(r.ctx, modB, staff.RoleModerator)
	r.must(err)
	if m.GroupThreadID != nil || m.GroupChatID == nil || *m.GroupChatID != forum {
		t.Fatalf("link after the topic went: group %v topic %v", m.GroupChatID, m.GroupThreadID)
	}
	if r.count(modB) != 0 {
		t.Fatal("the post was rerouted to the private chat instead of General")
	}
}
