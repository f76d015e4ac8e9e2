package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/staff"
)

// TestAspiration_RoundTrip: a resident files at once, the KIM group gets
// the post, a moderator claims and answers by replying to it, the resident
// reads the answer, replies to it (the ticket reopens) and rates it.
func TestAspiration_RoundTrip(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)

	number := r.fileOneShot(aspResident, "Lampu jalan di Jl. Tlogo Indah mati sejak seminggu")
	tk, _ := r.ticket(number)
	if tk.Category != aspirations.CategoryOther || tk.Status != aspirations.StatusNew || tk.VillageCode != aspVillageA {
		t.Fatalf("filed ticket %+v", tk)
	}
	post := r.waitText(aspGroupA, number, "Lampu jalan")
	if !strings.Contains(post.Text, "Budi") {
		t.Errorf("named ticket's post lacks the resident's name: %q", post.Text)
	}

	r.emu.PressButton(aspModA, aspGroupA, post.MessageID, button(t, post, "Ambil"))
	r.waitStatus(number, aspirations.StatusClaimed)
	r.waitText(aspGroupA, "Diambil oleh Sri")

	r.emu.Reply(aspModA, aspGroupA, post.MessageID, "Sudah kami laporkan ke PLN, besok diperbaiki.")
	r.waitText(aspGroupA, "Jawaban untuk", number)
	r.waitButtonsGone(aspGroupA, post.MessageID)
	answer := r.waitText(aspResident.ID, "Sudah kami laporkan ke PLN")
	r.waitStatus(number, aspirations.StatusAnswered)
	r.emu.PressButton(aspResident, aspResident.ID, answer.MessageID, button(t, answer, "Membantu"))
	r.waitCallback("Terima kasih atas penilaian", false)
	if rated, _ := r.ticket(number); rated.Rating == nil || !*rated.Rating {
		t.Errorf("rating = %v, want helpful", rated.Rating)
	}

	r.emu.Reply(aspResident, aspResident.ID, answer.MessageID, "Terima kasih, tapi sampai sekarang masih mati.")
	r.waitText(aspResident.ID, "ditambahkan ke", number)
	reopened := r.waitStatus(number, aspirations.StatusClaimed)
	if reopened.ClosedAt != nil {
		t.Errorf("reopened ticket still closed: %+v", reopened)
	}
	_, msgs := r.ticket(number)
	if last := msgs[len(msgs)-1]; last.From != staff.RoleResident || !strings.Contains(last.Text, "masih mati") {
		t.Errorf("thread's last message %+v", last)
	}

	r.emu.SendText(aspResident, "/status")
	r.waitText(aspResident.ID, "Aspirasi Anda", number, "Diproses")
}

// TestAspiration_GuidedAnonymous walks the guided flow with a photo and
// anonymity: the group post never shows the resident's name.
func TestAspiration_GuidedAnonymous(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)
	me := aspResident.ID

	r.startGuided(aspResident, "Infrastruktur")

	r.emu.SendText(aspResident, "Jalan berlubang besar di depan SDN Tlogomas 2")
	attach := r.waitText(me, "foto, dokumen, atau lokasi")
	r.emu.SendSticker(aspResident)
	r.waitText(me, "belum bisa diterima")
	r.emu.SendPhoto(aspResident, me, "")
	anon := r.waitText(me, "Boleh moderator KIM melihat nama Anda")
	if anon.MessageID == attach.MessageID {
		t.Fatalf("the anonymity question should be a new message after a photo")
	}
	r.emu.PressButton(aspResident, me, anon.MessageID, button(t, anon, "Anonim"))
	preview := r.waitText(me, "Periksa dulu", "Identitas: anonim", "Lampiran: foto", "Jalan berlubang")
	r.emu.PressButton(aspResident, me, preview.MessageID, button(t, preview, "Kirim"))
	number := aspNumberIn(t, r.waitText(me, "tercatat").Text)

	tk, _ := r.ticket(number)
	if !tk.Anonymous || tk.ResidentName != "" || tk.Category != aspirations.CategoryInfrastructure ||
		tk.Attachment == nil || tk.Attachment.Kind != aspirations.AttachPhoto {
		t.Fatalf("guided ticket %+v (attachment %+v)", tk, tk.Attachment)
	}
	r.waitText(aspGroupA, number, "Jalan berlubang")
	for _, m := range r.emu.Messages(aspGroupA) {
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
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	me := aspResident.ID

	r.startGuided(aspResident, "Keamanan")
	r.emu.SendText(aspResident, "Sering ada pencurian motor di gang 3")
	r.waitText(me, "foto, dokumen, atau lokasi")
	r.emu.SendDocument(aspResident, me, "IMG_0001.jpg", "image/jpeg", "")
	anon := r.waitText(me, "Boleh moderator KIM melihat nama Anda")
	r.emu.PressButton(aspResident, me, anon.MessageID, button(t, anon, "Anonim"))
	back := r.waitText(me, "sebagai <b>foto</b>", "foto, dokumen, atau lokasi")
	r.emu.PressButton(aspResident, me, back.MessageID, button(t, back, "Lewati"))
	again := r.waitText(me, "Boleh moderator KIM melihat nama Anda")
	r.emu.PressButton(aspResident, me, again.MessageID, button(t, again, "Anonim"))
	preview := r.waitText(me, "Periksa dulu", "Lampiran: tidak ada", "Identitas: anonim")
	r.emu.PressButton(aspResident, me, preview.MessageID, button(t, preview, "Kirim"))
	number := aspNumberIn(t, r.waitText(me, "tercatat").Text)
	if tk, _ := r.ticket(number); tk.Attachment != nil || !tk.Anonymous {
		t.Fatalf("ticket %+v kept attachment %+v", tk, tk.Attachment)
	}
}

// TestAspiration_RejectWithReason: Tolak asks for a reason; the next
// message of that moderator in the group is it, and the resident reads it.
func TestAspiration_RejectWithReason(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)
	number := r.fileOneShot(aspResident, "Tolong bangunkan mal di lapangan desa")
	post := r.waitText(aspGroupA, number)

	group := emulator.Chat{ID: aspGroupA, Type: "supergroup", Title: "KIM"}
	r.emu.PressButton(aspModA, aspGroupA, post.MessageID, button(t, post, "Tolak"))
	first := r.waitText(aspGroupA, "alasan penolakan", number)
	r.emu.PressButton(aspModA, aspGroupA, first.MessageID, button(t, first, "Batal"))
	r.waitText(aspGroupA, "Dibatalkan")
	r.emu.SendGroupText(group, aspModA, "Obrolan biasa, bukan alasan.")
	r.emu.PressButton(aspModA, aspGroupA, post.MessageID, button(t, post, "Tolak"))
	r.waitTextCount(aspGroupA, "alasan penolakan", 1) // the first prompt now reads "Dibatalkan"
	if tk, _ := r.ticket(number); tk.Status != aspirations.StatusNew {
		t.Fatalf("cancelled rejection changed the ticket: %+v", tk)
	}
	r.emu.SendGroupText(group, aspModA, "Pembangunan mal bukan wewenang kelurahan.")
	r.waitText(aspGroupA, "ditolak", number)
	r.waitButtonsGone(aspGroupA, post.MessageID)
	tk := r.waitStatus(number, aspirations.StatusRejected)
	if tk.RejectReason != "Pembangunan mal bukan wewenang kelurahan." {
		t.Errorf("reject reason %q", tk.RejectReason)
	}
	r.waitText(aspResident.ID, number, "bukan wewenang kelurahan")
}

// TestAspiration_EscalateToOperator: Teruskan sends the ticket to the city
// operator (not to another city's), who claims and answers it with the
// same buttons; the resident is told both times.
func TestAspiration_EscalateToOperator(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)
	r.operator(aspOperator, aspCity)
	r.operator(aspOpOther, aspOtherCity)
	number := r.fileOneShot(aspResident, "Banjir setinggi lutut di perumahan tiap hujan deras")
	post := r.waitText(aspGroupA, number)

	r.emu.PressButton(aspModA, aspGroupA, post.MessageID, button(t, post, "Teruskan"))
	r.waitStatus(number, aspirations.StatusEscalated)
	r.waitText(aspGroupA, "diteruskan ke Diskominfo", number)
	r.waitText(aspResident.ID, number, "Diskominfo")

	opPost := r.waitText(aspOperator.ID, number, "Banjir")
	for _, m := range r.emu.Messages(aspOpOther.ID) {
		if strings.Contains(m.Text, number) {
			t.Fatalf("an operator of another city got the ticket: %q", m.Text)
		}
	}
	r.emu.PressButton(aspOperator, aspOperator.ID, opPost.MessageID, button(t, opPost, "Ambil"))
	r.waitStatus(number, aspirations.StatusClaimed)
	r.emu.PressButton(aspOperator, aspOperator.ID, opPost.MessageID, button(t, opPost, "Jawab"))
	prompt := r.waitText(aspOperator.ID, "dengan jawaban untuk", number)
	r.emu.Reply(aspOperator, aspOperator.ID, prompt.MessageID, "Dinas PU menjadwalkan normalisasi saluran bulan depan.")
	r.waitText(aspOperator.ID, "Jawaban untuk", number)
	r.waitStatus(number, aspirations.StatusAnswered)
	r.waitText(aspResident.ID, "normalisasi saluran")
}

// TestAspiration_FloodLimit: past the hourly limit the resident gets a
// friendly message and nothing is filed.
func TestAspiration_FloodLimit(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, func(c *aspirations.Config) { c.FloodPerHour = 2 })
	r.resident(aspResident, aspVillageA)
	r.fileOneShot(aspResident, "Aspirasi pertama tentang sampah")
	r.fileOneShot(aspResident, "Aspirasi kedua tentang sampah")
	r.emu.SendText(aspResident, "/aspirasi Aspirasi ketiga tentang sampah")
	r.waitText(aspResident.ID, "cukup banyak aspirasi")
	ts, err := r.svc.ResidentTickets(r.ctx, aspResident.ID, 10)
	r.must(err)
	if len(ts) != 2 {
		t.Fatalf("%d tickets filed, want 2", len(ts))
	}
	r.emu.SendText(aspResident, "/aspirasi x")
	r.waitText(aspResident.ID, "terlalu pendek")
}

// TestAspiration_RedisDown: with Redis unreachable a one-shot aspiration
// is still filed and confirmed (the flood limit is off, nothing needs the
// conversation state); the guided flow asks to try again later.
func TestAspiration_RedisDown(t *testing.T) {
	t.Parallel()
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond,
		ReadTimeout: 50 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { _ = dead.Close() })
	r := newAspRigRedis(t, emulator.Options{Unlimited: true}, nil, dead, "asp-dead:")
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)

	number := r.fileOneShot(aspResident, "Pohon tumbang menutup jalan di RW 2")
	r.waitText(aspGroupA, number)
	r.emu.SendText(aspResident, "/aspirasi")
	r.waitText(aspResident.ID, "Coba lagi sebentar lagi")
	if ts, _ := r.svc.ResidentTickets(r.ctx, aspResident.ID, 10); len(ts) != 1 {
		t.Fatalf("tickets %+v", ts)
	}
}

// TestAspiration_EraseData: /hapusdata reaches the aspirations too; the
// resident's tickets keep their text but lose the chat id and name.
func TestAspiration_EraseData(t *testing.T) {
	t.Parallel()
	r := newAspRig(t, emulator.Options{Unlimited: true}, nil)
	r.resident(aspResident, aspVillageA)
	r.moderator(aspModA, aspVillageA, aspGroupA)
	number := r.fileOneShot(aspResident, "Sampah menumpuk di pinggir sungai Brantas")
	r.emu.SendText(aspResident, "/hapusdata")
	ask := r.waitText(aspResident.ID, "Yakin")
	r.emu.PressButton(aspResident, aspResident.ID, ask.MessageID, button(t, ask, "Ya, hapus"))
	r.waitText(aspResident.ID, "sudah dihapus")
	tk, _ := r.ticket(number)
	if tk.ResidentChat != 0 || tk.ResidentName != "" || !tk.Anonymous || !strings.Contains(tk.Text, "Brantas") {
		t.Fatalf("after /hapusdata the ticket is %+v; want the text kept, chat and name gone", tk)
	}
}
