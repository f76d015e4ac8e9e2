package aspiration_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/staff"
)

// TestModerator_ScopeMatrix: at the chat level, only the presser's own
// record counts. A moderator of village B pressing Ambil on A's post, a
// resident pressing a forged "asp:claim:<id>" and an operator of another
// city are all refused with "Anda tidak berwenang" and nothing changes.
func TestModerator_ScopeMatrix(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	r.Moderator(modB, villageB, 0)
	r.Operator(otherOperator, otherCity)
	number := r.FileOneShot(residentBudi, "Saluran air tersumbat di RT 04")
	post := r.WaitText(groupA, number)
	tk, _ := r.Ticket(number)
	confirm := r.WaitText(residentBudi.ID, "tercatat")

	presses := []struct {
		name   string
		who    emulator.User
		chat   int64
		msg    int
		action string
	}{
		{"moderator of B on A's post", modB, groupA, post.MessageID, aspirations.ActionClaim},
		{"moderator of B escalates", modB, groupA, post.MessageID, aspirations.ActionEscalate},
		{"resident forges a claim", residentBudi, residentBudi.ID, confirm.MessageID, aspirations.ActionClaim},
		{"resident forges an answer", residentBudi, residentBudi.ID, confirm.MessageID, aspirations.ActionAnswer},
		{"operator of another city", otherOperator, groupA, post.MessageID, aspirations.ActionClaim},
	}
	for i, p := range presses {
		r.Emu.PressButton(p.who, p.chat, p.msg, aspirations.ButtonData(p.action, tk.ID))
		waitCallbackCount(r, "Anda tidak berwenang", true, i+1)
	}
	r.Emu.SendText(residentBudi, "/antrian")
	r.WaitText(residentBudi.ID, "Anda tidak berwenang")
	r.Emu.SendText(modB, "/antrian")
	r.WaitText(modB.ID, "Antrian kosong")

	if now, _ := r.Ticket(number); now.Status != aspirations.StatusNew || now.ClaimedBy != nil {
		t.Fatalf("refused presses changed the ticket: %+v", now)
	}
	for _, m := range r.Emu.Messages(residentBudi.ID) {
		if strings.Contains(m.Text, "dengan jawaban untuk") {
			t.Fatalf("a resident got a staff prompt: %q", m.Text)
		}
	}
}

// TestModerator_ConcurrentClaim: two moderators press Ambil at once; one
// wins and the other is told who did.
func TestModerator_ConcurrentClaim(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	r.Moderator(modA2, villageA, groupA)
	number := r.FileOneShot(residentBudi, "Posyandu butuh timbangan bayi baru")
	post := r.WaitText(groupA, number)
	data := bottest.Button(t, post, "Ambil")

	r.Emu.PressButton(modA, groupA, post.MessageID, data)
	r.Emu.PressButton(modA2, groupA, post.MessageID, data)
	r.WaitCallback("sekarang Anda tangani", false)
	r.WaitCallback("sudah diambil", true)
	tk := r.WaitTicket(number, aspirations.StatusClaimed)
	if tk.ClaimedBy == nil || (*tk.ClaimedBy != modA.ID && *tk.ClaimedBy != modA2.ID) {
		t.Fatalf("claimed by %v", tk.ClaimedBy)
	}
	won, lost := 0, 0
	for _, c := range r.Emu.Callbacks() {
		switch {
		case strings.Contains(c.Text, "sekarang Anda tangani"):
			won++
		case strings.Contains(c.Text, "sudah diambil"):
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("won %d, lost %d; callbacks %+v", won, lost, r.Emu.Callbacks())
	}
}

// TestAspiration_ForwardedHoax: a forwarded message then /aspirasi (or
// /aspirasi as a reply to it) files it as cek hoaks with its text.
func TestAspiration_ForwardedHoax(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	me := residentBudi.ID

	r.Emu.Forward(residentBudi, "Besok ada pemadaman listrik total se-Jawa 3 hari!", "Grup WA Warga RW 5")
	r.WaitText(me, "Mau kami cek kebenarannya")
	r.Emu.SendText(residentBudi, "/aspirasi")
	first := bottest.NumberIn(t, r.WaitCount(me, 1, "tercatat").Text)
	tk, _ := r.Ticket(first)
	if tk.Category != aspirations.CategoryHoax || !strings.Contains(tk.Text, "pemadaman listrik total") ||
		!strings.Contains(tk.Text, "Grup WA Warga RW 5") {
		t.Fatalf("hoax ticket %+v", tk)
	}

	r.Emu.Forward(residentBudi, "Bansos 5 juta cair lewat link bit.ly/xyz", "")
	fwd := r.WaitCount(me, 2, "Mau kami cek kebenarannya")
	r.Emu.Reply(residentBudi, me, fwd.ReplyTo, "/aspirasi")
	r.WaitCount(me, 2, "tercatat")
	ts, err := r.Svc.ResidentTickets(r.Ctx, me, 10)
	r.Must(err)
	if len(ts) != 2 || ts[0].Category != aspirations.CategoryHoax || !strings.Contains(ts[0].Text, "Bansos 5 juta") {
		t.Fatalf("tickets %+v", ts)
	}
}

// TestAspiration_NeedsVillage: a resident without a subscription gets the
// village picker instead of a ticket.
func TestAspiration_NeedsVillage(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Emu.SendText(residentBudi, "/aspirasi Jalan rusak parah")
	m := r.WaitText(residentBudi.ID, "pilih dulu kelurahan/desa")
	if len(m.Buttons) == 0 {
		t.Fatalf("no picker buttons on %q", m.Text)
	}
	if ts, _ := r.Svc.ResidentTickets(r.Ctx, residentBudi.ID, 10); len(ts) != 0 {
		t.Fatalf("filed without a village: %+v", ts)
	}
}

// TestModerator_QueueAndCanned: /antrian pages oldest first, a ticket
// opens with its actions, and a saved template answers it.
func TestModerator_QueueAndCanned(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, func(c *aspirations.Config) { c.FloodPerHour = -1 })
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, 0)
	var numbers []string
	for i := range 7 {
		numbers = append(numbers, r.FileOneShot(residentBudi, fmt.Sprintf("Pertanyaan jam layanan nomor %d", i+1)))
	}
	me := modA.ID
	r.Emu.SendText(modA, "/antrian")
	page1 := r.WaitText(me, "Antrian aspirasi", "7 tiket", "halaman 1/2", numbers[0], numbers[4])
	if strings.Contains(page1.Text, numbers[5]) {
		t.Fatalf("page 1 shows the 6th ticket: %q", page1.Text)
	}
	r.Emu.PressButton(modA, me, page1.MessageID, bottest.Button(t, page1, "Berikutnya"))
	page2 := r.WaitText(me, "halaman 2/2", numbers[5], numbers[6])
	if page2.MessageID != page1.MessageID {
		t.Errorf("paging sent a new message instead of editing")
	}

	r.Emu.SendText(modA, "/templat Jam layanan | Kantor kelurahan buka Senin–Jumat 08.00–15.00.")
	r.WaitText(me, "Template <b>Jam layanan</b> disimpan")
	r.Emu.PressButton(modA, me, page2.MessageID, bottest.Button(t, page2, numbers[6]))
	card := r.WaitText(me, numbers[6], "Status: Baru", "nomor 7")
	r.Emu.PressButton(modA, me, card.MessageID, bottest.Button(t, card, "Jawab"))
	ask := r.WaitText(me, "dengan jawaban untuk", numbers[6])
	r.Emu.PressButton(modA, me, ask.MessageID, bottest.Button(t, ask, "Template"))
	pick := r.WaitText(me, "Pilih template")
	r.Emu.PressButton(modA, me, pick.MessageID, bottest.Button(t, pick, "Jam layanan"))
	r.WaitText(me, "Jawaban untuk", numbers[6])
	r.WaitTicket(numbers[6], aspirations.StatusAnswered)
	r.WaitText(residentBudi.ID, "Senin–Jumat 08.00–15.00")

	// Without a group the posts come to the private chat; a reply answers.
	post := r.WaitText(me, "Aspirasi baru", numbers[0])
	r.WaitRecorded(me, post.MessageID)
	r.Emu.Reply(modA, me, post.MessageID, "Silakan datang ke kantor kelurahan.")
	r.WaitText(me, "Jawaban untuk", numbers[0])
	r.WaitTicket(numbers[0], aspirations.StatusAnswered)
}

// TestModerator_InviteAndGroupLink: /daftar with a moderator code from an
// operator makes a moderator; /tautkan gives a code that links a group,
// which then receives the village's posts.
func TestModerator_InviteAndGroupLink(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	op, err := r.Staff.Add(r.Ctx, staff.Admin(), operatorCity.ID, staff.RoleOperator, city, nil)
	r.Must(err)
	code, _, err := r.Staff.CreateInvite(r.Ctx, op.Actor("Diskominfo"), staff.RoleModerator, villageA)
	r.Must(err)

	me := modA.ID
	r.Emu.SendText(modA, "/daftar "+strings.ToLower(code))
	r.WaitText(me, "moderator KIM wilayah <b>Tlogomas</b>")
	if _, err := r.Staff.Get(r.Ctx, me, staff.RoleModerator); err != nil {
		t.Fatalf("not a moderator after /daftar: %v", err)
	}
	r.Emu.SendText(modA2, "/daftar "+code)
	r.WaitText(modA2.ID, "sudah dipakai")

	group := emulator.Chat{ID: -100222, Type: "supergroup", Title: "KIM Tlogomas"}
	r.Emu.AddBotToGroup(group, modA)
	r.WaitText(group.ID, "/tautkan KODE")
	r.Emu.SendText(modA, "/tautkan")
	linkMsg := r.WaitText(me, "Kode tautan grup")
	link := strings.TrimPrefix(strings.SplitN(strings.SplitN(linkMsg.Text, "<code>", 2)[1], "</code>", 2)[0], "")
	r.Emu.SendGroupText(group, modA, "/tautkan@kimbot_test_bot "+link)
	r.WaitText(group.ID, "sekarang menerima aspirasi", "Tlogomas")
	r.Emu.SendGroupText(group, modA, "/tautkan "+link)
	r.WaitText(group.ID, "tidak berlaku")

	number := r.FileOneShot(residentBudi, "Mohon info jadwal posyandu bulan ini")
	r.WaitText(group.ID, number)
}

// waitCallbackCount waits until n button answers contain part.
func waitCallbackCount(r *bottest.Rig, part string, alert bool, n int) {
	r.T.Helper()
	deadline := time.Now().Add(10 * time.Second)
	got := 0
	for time.Now().Before(deadline) {
		got = 0
		for _, c := range r.Emu.Callbacks() {
			if strings.Contains(c.Text, part) && c.ShowAlert == alert {
				got++
			}
		}
		if got >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.T.Fatalf("%d callback answers %q, want %d: %+v", got, part, n, r.Emu.Callbacks())
}

// TestModerator_AnswerBeforeOwnDraft: a moderator whose tickets come to
// their private chat is halfway through an aspiration of their own when
// they press Jawab. The text they type next is the answer they were just
// asked for, not part of their draft; the draft goes on afterwards.
func TestModerator_AnswerBeforeOwnDraft(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, 0)
	r.Resident(modA, villageA)
	mod := modA.ID

	startGuided(r, modA, "Infrastruktur")

	number := r.FileOneShot(residentBudi, "Lampu jalan di Jl. Tlogo Indah mati")
	post := r.WaitText(mod, number, "Lampu jalan")
	r.Emu.PressButton(modA, mod, post.MessageID, bottest.Button(t, post, "Jawab"))
	r.WaitText(mod, "Balas (reply) pesan ini", number)
	r.Emu.SendText(modA, "Sudah kami laporkan ke PLN.")
	r.WaitText(mod, "Jawaban untuk", number, "dikirim")
	r.WaitText(residentBudi.ID, "Sudah kami laporkan ke PLN")
	r.WaitTicket(number, aspirations.StatusAnswered)

	r.Emu.SendText(modA, "Jalan berlubang di depan SDN Tlogomas 2")
	r.WaitText(mod, "foto, dokumen, atau lokasi")
}

// TestModerator_GroupBecomesSupergroup: a KIM's group is upgraded to a
// supergroup; the two service messages move the link, so the next ticket's
// post arrives in the supergroup and the old id is never tried.
func TestModerator_GroupBecomesSupergroup(t *testing.T) {
	t.Parallel()
	const old, super = int64(-4500000001), int64(-1002400000001)
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, old)
	r.WaitText(old, "/tautkan") // the bot's welcome in the group, before it moves
	r.Emu.MigrateGroup(old, super, modA)
	deadline := time.Now().Add(bottest.Wait)
	for {
		m, err := r.Staff.Get(r.Ctx, modA.ID, staff.RoleModerator)
		r.Must(err)
		if m.GroupChatID != nil && *m.GroupChatID == super {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the group link stayed on %v", m.GroupChatID)
		}
		time.Sleep(10 * time.Millisecond)
	}
	number := r.FileOneShot(residentBudi, "Saluran air tersumbat di gang 3")
	r.WaitText(super, number, "Saluran air")
	if st := r.Emu.Stats(); st.ToMigrated != 0 {
		t.Fatalf("the old group id was tried %d times", st.ToMigrated)
	}
}
