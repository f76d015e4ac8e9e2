package aspiration_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/staff"
)

// TestAspiration_RoundTrip: a resident files at once, the KIM group gets
// the post, a moderator claims and answers by replying to it, the resident
// reads the answer, replies to it (the ticket reopens) and rates it.
func TestAspiration_RoundTrip(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)

	number := r.FileOneShot(residentBudi, "Lampu jalan di Jl. Tlogo Indah mati sejak seminggu")
	tk, _ := r.Ticket(number)
	if tk.Category != aspirations.CategoryOther || tk.Status != aspirations.StatusNew || tk.VillageCode != villageA {
		t.Fatalf("filed ticket %+v", tk)
	}
	post := r.WaitText(groupA, number, "Lampu jalan")
	if !strings.Contains(post.Text, "Budi") {
		t.Errorf("named ticket's post lacks the resident's name: %q", post.Text)
	}

	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Ambil"))
	r.WaitTicket(number, aspirations.StatusClaimed)
	r.WaitText(groupA, "Diambil oleh Sri")

	r.WaitRecorded(groupA, post.MessageID)
	r.Emu.Reply(modA, groupA, post.MessageID, "Sudah kami laporkan ke PLN, besok diperbaiki.")
	r.WaitText(groupA, "Jawaban untuk", number)
	r.WaitButtonsGone(groupA, post.MessageID)
	answer := r.WaitText(residentBudi.ID, "Sudah kami laporkan ke PLN")
	r.WaitTicket(number, aspirations.StatusAnswered)
	r.Emu.PressButton(residentBudi, residentBudi.ID, answer.MessageID, bottest.Button(t, answer, "Membantu"))
	r.WaitCallback("Terima kasih atas penilaian", false)
	if rated, _ := r.Ticket(number); rated.Rating == nil || !*rated.Rating {
		t.Errorf("rating = %v, want helpful", rated.Rating)
	}

	r.WaitRecorded(residentBudi.ID, answer.MessageID)
	r.Emu.Reply(residentBudi, residentBudi.ID, answer.MessageID, "Terima kasih, tapi sampai sekarang masih mati.")
	r.WaitText(residentBudi.ID, "ditambahkan ke", number)
	reopened := r.WaitTicket(number, aspirations.StatusClaimed)
	if reopened.ClosedAt != nil {
		t.Errorf("reopened ticket still closed: %+v", reopened)
	}
	_, msgs := r.Ticket(number)
	if last := msgs[len(msgs)-1]; last.From != staff.RoleResident || !strings.Contains(last.Text, "masih mati") {
		t.Errorf("thread's last message %+v", last)
	}

	r.Emu.SendText(residentBudi, "/status")
	r.WaitText(residentBudi.ID, "Aspirasi Anda", number, "Diproses")
}

// TestAspiration_GuidedAnonymous walks the guided flow with a photo and
// anonymity: the group post never shows the resident's name.
func TestAspiration_GuidedAnonymous(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	me := residentBudi.ID

	startGuided(r, residentBudi, "Infrastruktur")

	r.Emu.SendText(residentBudi, "Jalan berlubang besar di depan SDN Tlogomas 2")
	attach := r.WaitText(me, "foto, dokumen, atau lokasi")
	r.Emu.SendSticker(residentBudi)
	r.WaitText(me, "belum bisa diterima")
	r.Emu.SendPhoto(residentBudi, me, "")
	anon := r.WaitText(me, "Boleh moderator KIM melihat nama Anda")
	if anon.MessageID == attach.MessageID {
		t.Fatalf("the anonymity question should be a new message after a photo")
	}
	r.Emu.PressButton(residentBudi, me, anon.MessageID, bottest.Button(t, anon, "Anonim"))
	preview := r.WaitText(me, "Periksa dulu", "Identitas: anonim", "Lampiran: foto", "Jalan berlubang")
	r.Emu.PressButton(residentBudi, me, preview.MessageID, bottest.Button(t, preview, "Kirim"))
	number := bottest.NumberIn(t, r.WaitText(me, "tercatat").Text)

	tk, _ := r.Ticket(number)
	if !tk.Anonymous || tk.ResidentName != "" || tk.Category != aspirations.CategoryInfrastructure ||
		tk.Attachment == nil || tk.Attachment.Kind != aspirations.AttachPhoto {
		t.Fatalf("guided ticket %+v (attachment %+v)", tk, tk.Attachment)
	}
	r.WaitText(groupA, number, "Jalan berlubang")
	for _, m := range r.Emu.Messages(groupA) {
		for _, leak := range []string{"Budi", "Santoso", "budis", "5001"} {
			if strings.Contains(m.Text, leak) {
				t.Errorf("group message leaks %q: %q", leak, m.Text)
			}
		}
	}
}

// TestAspiration_AnonymousDocumentRefused: a document (which keeps EXIF
// location) cannot go with an anonymous ticket; the resident is asked for
// a photo instead and can go on.
func TestAspiration_AnonymousDocumentRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	me := residentBudi.ID

	startGuided(r, residentBudi, "Keamanan")
	r.Emu.SendText(residentBudi, "Sering ada pencurian motor di gang 3")
	r.WaitText(me, "foto, dokumen, atau lokasi")
	r.Emu.SendDocument(residentBudi, me, "IMG_0001.jpg", "image/jpeg", "")
	anon := r.WaitText(me, "Boleh moderator KIM melihat nama Anda")
	r.Emu.PressButton(residentBudi, me, anon.MessageID, bottest.Button(t, anon, "Anonim"))
	back := r.WaitText(me, "sebagai <b>foto</b>", "foto, dokumen, atau lokasi")
	r.Emu.PressButton(residentBudi, me, back.MessageID, bottest.Button(t, back, "Lewati"))
	again := r.WaitText(me, "Boleh moderator KIM melihat nama Anda")
	r.Emu.PressButton(residentBudi, me, again.MessageID, bottest.Button(t, again, "Anonim"))
	preview := r.WaitText(me, "Periksa dulu", "Lampiran: tidak ada", "Identitas: anonim")
	r.Emu.PressButton(residentBudi, me, preview.MessageID, bottest.Button(t, preview, "Kirim"))
	number := bottest.NumberIn(t, r.WaitText(me, "tercatat").Text)
	if tk, _ := r.Ticket(number); tk.Attachment != nil || !tk.Anonymous {
		t.Fatalf("ticket %+v kept attachment %+v", tk, tk.Attachment)
	}
}

// TestAspiration_RejectWithReason: Tolak asks for a reason; the next
// message of that moderator in the group is it, and the resident reads it.
func TestAspiration_RejectWithReason(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	number := r.FileOneShot(residentBudi, "Tolong bangunkan mal di lapangan desa")
	post := r.WaitText(groupA, number)

	group := emulator.Chat{ID: groupA, Type: "supergroup", Title: "KIM"}
	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Tolak"))
	first := r.WaitText(groupA, "alasan penolakan", number)
	r.Emu.PressButton(modA, groupA, first.MessageID, bottest.Button(t, first, "Batal"))
	r.WaitText(groupA, "Dibatalkan")
	r.Emu.SendGroupText(group, modA, "Obrolan biasa, bukan alasan.")
	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Tolak"))
	r.WaitCount(groupA, 1, "alasan penolakan") // the first prompt now reads "Dibatalkan"
	if tk, _ := r.Ticket(number); tk.Status != aspirations.StatusNew {
		t.Fatalf("cancelled rejection changed the ticket: %+v", tk)
	}
	r.Emu.SendGroupText(group, modA, "Pembangunan mal bukan wewenang kelurahan.")
	r.WaitText(groupA, "ditolak", number)
	r.WaitButtonsGone(groupA, post.MessageID)
	tk := r.WaitTicket(number, aspirations.StatusRejected)
	if tk.RejectReason != "Pembangunan mal bukan wewenang kelurahan." {
		t.Errorf("reject reason %q", tk.RejectReason)
	}
	r.WaitText(residentBudi.ID, number, "bukan wewenang kelurahan")
}

// TestAspiration_EscalateToOperator: Teruskan sends the ticket to the city
// operator (not to another city's), who claims and answers it with the
// same buttons; the resident is told both times.
func TestAspiration_EscalateToOperator(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	r.Operator(operatorCity, city)
	r.Operator(otherOperator, otherCity)
	number := r.FileOneShot(residentBudi, "Banjir setinggi lutut di perumahan tiap hujan deras")
	post := r.WaitText(groupA, number)

	r.Emu.PressButton(modA, groupA, post.MessageID, bottest.Button(t, post, "Teruskan"))
	r.WaitTicket(number, aspirations.StatusEscalated)
	r.WaitText(groupA, "diteruskan ke Diskominfo", number)
	r.WaitText(residentBudi.ID, number, "Diskominfo")

	operatorPost := r.WaitText(operatorCity.ID, number, "Banjir")
	for _, m := range r.Emu.Messages(otherOperator.ID) {
		if strings.Contains(m.Text, number) {
			t.Fatalf("an operator of another city got the ticket: %q", m.Text)
		}
	}
	r.Emu.PressButton(operatorCity, operatorCity.ID, operatorPost.MessageID, bottest.Button(t, operatorPost, "Ambil"))
	r.WaitTicket(number, aspirations.StatusClaimed)
	r.Emu.PressButton(operatorCity, operatorCity.ID, operatorPost.MessageID, bottest.Button(t, operatorPost, "Jawab"))
	prompt := r.WaitText(operatorCity.ID, "dengan jawaban untuk", number)
	r.Emu.Reply(operatorCity, operatorCity.ID, prompt.MessageID, "Dinas PU menjadwalkan normalisasi saluran bulan depan.")
	r.WaitText(operatorCity.ID, "Jawaban untuk", number)
	r.WaitTicket(number, aspirations.StatusAnswered)
	r.WaitText(residentBudi.ID, "normalisasi saluran")
}

// TestAspiration_FloodLimit: past the hourly limit the resident gets a
// friendly message and nothing is filed.
func TestAspiration_FloodLimit(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, func(c *aspirations.Config) { c.FloodPerHour = 2 })
	r.Resident(residentBudi, villageA)
	r.FileOneShot(residentBudi, "Aspirasi pertama tentang sampah")
	r.FileOneShot(residentBudi, "Aspirasi kedua tentang sampah")
	r.Emu.SendText(residentBudi, "/aspirasi Aspirasi ketiga tentang sampah")
	r.WaitText(residentBudi.ID, "cukup banyak aspirasi")
	ts, err := r.Svc.ResidentTickets(r.Ctx, residentBudi.ID, 10)
	r.Must(err)
	if len(ts) != 2 {
		t.Fatalf("%d tickets filed, want 2", len(ts))
	}
	r.Emu.SendText(residentBudi, "/aspirasi x")
	r.WaitText(residentBudi.ID, "terlalu pendek")
}

// TestAspiration_RedisDown: with Redis unreachable a one-shot aspiration
// is still filed and confirmed (the flood limit is off, nothing needs the
// conversation state); the guided flow asks to try again later.
func TestAspiration_RedisDown(t *testing.T) {
	t.Parallel()
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond,
		ReadTimeout: 50 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { _ = dead.Close() })
	r := newRigRedis(t, emulator.Options{Unlimited: true}, nil, dead, "asp-dead:")
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)

	number := r.FileOneShot(residentBudi, "Pohon tumbang menutup jalan di RW 2")
	r.WaitText(groupA, number)
	r.Emu.SendText(residentBudi, "/aspirasi")
	r.WaitText(residentBudi.ID, "Coba lagi sebentar lagi")
	if ts, _ := r.Svc.ResidentTickets(r.Ctx, residentBudi.ID, 10); len(ts) != 1 {
		t.Fatalf("tickets %+v", ts)
	}
}

// TestAspiration_EraseData: /hapusdata reaches the aspirations too; the
// resident's tickets keep their text but lose the chat id and name.
func TestAspiration_EraseData(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	number := r.FileOneShot(residentBudi, "Sampah menumpuk di pinggir sungai Brantas")
	r.Emu.SendText(residentBudi, "/hapusdata")
	ask := r.WaitText(residentBudi.ID, "Yakin")
	r.Emu.PressButton(residentBudi, residentBudi.ID, ask.MessageID, bottest.Button(t, ask, "Ya, hapus"))
	r.WaitText(residentBudi.ID, "sudah dihapus")
	tk, _ := r.Ticket(number)
	if tk.ResidentChat != 0 || tk.ResidentName != "" || !tk.Anonymous || !strings.Contains(tk.Text, "Brantas") {
		t.Fatalf("after /hapusdata the ticket is %+v; want the text kept, chat and name gone", tk)
	}
}
