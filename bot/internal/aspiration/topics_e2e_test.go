package aspiration_test

import (
	"strings"
	"testing"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
)

// waitInThread waits for a message in chat's forum topic thread containing
// part.
func waitInThread(r *bottest.Rig, chat int64, thread int, part string) emulator.Sent {
	r.T.Helper()
	return r.Emu.WaitFor(r.T, chat, bottest.Wait, func(m emulator.Sent) bool {
		return m.ThreadID == thread && strings.Contains(m.Text, part)
	})
}

// TestModerator_ForumTopics: in a KIM group with topics, /tautkan CODE
// typed in a topic is answered there and makes it the home of the
// village's posts; the next ticket's post arrives in it, and pressing
// Jawab on it and replying keep the exchange in the topic. A command typed
// in another topic is answered in that topic, not in General.
func TestModerator_ForumTopics(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, 0)
	forum := emulator.Chat{ID: -1002500000001, Type: "supergroup", Title: "KIM Tlogomas"}
	r.Emu.AddBotToGroup(forum, modA)
	r.WaitText(forum.ID, "/tautkan KODE")
	home := r.Emu.CreateTopic(forum, modA, "Aspirasi Warga")
	chatter := r.Emu.CreateTopic(forum, modA, "Obrolan")

	r.Emu.SendText(modA, "/tautkan")
	linkMsg := r.WaitText(modA.ID, "Kode tautan grup")
	link := strings.SplitN(strings.SplitN(linkMsg.Text, "<code>", 2)[1], "</code>", 2)[0]
	r.Emu.SendTopicText(forum, home, modA, "/tautkan "+link)
	waitInThread(r, forum.ID, home, "sekarang menerima aspirasi")

	number := r.FileOneShot(residentBudi, "Mohon info jadwal posyandu bulan ini")
	post := r.WaitText(forum.ID, number)
	if post.ThreadID != home {
		t.Fatalf("the post went to thread %d, want the linked topic %d", post.ThreadID, home)
	}
	r.Emu.PressButton(modA, forum.ID, post.MessageID, bottest.Button(t, post, "Jawab"))
	prompt := waitInThread(r, forum.ID, home, "Balas (reply) pesan ini")
	r.Emu.Reply(modA, forum.ID, prompt.MessageID, "Posyandu hari Sabtu pukul 08.00 di balai RW")
	waitInThread(r, forum.ID, home, "dikirim ke warga")

	r.Emu.SendTopicText(forum, chatter, modA, "/antrian")
	waitInThread(r, forum.ID, chatter, "")
	for _, m := range r.Emu.Messages(forum.ID) {
		if m.ThreadID == 0 && !strings.Contains(m.Text, "/tautkan KODE") {
			t.Errorf("answered in General: %q", m.Text)
		}
	}
}
