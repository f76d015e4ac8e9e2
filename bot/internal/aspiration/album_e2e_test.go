package aspiration_test

import (
	"strings"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
)

// settle sends /status as u and waits for its answer: one chat's updates
// are handled in order, so everything sent before has been handled too.
func settle(r *bottest.Rig, u emulator.User) {
	r.T.Helper()
	last := 0
	if msgs := r.Emu.Messages(u.ID); len(msgs) > 0 {
		last = msgs[len(msgs)-1].MessageID
	}
	r.Emu.SendText(u, "/status")
	r.Emu.WaitFor(r.T, u.ID, bottest.Wait, func(m emulator.Sent) bool {
		return m.MessageID > last && (strings.Contains(m.Text, "<b>Aspirasi Anda</b>") || strings.Contains(m.Text, "belum pernah"))
	})
}

// once fails unless exactly one message in chat contains part.
func once(r *bottest.Rig, chat int64, part string) emulator.Sent {
	r.T.Helper()
	got := r.Texts(chat, part)
	if len(got) != 1 {
		r.T.Fatalf("chat %d: %d messages with %q, want exactly 1", chat, len(got), part)
	}
	return got[0]
}

// TestAspiration_GuidedAlbum: three photos sent as one album at the
// attachment step are one answer: the first is kept, the resident is told
// so, and the next question comes once.
func TestAspiration_GuidedAlbum(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	me := residentBudi.ID
	startGuided(r, residentBudi, "Infrastruktur")
	r.Emu.SendText(residentBudi, "Saluran air tersumbat di gang 3, airnya meluap")
	r.WaitText(me, "foto, dokumen, atau lokasi")

	r.Emu.SendAlbum(residentBudi, me, "", "", "")
	settle(r, residentBudi)
	anon := once(r, me, "Boleh moderator KIM melihat nama Anda")
	if !strings.Contains(anon.Text, "foto <b>pertama</b>") {
		t.Errorf("the answer to the album does not say only the first photo is kept: %q", anon.Text)
	}
	if got := r.Texts(me, "belum bisa diterima"); len(got) != 0 {
		t.Errorf("album items were refused: %q", got[0].Text)
	}
	r.Emu.PressButton(residentBudi, me, anon.MessageID, bottest.Button(t, anon, "Tampilkan nama"))
	preview := r.WaitText(me, "Periksa dulu", "Lampiran: foto")
	r.Emu.PressButton(residentBudi, me, preview.MessageID, bottest.Button(t, preview, "Kirim"))
	number := bottest.NumberIn(t, r.WaitText(me, "tercatat").Text)
	if tk, _ := r.Ticket(number); tk.Attachment == nil || tk.Attachment.Kind != aspirations.AttachPhoto {
		t.Fatalf("ticket %+v kept attachment %+v, want the album's first photo", tk, tk.Attachment)
	}
}

// TestAspiration_OneShotAlbum: "/aspirasi …" as the caption of an album
// files one ticket with the first photo, and says so once.
func TestAspiration_OneShotAlbum(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	me := residentBudi.ID

	r.Emu.SendAlbum(residentBudi, me, "/aspirasi Pohon tumbang menutup jalan di RT 4", "", "")
	settle(r, residentBudi)
	filed := once(r, me, "tercatat")
	if !strings.Contains(filed.Text, "foto <b>pertama</b>") {
		t.Errorf("the filing does not say only the first photo is kept: %q", filed.Text)
	}
	tk, _ := r.Ticket(bottest.NumberIn(t, filed.Text))
	if tk.Attachment == nil || tk.Attachment.Kind != aspirations.AttachPhoto || !strings.Contains(tk.Text, "Pohon tumbang") {
		t.Fatalf("ticket %+v with attachment %+v", tk, tk.Attachment)
	}
	if ts, err := r.Svc.ResidentTickets(r.Ctx, me, 10); err != nil || len(ts) != 1 {
		t.Fatalf("resident has %d tickets (%v), want 1", len(ts), err)
	}
}

// TestAspiration_ReplyAlbum: a reply to an answer sent as an album joins
// the thread once, with the first photo.
func TestAspiration_ReplyAlbum(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	r.Moderator(modA, villageA, groupA)
	me := residentBudi.ID
	number := r.FileOneShot(residentBudi, "Lampu jalan di Jl. Tlogo Indah mati sejak seminggu")
	post := r.WaitText(groupA, number)
	r.WaitRecorded(groupA, post.MessageID)
	r.Emu.Reply(modA, groupA, post.MessageID, "Sudah kami laporkan ke PLN, besok diperbaiki.")
	answer := r.WaitText(me, "Sudah kami laporkan ke PLN")
	r.WaitRecorded(me, answer.MessageID)

	r.Emu.ReplyAlbum(residentBudi, me, answer.MessageID, "Masih mati, ini fotonya", "")
	settle(r, residentBudi)
	added := once(r, me, "ditambahkan ke")
	if !strings.Contains(added.Text, "foto <b>pertama</b>") {
		t.Errorf("the reply's answer does not say only the first photo is kept: %q", added.Text)
	}
	_, msgs := r.Ticket(number)
	if last := msgs[len(msgs)-1]; last.Attachment == nil || !strings.Contains(last.Text, "Masih mati") {
		t.Fatalf("thread's last message %+v", last)
	}
}

// TestAspiration_ForwardBurst: several messages forwarded at once get one
// offer to check them, which files the first.
func TestAspiration_ForwardBurst(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{Unlimited: true}, nil)
	r.Resident(residentBudi, villageA)
	me := residentBudi.ID

	r.Emu.ForwardMany(residentBudi, "Grup WA Warga RW 5",
		"Besok ada pemadaman listrik total se-Jawa 3 hari!", "Sebarkan ke semua grup!", "Info dari PLN pusat.")
	settle(r, residentBudi)
	offer := once(r, me, "Pesan terusan diterima")
	r.Emu.PressButton(residentBudi, me, offer.MessageID, bottest.Button(t, offer, "Laporkan"))
	tk, _ := r.Ticket(bottest.NumberIn(t, r.WaitText(me, "tercatat").Text))
	if tk.Category != aspirations.CategoryHoax || !strings.Contains(tk.Text, "pemadaman listrik total") {
		t.Fatalf("filed %+v, want the first forward as cek hoaks", tk)
	}
}
