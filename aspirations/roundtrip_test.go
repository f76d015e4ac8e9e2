package aspirations_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

func TestService_RoundTrip(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, ResidentName: "Siti <Aminah>",
		VillageCode: villageA, Category: aspirations.CategoryInfrastructure,
		Text:       "Lampu jalan di Jl. Tlogo Indah mati sejak seminggu",
		Attachment: &aspirations.Attachment{Kind: aspirations.AttachPhoto, FileID: "photo-1"}, SourceKey: "upd:1"})
	r.must(err)
	if !strings.HasPrefix(tk.Number, "ASP-2026-") || tk.Status != aspirations.StatusNew {
		t.Fatalf("filed %+v", tk)
	}
	// The post and its photo reach the village group and the district group,
	// not village B's moderator.
	if n := r.flush(); n != 4 {
		t.Fatalf("flushed %d, want 4 (post and photo to two groups)", n)
	}
	post := r.emu.Messages(groupA)[0]
	contains(t, "post", post.Text, tk.Number, "Lampu jalan", "Tlogomas", "Lowokwaru", "Siti &lt;Aminah&gt;", "Infrastruktur")
	if got := buttonData(post); !slices.Equal(got, []string{"asp:claim:" + itoa(tk.ID), "asp:answer:" + itoa(tk.ID),
		"asp:reject:" + itoa(tk.ID), "asp:escalate:" + itoa(tk.ID)}) {
		t.Errorf("post buttons %v", got)
	}
	if photo := r.last(groupA); photo.PhotoFileID != "photo-1" {
		t.Errorf("group got %+v, want the photo by file id", photo)
	}
	if r.count(groupDist) != 2 || r.count(modB) != 0 {
		t.Errorf("district group %d messages, village B moderator %d", r.count(groupDist), r.count(modB))
	}
	// A moderator's reply to the post in the group finds the ticket.
	byPost, err := r.svc.TicketByPost(r.ctx, groupA, post.MessageID)
	r.must(err)
	if byPost.ID != tk.ID {
		t.Fatalf("TicketByPost = %d, want %d", byPost.ID, tk.ID)
	}

	r.clock.Advance(2 * time.Hour)
	claimed, err := r.svc.Claim(r.ctx, actorModA, tk.ID)
	r.must(err)
	if claimed.Status != aspirations.StatusClaimed || *claimed.ClaimedBy != modA || claimed.ClaimedByName != "Sari" {
		t.Fatalf("claimed %+v", claimed)
	}
	r.flush()
	contains(t, "claim news", r.last(resident).Text, tk.Number, "diproses")

	r.clock.Advance(time.Hour)
	answered, err := r.svc.Answer(r.ctx, actorModA, tk.ID, "Sudah dilaporkan ke PJU, diperbaiki besok.")
	r.must(err)
	if answered.Status != aspirations.StatusAnswered || answered.FirstResponseAt == nil ||
		answered.FirstResponseAt.Sub(answered.CreatedAt) != 3*time.Hour || answered.ClosedAt == nil {
		t.Fatalf("answered %+v", answered)
	}
	r.flush()
	ans := r.last(resident)
	contains(t, "answer", ans.Text, tk.Number, "diperbaiki besok", "Sari")
	if got := buttonData(ans); !slices.Equal(got, []string{"asp:rate_yes:" + itoa(tk.ID), "asp:rate_no:" + itoa(tk.ID)}) {
		t.Errorf("answer buttons %v", got)
	}

	// The resident replies to the answer: the thread grows and the ticket
	// goes back to the moderator who answered.
	byAnswer, err := r.svc.TicketByAnswerMessage(r.ctx, resident, ans.MessageID)
	r.must(err)
	if _, err := r.svc.TicketByAnswerMessage(r.ctx, resident2, ans.MessageID); err == nil {
		t.Error("another chat matched the resident's answer message")
	}
	reopened, err := r.svc.ResidentReply(r.ctx, resident, byAnswer.Number, "Sampai sekarang masih mati.", nil)
	r.must(err)
	if reopened.Status != aspirations.StatusClaimed || reopened.ClosedAt != nil {
		t.Fatalf("reopened %+v", reopened)
	}
	r.flush()
	note := r.last(modA)
	contains(t, "reply note", note.Text, tk.Number, "masih mati")
	if byNote, err := r.svc.TicketByPost(r.ctx, modA, note.MessageID); err != nil || byNote.ID != tk.ID {
		t.Fatalf("TicketByPost(note) = %v, %v", byNote.ID, err)
	}
	again, err := r.svc.Answer(r.ctx, actorModA, tk.ID, "Petugas datang hari ini.")
	r.must(err)
	if !again.FirstResponseAt.Equal(*answered.FirstResponseAt) {
		t.Errorf("first response moved from %v to %v", answered.FirstResponseAt, again.FirstResponseAt)
	}
	r.must(r.svc.Rate(r.ctx, resident, tk.ID, true))
	isErr(t, r.svc.Rate(r.ctx, resident2, tk.ID, true), aspirations.ErrNotFound)

	got, thread, err := r.svc.Get(r.ctx, actorModDist, tk.Number)
	r.must(err)
	if got.Rating == nil || !*got.Rating || len(thread) != 3 {
		t.Fatalf("rating %v, thread %d messages, want helpful and 3", got.Rating, len(thread))
	}
	if thread[1].From != staff.RoleResident || thread[1].Text != "Sampai sekarang masih mati." {
		t.Errorf("thread[1] = %+v", thread[1])
	}
	mine, err := r.svc.ResidentTickets(r.ctx, resident, 10)
	r.must(err)
	if len(mine) != 1 || mine[0].Status != aspirations.StatusAnswered {
		t.Errorf("resident tickets %+v", mine)
	}
}

func TestService_Reject(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Minta jalan kampung diaspal ulang semua")
	_, err := r.svc.Reject(r.ctx, actorModA, tk.ID, "ok")
	isErr(t, err, aspirations.ErrTextTooShort)
	rej, err := r.svc.Reject(r.ctx, actorModA, tk.ID, "Jalan itu kewenangan provinsi, sudah kami sampaikan.")
	r.must(err)
	if rej.Status != aspirations.StatusRejected || rej.RejectReason == "" || rej.ClosedAt == nil {
		t.Fatalf("rejected %+v", rej)
	}
	r.flush()
	msg := r.last(resident)
	contains(t, "rejection", msg.Text, tk.Number, "kewenangan provinsi")
	// Replying to the rejection reopens it with the moderator who rejected.
	byMsg, err := r.svc.TicketByAnswerMessage(r.ctx, resident, msg.MessageID)
	r.must(err)
	re, err := r.svc.ResidentReply(r.ctx, resident, byMsg.Number, "Mohon dipertimbangkan lagi.", nil)
	r.must(err)
	if re.Status != aspirations.StatusClaimed || *re.ClaimedBy != modA {
		t.Errorf("after reply %+v", re)
	}
	_, err = r.svc.Answer(r.ctx, actorModDist, tk.ID, "saya ambil alih")
	if id, _, ok := aspirations.ClaimedBy(err); !ok || id != modA {
		t.Errorf("district moderator answering modA's ticket: %v", err)
	}
}

func TestService_Escalate(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Banjir setinggi lutut tiap hujan di RW 3")
	r.flush()
	_, err := r.svc.Claim(r.ctx, actorModA, tk.ID)
	r.must(err)
	esc, err := r.svc.Escalate(r.ctx, actorModA, tk.ID, "Perlu Dinas PU")
	r.must(err)
	if esc.Status != aspirations.StatusEscalated || esc.EscalatedAt == nil || esc.ClaimedBy != nil || esc.FirstResponseAt == nil {
		t.Fatalf("escalated %+v", esc)
	}
	r.flush()
	post := r.last(opCity)
	contains(t, "escalation", post.Text, tk.Number, "Banjir", "Perlu Dinas PU", "Tlogomas")
	if got := buttonData(post); slices.Contains(got, "asp:escalate:"+itoa(tk.ID)) || !slices.Contains(got, "asp:claim:"+itoa(tk.ID)) {
		t.Errorf("operator buttons %v", got)
	}
	if r.count(opOther) != 0 {
		t.Error("the other city's operator got the escalation")
	}
	contains(t, "resident news", r.last(resident).Text, tk.Number, "Diskominfo")
	// Moderators no longer act on it; the city's operator does.
	_, err = r.svc.Claim(r.ctx, actorModA, tk.ID)
	isErr(t, err, aspirations.ErrBadTransition)
	if byPost, err := r.svc.TicketByPost(r.ctx, opCity, post.MessageID); err != nil || byPost.ID != tk.ID {
		t.Fatalf("TicketByPost(operator) = %v", err)
	}
	_, err = r.svc.Claim(r.ctx, actorOpCity, tk.ID)
	r.must(err)
	ans, err := r.svc.Answer(r.ctx, actorOpCity, tk.ID, "Normalisasi saluran dijadwalkan bulan depan.")
	r.must(err)
	if ans.AnsweredByName != "Diskominfo Malang" {
		t.Errorf("answered by %q", ans.AnsweredByName)
	}
	r.flush()
	contains(t, "answer", r.last(resident).Text, "Normalisasi", "Diskominfo Malang")
	if n := r.count(resident); n != 3 { // diproses, diteruskan, the answer: no second "diproses"
		t.Errorf("resident got %d messages, want 3", n)
	}
}

// With no moderator for a village, new tickets go to the operators.
func TestService_FileWithoutModerators(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: "35.73.01.1001",
		Text: "Sampah menumpuk di pasar"})
	r.must(err)
	if tk.Category != aspirations.CategoryOther {
		t.Errorf("default category %q", tk.Category)
	}
	r.flush()
	contains(t, "operator post", r.last(opCity).Text, tk.Number, "Sampah")
}
