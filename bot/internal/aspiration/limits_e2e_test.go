package aspiration_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/emulator"
)

// prayers is the example: 2,142 characters, 4,242 UTF-16 units.
var prayers = "Jalan rusak parah mohon segera diperbaiki " + strings.Repeat("🙏", 2100)

// TestAspiration_LimitsAsTelegramCounts: a text Telegram would refuse
// around the post, or that shows nothing, is refused when the resident
// sends it, saying how much shorter, and no ticket number is given; an
// answer of the same shape is refused to the moderator and the ticket stays
// open. The emulator answers "message is too long" as Telegram does, so a
// post that slipped through would never reach the group.
func TestAspiration_LimitsAsTelegramCounts(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	me := residentBudi.ID

	r.Emu.SendText(residentBudi, "/aspirasi "+prayers)
	r.WaitText(me, "4242 dari paling banyak 3000", "Kurangi 1242 karakter")
	r.Emu.SendText(residentBudi, "/aspirasi "+strings.Repeat("\u200b", 5))
	r.WaitText(me, "terlalu pendek")

	number := r.FileOneShot(residentBudi, "Lampu jalan di gang 3 mati")
	if n := len(r.Texts(me, "tercatat")); n != 1 {
		t.Fatalf("the resident was told %d ticket numbers, want 1", n)
	}
	var tickets int
	r.Must(r.DB.Get(&tickets, `SELECT count(*) FROM aspiration_tickets`))
	if tickets != 1 {
		t.Fatalf("%d tickets filed, want only the valid one", tickets)
	}
	post := r.WaitText(groupA, number, "Lampu jalan")

	r.WaitRecorded(groupA, post.MessageID)
	r.Emu.Reply(modA, groupA, post.MessageID, prayers)
	r.WaitText(groupA, "4242 dari paling banyak 3000", "Kurangi 1242")
	r.WaitRecorded(groupA, post.MessageID)
	r.Emu.Reply(modA, groupA, post.MessageID, "\u200b\u2060\ufeff")
	r.WaitText(groupA, "Jawaban tidak boleh kosong")
	time.Sleep(200 * time.Millisecond) // let an answer that slipped through reach the outbox
	if tk, _ := r.Ticket(number); tk.Status == aspirations.StatusAnswered {
		t.Fatal("a too-long answer marked the ticket dijawab")
	}
	if got := r.Texts(me, "Jawaban untuk"); len(got) != 0 {
		t.Fatalf("the resident got %d answers", len(got))
	}

	// A fitting answer still goes through.
	r.WaitRecorded(groupA, post.MessageID)
	r.Emu.Reply(modA, groupA, post.MessageID, "Sudah dilaporkan 🙏")
	r.WaitText(me, "Jawaban untuk", "Sudah dilaporkan 🙏")
	r.WaitTicket(number, aspirations.StatusAnswered)
}
