package aspiration_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/message"
)

// postedInGroup runs the bot with a resident of village A and moderator A
// in group A, files text as the resident and returns the ticket's number
// and its post in the group, recorded by the outbox.
func postedInGroup(t *testing.T, text string) (*bottest.Rig, string, emulator.Sent) {
	t.Helper()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	number := r.FileOneShot(residentBudi, text)
	post := r.WaitText(groupA, number)
	r.WaitRecorded(groupA, post.MessageID)
	return r, number, post
}

// TestModerator_AnonymousAdminIsToldWhy: a moderator who is an anonymous
// admin presses Jawab, then answers as the group (from GroupAnonymousBot,
// sender_chat the group). The answer cannot be anyone's, so the group is
// told why and what to do, once a minute; the ticket stays baru. A reply
// to the ticket post itself gets the same explanation, not a bare refusal.
func TestModerator_AnonymousAdminIsToldWhy(t *testing.T) {
	t.Parallel()
	r, number, post := postedInGroup(t, "Saluran air tersumbat di gang 3")
	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Jawab"))
	prompt := r.WaitText(groupA, "dengan jawaban untuk", number)
	r.Emu.ReplyAsChat(groupA, prompt.MessageID, "Sudah kami laporkan ke dinas.")
	r.WaitText(groupA, "atas nama grup", "/antrian")
	r.Emu.ReplyAsChat(groupA, post.MessageID, "Sudah kami laporkan ke dinas.")
	time.Sleep(500 * time.Millisecond)
	if n := len(r.Texts(groupA, "atas nama grup")); n != 1 {
		t.Fatalf("%d explanations in a minute, want 1", n)
	}
	if len(r.Texts(groupA, "tidak berwenang")) != 0 {
		t.Fatal("a bare refusal instead of the reason")
	}
	if tk, _ := r.Ticket(number); tk.Status != aspirations.StatusNew {
		t.Fatalf("ticket is %s, want baru", tk.Status)
	}
}

// TestModerator_ExpiredPromptStillAnswers: the pending Jawab step is gone
// (expired after 30 minutes, or Redis lost it); the moderator's reply to
// the prompt still answers the ticket, because the prompt carries what it
// asked for. A prompt from an older version, which carries nothing, gets
// an answer saying what to do instead of silence.
func TestModerator_ExpiredPromptStillAnswers(t *testing.T) {
	t.Parallel()
	r, number, post := postedInGroup(t, "Lampu jalan mati di RT 5")
	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Tolak"))
	prompt := r.WaitText(groupA, "alasan penolakan", number)
	key := r.Prefix + "asp:pend:" + strconv.FormatInt(groupA, 10) + ":" + strconv.FormatInt(modA.ID, 10)
	if n, err := r.Redis.Del(r.Ctx, key).Result(); err != nil || n != 1 {
		t.Fatalf("deleting the pending step %s: %d, %v", key, n, err)
	}
	r.Emu.Reply(modA, groupA, prompt.MessageID, "Lampu itu milik PLN, silakan lapor ke 123.")
	r.WaitTicket(number, aspirations.StatusRejected)
	r.WaitText(residentBudi.ID, "milik PLN")

	sender, err := bot.NewSender("123:TEST", r.Emu.URL(), 5*time.Second)
	r.Must(err)
	old, err := sender.Send(r.Ctx, groupA, message.Message{Text: "Balas (reply) pesan ini dengan jawaban.",
		Buttons: [][]message.Button{{{Text: "Batal", Data: "aspm:stop"}}}})
	r.Must(err)
	r.Emu.Reply(modA, groupA, old, "Jawaban yang terlambat")
	r.WaitText(groupA, "sudah berakhir", "Jawab")
}

// TestModerator_BotRemovedFromGroup: an admin removes the bot from the
// KIM group; the moderator is told privately and the next ticket's post
// reaches them there. A reply sent as a channel to a post is explained
// like an anonymous admin's.
func TestModerator_BotRemovedFromGroup(t *testing.T) {
	t.Parallel()
	r, _, post := postedInGroup(t, "Saluran air tersumbat di gang 3")
	r.Emu.ReplyAsChannel(groupA, emulator.Chat{ID: -100999, Title: "Kanal Warga"}, post.MessageID, "Sudah ditangani")
	r.WaitText(groupA, "atas nama grup")
	r.Emu.RemoveBotFromGroup(groupA, modA)
	r.WaitText(modA.ID, "dikeluarkan dari grup", "/tautkan")
	next := r.FileOneShot(residentBudi, "Lampu jalan mati di RT 5")
	r.WaitText(modA.ID, next, "Lampu jalan")
}

// TestModerator_ReplyToPromptWinsOverPending: Jawab, then Tolak on the
// same ticket; a reply to the first (Jawab) prompt answers the ticket, as
// that prompt asked, instead of rejecting it.
func TestModerator_ReplyToPromptWinsOverPending(t *testing.T) {
	t.Parallel()
	r, number, post := postedInGroup(t, "Sampah menumpuk di pasar")
	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Jawab"))
	answerPrompt := r.WaitText(groupA, "dengan jawaban untuk", number)
	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Tolak"))
	r.WaitText(groupA, "alasan penolakan", number)
	r.Emu.Reply(modA, groupA, answerPrompt.MessageID, "Petugas kebersihan datang besok pagi.")
	r.WaitTicket(number, aspirations.StatusAnswered)
}
