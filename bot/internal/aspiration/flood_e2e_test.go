package aspiration_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
)

// limitedRig is the bot with the aspirations outbox against an emulator
// that enforces Telegram's limits (30 a second, about 1 a second per
// private chat, 20 a minute per group), paced as serve paces it.
func limitedRig(t *testing.T) *bottest.Rig {
	t.Helper()
	return bottest.New(t, bottest.Options{Emulator: &emulator.Options{}, Rate: 25,
		Aspirations: func(*aspirations.Config) {}})
}

// TestFlood_ConfirmationsSurviveAResidentsFlood: one resident sends
// "/aspirasi Laporan banjir nomor N di gang mawar" 200 times in 10 s. The
// 5-an-hour limit holds, all 5 confirmations arrive, the flood gets one
// refusal and one "slow down", and Telegram never answers 429.
func TestFlood_ConfirmationsSurviveAResidentsFlood(t *testing.T) {
	t.Parallel()
	r := limitedRig(t)
	r.Resident(residentBudi, villageA)
	for i := range 200 {
		r.Emu.SendText(residentBudi, fmt.Sprintf("/aspirasi Laporan banjir nomor %d di gang mawar", i))
		time.Sleep(50 * time.Millisecond)
	}
	r.WaitCount(residentBudi.ID, 5, "tercatat")
	r.WaitText(residentBudi.ID, "terlalu cepat")
	time.Sleep(2 * time.Second) // anything still on its way
	tickets, err := r.Svc.ResidentTickets(r.Ctx, residentBudi.ID, 50)
	r.Must(err)
	got := r.Emu.Messages(residentBudi.ID)
	if len(tickets) != 5 || len(r.Texts(residentBudi.ID, "tercatat")) != 5 {
		t.Fatalf("%d tickets, %d confirmations; want 5 and 5", len(tickets), len(r.Texts(residentBudi.ID, "tercatat")))
	}
	if len(got) > 8 {
		t.Fatalf("the flood got %d answers, want the 5 confirmations and about 2 more", len(got))
	}
	if st := r.Emu.Stats(); st.RateLimited != 0 {
		t.Fatalf("Telegram answered 429 %d times", st.RateLimited)
	}
}

// TestFlood_GroupRefusalsNeverCrowdOutPosts: 60 replies to a ticket post
// from someone who may not answer get one refusal, and the next ticket's
// post still reaches the group within its per-minute budget.
func TestFlood_GroupRefusalsNeverCrowdOutPosts(t *testing.T) {
	t.Parallel()
	r := limitedRig(t)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	first := r.FileOneShot(residentBudi, "Saluran air tersumbat di RT 04")
	post := r.WaitText(groupA, first)
	stranger := emulator.User{ID: 8800, FirstName: "Iseng"}
	r.WaitRecorded(groupA, post.MessageID)
	for i := range 60 {
		r.Emu.Reply(stranger, groupA, post.MessageID, fmt.Sprintf("jawaban iseng %d", i))
		time.Sleep(150 * time.Millisecond)
	}
	second := r.FileOneShot(residentBudi, "Lampu jalan mati di RT 05")
	start := time.Now()
	r.WaitText(groupA, second)
	if took := time.Since(start); took > 6*time.Second {
		t.Fatalf("the next post took %s", took)
	}
	refusals := 0
	for _, m := range r.Emu.Messages(groupA) {
		if strings.Contains(m.Text, "tidak berwenang") {
			refusals++
		}
	}
	if refusals < 1 || refusals > 2 {
		t.Fatalf("%d refusals in the group, want one a minute", refusals)
	}
	if st := r.Emu.Stats(); st.RateLimited != 0 {
		t.Fatalf("Telegram answered 429 %d times", st.RateLimited)
	}
}
