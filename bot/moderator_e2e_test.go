package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/staff"
)

// TestModerator_ScopeMatrix: at the chat level, only the presser's own
// record counts. A moderator of village B pressing Ambil on A's post, a
// resident pressing a forged "asp:claim:<id>" and an operator of another
// city are all refused with "Anda tidak berwenang" and nothing changes.
func TestModerator_ScopeMatrix(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)
	r.moderator(aspModB, aspVillageB, 0)
	r.operator(aspOpOther, aspOtherCity)
	number := r.fileOneShot(aspResident, "Saluran air tersumbat di RT 04")
	post := r.waitText(aspGroupA, number)
	tk, _ := r.ticket(number)
	confirm := r.waitText(aspResident.ID, "tercatat")

	presses := []struct {
		name   string
		who    emulator.User
		chat   int64
		msg    int
		action string
	}{
		{"moderator of B on A's post", aspModB, aspGroupA, post.MessageID, aspirations.ActionClaim},
		{"moderator of B escalates", aspModB, aspGroupA, post.MessageID, aspirations.ActionEscalate},
		{"resident forges a claim", aspResident, aspResident.ID, confirm.MessageID, aspirations.ActionClaim},
		{"resident forges an answer", aspResident, aspResident.ID, confirm.MessageID, aspirations.ActionAnswer},
		{"operator of another city", aspOpOther, aspOpOther.ID, 1, aspirations.ActionClaim},
	}
	for i, p := range presses {
		r.emu.PressButton(p.who, p.chat, p.msg, aspirations.ButtonData(p.action, tk.ID))
		r.waitCallbackCount("Anda tidak berwenang", true, i+1)
	}
	r.emu.SendText(aspResident, "/antrian")
	r.waitText(aspResident.ID, "Anda tidak berwenang")
	r.emu.SendText(aspModB, "/antrian")
	r.waitText(aspModB.ID, "Antrian kosong")

	if now, _ := r.ticket(number); now.Status != aspirations.StatusNew || now.ClaimedBy != nil {
		t.Fatalf("refused presses changed the ticket: %+v", now)
	}
	for _, m := range r.emu.Messages(aspResident.ID) {
		if strings.Contains(m.Text, "dengan jawaban untuk") {
			t.Fatalf("a resident got a staff prompt: %q", m.Text)
		}
	}
}

// TestModerator_ConcurrentClaim: two moderators press Ambil at once; one
// wins and the other is told who did.
func TestModerator_ConcurrentClaim(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)
	r.moderator(aspModA2, aspVillageA, aspGroupA)
	number := r.fileOneShot(aspResident, "Posyandu butuh timbangan bayi baru")
	post := r.waitText(aspGroupA, number)
	data := button(t, post, "Ambil")

	r.emu.PressButton(aspModA, aspGroupA, post.MessageID, data)
	r.emu.PressButton(aspModA2, aspGroupA, post.MessageID, data)
	r.waitCallback("sekarang Anda tangani", false)
	r.waitCallback("sudah diambil", true)
	tk := r.waitStatus(number, aspirations.StatusClaimed)
	if tk.ClaimedBy == nil || (*tk.ClaimedBy != aspModA.ID && *tk.ClaimedBy != aspModA2.ID) {
		t.Fatalf("claimed by %v", tk.ClaimedBy)
	}
	won, lost := 0, 0
	for _, c := range r.emu.Callbacks() {
		switch {
		case strings.Contains(c.Text, "sekarang Anda tangani"):
			won++
		case strings.Contains(c.Text, "sudah diambil"):
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("won %d, lost %d; callbacks %+v", won, lost, r.emu.Callbacks())
	}
}

// TestAspiration_ForwardedHoax: a forwarded message then /aspirasi (or
// /aspirasi as a reply to it) files it as cek hoaks with its text.
func TestAspiration_ForwardedHoax(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	me := aspResident.ID

	r.emu.Forward(aspResident, "Besok ada pemadaman listrik total se-Jawa 3 hari!", "Grup WA Warga RW 5")
	r.waitText(me, "Mau kami cek kebenarannya")
	r.emu.SendText(aspResident, "/aspirasi")
	first := aspNumberIn(t, r.waitTextCount(me, "tercatat", 1).Text)
	tk, _ := r.ticket(first)
	if tk.Category != aspirations.CategoryHoax || !strings.Contains(tk.Text, "pemadaman listrik total") ||
		!strings.Contains(tk.Text, "Grup WA Warga RW 5") {
		t.Fatalf("hoax ticket %+v", tk)
	}

	r.emu.Forward(aspResident, "Bansos 5 juta cair lewat link bit.ly/xyz", "")
	fwd := r.waitTextCount(me, "Mau kami cek kebenarannya", 2)
	r.emu.Reply(aspResident, me, fwd.ReplyTo, "/aspirasi")
	r.waitTextCount(me, "tercatat", 2)
	ts, err := r.svc.ResidentTickets(r.ctx, me, 10)
	r.must(err)
	if len(ts) != 2 || ts[0].Category != aspirations.CategoryHoax || !strings.Contains(ts[0].Text, "Bansos 5 juta") {
		t.Fatalf("tickets %+v", ts)
	}
}

// TestAspiration_NeedsVillage: a resident without a subscription gets the
// village picker instead of a ticket.
func TestAspiration_NeedsVillage(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.emu.SendText(aspResident, "/aspirasi Jalan rusak parah")
	m := r.waitText(aspResident.ID, "pilih dulu kelurahan/desa")
	if len(m.Buttons) == 0 {
		t.Fatalf("no picker buttons on %q", m.Text)
	}
	if ts, _ := r.svc.ResidentTickets(r.ctx, aspResident.ID, 10); len(ts) != 0 {
		t.Fatalf("filed without a village: %+v", ts)
	}
}

// TestModerator_QueueAndCanned: /antrian pages oldest first, a ticket
// opens with its actions, and a saved template answers it.
func TestModerator_QueueAndCanned(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, func(c *aspirations.Config) { c.FloodPerHour = -1 })
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, 0)
	var numbers []string
	for i := range 7 {
		numbers = append(numbers, r.fileOneShot(aspResident, fmt.Sprintf("Pertanyaan jam layanan nomor %d", i+1)))
	}
	me := aspModA.ID
	r.emu.SendText(aspModA, "/antrian")
	page1 := r.waitText(me, "Antrian aspirasi", "7 tiket", "halaman 1/2", numbers[0], numbers[4])
	if strings.Contains(page1.Text, numbers[5]) {
		t.Fatalf("page 1 shows the 6th ticket: %q", page1.Text)
	}
	r.emu.PressButton(aspModA, me, page1.MessageID, button(t, page1, "Berikutnya"))
	page2 := r.waitText(me, "halaman 2/2", numbers[5], numbers[6])
	if page2.MessageID != page1.MessageID {
		t.Errorf("paging sent a new message instead of editing")
	}

	r.emu.SendText(aspModA, "/templat Jam layanan | Kantor kelurahan buka Senin–Jumat 08.00–15.00.")
	r.waitText(me, "Template <b>Jam layanan</b> disimpan")
	r.emu.PressButton(aspModA, me, page2.MessageID, button(t, page2, numbers[6]))
	card := r.waitText(me, numbers[6], "Status: Baru", "nomor 7")
	r.emu.PressButton(aspModA, me, card.MessageID, button(t, card, "Jawab"))
	ask := r.waitText(me, "dengan jawaban untuk", numbers[6])
	r.emu.PressButton(aspModA, me, ask.MessageID, button(t, ask, "Template"))
	pick := r.waitText(me, "Pilih template")
	r.emu.PressButton(aspModA, me, pick.MessageID, button(t, pick, "Jam layanan"))
	r.waitText(me, "Jawaban untuk", numbers[6])
	r.waitStatus(numbers[6], aspirations.StatusAnswered)
	r.waitText(aspResident.ID, "Senin–Jumat 08.00–15.00")

	// Without a group the posts come to the private chat; a reply answers.
	post := r.waitText(me, "Aspirasi baru", numbers[0])
	r.emu.Reply(aspModA, me, post.MessageID, "Silakan datang ke kantor kelurahan.")
	r.waitText(me, "Jawaban untuk", numbers[0])
	r.waitStatus(numbers[0], aspirations.StatusAnswered)
}

// TestModerator_InviteAndGroupLink: /daftar with a moderator code from an
// operator makes a moderator; /tautkan gives a code that links a group,
// which then receives the village's posts.
func TestModerator_InviteAndGroupLink(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	op, err := r.staff.Add(r.ctx, staff.Admin(), aspOperator.ID, staff.RoleOperator, aspCity, nil)
	r.must(err)
	code, _, err := r.staff.CreateInvite(r.ctx, op.Actor("Diskominfo"), staff.RoleModerator, aspVillageA)
	r.must(err)

	me := aspModA.ID
	r.emu.SendText(aspModA, "/daftar "+strings.ToLower(code))
	r.waitText(me, "moderator KIM wilayah <b>Tlogomas</b>")
	if _, err := r.staff.Get(r.ctx, me, staff.RoleModerator); err != nil {
		t.Fatalf("not a moderator after /daftar: %v", err)
	}
	r.emu.SendText(aspModA2, "/daftar "+code)
	r.waitText(aspModA2.ID, "sudah dipakai")

	group := emulator.Chat{ID: -100222, Type: "supergroup", Title: "KIM Tlogomas"}
	r.emu.AddBotToGroup(group, aspModA)
	r.waitText(group.ID, "/tautkan KODE")
	r.emu.SendText(aspModA, "/tautkan")
	linkMsg := r.waitText(me, "Kode tautan grup")
	link := strings.TrimPrefix(strings.SplitN(strings.SplitN(linkMsg.Text, "<code>", 2)[1], "</code>", 2)[0], "")
	r.emu.SendGroupText(group, aspModA, "/tautkan@kimbot_test_bot "+link)
	r.waitText(group.ID, "sekarang menerima aspirasi", "Tlogomas")
	r.emu.SendGroupText(group, aspModA, "/tautkan "+link)
	r.waitText(group.ID, "tidak berlaku")

	number := r.fileOneShot(aspResident, "Mohon info jadwal posyandu bulan ini")
	r.waitText(group.ID, number)
}

// waitCallbackCount waits until n button answers contain part.
func (r *aspRig) waitCallbackCount(part string, alert bool, n int) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	got := 0
	for time.Now().Before(deadline) {
		got = 0
		for _, c := range r.emu.Callbacks() {
			if strings.Contains(c.Text, part) && c.ShowAlert == alert {
				got++
			}
		}
		if got >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatalf("%d callback answers %q, want %d: %+v", got, part, n, r.emu.Callbacks())
}

// TestModerator_AnswerBeforeOwnDraft: a moderator whose tickets come to
// their private chat is halfway through an aspiration of their own when
// they press Jawab. The text they type next is the answer they were just
// asked for, not part of their draft; the draft goes on afterwards.
func TestModerator_AnswerBeforeOwnDraft(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, 0)
	r.resident(aspModA, aspVillageA)
	mod := aspModA.ID

	r.startGuided(aspModA, "Infrastruktur")

	number := r.fileOneShot(aspResident, "Lampu jalan di Jl. Tlogo Indah mati")
	post := r.waitText(mod, number, "Lampu jalan")
	r.emu.PressButton(aspModA, mod, post.MessageID, button(t, post, "Jawab"))
	r.waitText(mod, "Balas (reply) pesan ini", number)
	r.emu.SendText(aspModA, "Sudah kami laporkan ke PLN.")
	r.waitText(mod, "Jawaban untuk", number, "dikirim")
	r.waitText(aspResident.ID, "Sudah kami laporkan ke PLN")
	r.waitStatus(number, aspirations.StatusAnswered)

	r.emu.SendText(aspModA, "Jalan berlubang di depan SDN Tlogomas 2")
	r.waitText(mod, "foto, dokumen, atau lokasi")
}
