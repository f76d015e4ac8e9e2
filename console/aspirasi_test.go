package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

// staffMember adds id with role over scope and signs them in.
func (r *rig) staffMember(id int64, role staff.Role, scope, name string) *http.Client {
	r.t.Helper()
	if _, err := r.dir.Add(context.Background(), staff.Admin(), id, role, regionCode(scope), nil); err != nil {
		r.t.Fatal(err)
	}
	return r.signIn(id, name)
}

// A moderator of Merjosari can neither see nor act on a Tlogomas ticket:
// every page and action is 404, the queue does not list it, and nothing
// about the ticket changes (no status, no thread, no audit entry).
func TestAspirasi_OtherVillageNeitherSeesNorActs(t *testing.T) {
	r := newRig(t)
	photo := r.telegramPhoto(jpegBytes)
	tk := r.fileTicket(5201, "35.73.05.1003", "Saluran air tersumbat di RT 04", &aspirations.Attachment{Kind: aspirations.AttachPhoto, FileID: photo})
	merjosari := r.staffMember(6102, staff.RoleModerator, "35.73.05.1002", "Budi")
	for _, p := range []string{ticketPath(tk), ticketPath(tk, "berkas", "0")} {
		if code, body, _ := do(t, merjosari, "GET", r.srv.URL+p); code != http.StatusNotFound || strings.Contains(body, "Saluran") {
			t.Errorf("GET %s: %d", p, code)
		}
	}
	forms := map[string]url.Values{"ambil": nil, "jawab": {"jawaban": {"Sudah diperbaiki"}},
		"tolak": {"alasan": {"Bukan wilayah kami"}}, "teruskan": {"catatan": {"tolong"}}}
	for action, form := range forms {
		if code, _, _ := post(t, merjosari, r.srv.URL+ticketPath(tk, action), form); code != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", action, code)
		}
	}
	if _, body, _ := do(t, merjosari, "GET", r.srv.URL+"/aspirasi"); strings.Contains(body, tk.Number) {
		t.Error("Merjosari's queue lists a Tlogomas ticket")
	}
	if _, body, _ := do(t, merjosari, "GET", r.srv.URL+"/aspirasi?wilayah=35.73.05.1003"); strings.Contains(body, tk.Number) {
		t.Error("a filter for Tlogomas widened Merjosari's queue")
	}
	now, msgs, err := r.asp.Get(context.Background(), staff.Admin(), tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	if now.Status != aspirations.StatusNew || now.ClaimedBy != nil || len(msgs) != 0 || !now.UpdatedAt.Equal(tk.UpdatedAt) {
		t.Errorf("the ticket changed: %+v, thread %d", now, len(msgs))
	}
	if n := r.count(`SELECT count(*) FROM audit_log WHERE action LIKE '%aspirasi'`); n != 0 {
		t.Errorf("%d aspiration actions audited", n)
	}
}

// Two moderators of Tlogomas press Ambil at the same moment: exactly one
// holds the ticket (303), the other is told who does (409), and only the
// winner's claim is audited.
func TestAspirasi_ClaimRace(t *testing.T) {
	r := newRig(t)
	tk := r.fileTicket(5202, "35.73.05.1003", "Posyandu butuh timbangan bayi", nil)
	sari := r.staffMember(6201, staff.RoleModerator, "35.73.05.1003", "Sari")
	dewi := r.staffMember(6202, staff.RoleModerator, "35.73.05.1003", "Dewi")
	for round := range 5 { // a race may go either way: run it a few times
		if round > 0 {
			tk = r.fileTicket(5202, "35.73.05.1003", "Posyandu butuh timbangan bayi lagi", nil)
		}
		codes := make([]int, 2)
		bodies := make([]string, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, b := range []*http.Client{sari, dewi} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i], bodies[i], _ = post(t, b, r.srv.URL+ticketPath(tk, "ambil"), nil)
			}()
		}
		close(start)
		wg.Wait()
		won, lost := 0, 1
		if codes[0] != http.StatusSeeOther {
			won, lost = 1, 0
		}
		if codes[won] != http.StatusSeeOther || codes[lost] != http.StatusConflict {
			t.Fatalf("round %d: answers %v, want one 303 and one 409", round, codes)
		}
		winner := []string{"Sari", "Dewi"}[won]
		if !strings.Contains(bodies[lost], "sudah diambil oleh "+winner) {
			t.Errorf("round %d: the loser is not told who holds it: %s", round, between(bodies[lost], `role="alert">`, "</p>"))
		}
		cur, _, _ := r.asp.Get(context.Background(), staff.Admin(), tk.Number)
		if cur.Status != aspirations.StatusClaimed || cur.ClaimedByName != winner {
			t.Errorf("round %d: ticket %s held by %q", round, cur.Status, cur.ClaimedByName)
		}
		if n := r.count(`SELECT count(*) FROM audit_log WHERE action = 'ambil_aspirasi' AND detail = $1`, tk.Number); n != 1 {
			t.Errorf("round %d: %d claims audited", round, n)
		}
	}
}

// Photos and documents come through the console's own path: a photo
// inline with its type, a document (whatever it holds) as a download;
// no page, link or log line carries the bot token or Telegram's file
// URL, and a file Telegram no longer has is a 502 with a clean log.
func TestAspirasi_FilesStreamedWithoutToken(t *testing.T) {
	r := newRig(t)
	photo := r.telegramPhoto(jpegBytes)
	doc := r.telegramDocument([]byte("<html><script>alert(1)</script></html>"))
	tk := r.fileTicket(5203, "35.73.05.1003", "Foto jalan rusak terlampir", &aspirations.Attachment{Kind: aspirations.AttachPhoto, FileID: photo})
	if _, err := r.asp.ResidentReply(context.Background(), 5203, tk.Number, "Ini suratnya",
		&aspirations.Attachment{Kind: aspirations.AttachDocument, FileID: doc, FileName: `surat "RT".html`}); err != nil {
		t.Fatal(err)
	}
	gone := r.fileTicket(5204, "35.73.05.1003", "Foto yang hilang", &aspirations.Attachment{Kind: aspirations.AttachPhoto, FileID: "emu-photo-hilang"})
	op := r.operator()
	_, page, _ := do(t, op, "GET", r.srv.URL+ticketPath(tk))
	links := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	var files []string
	for _, l := range links {
		if strings.Contains(l[1], "/berkas/") {
			files = append(files, l[1])
		}
	}
	if len(files) < 2 || !strings.Contains(page, ticketPath(tk, "berkas", "0")) || !strings.Contains(page, ticketPath(tk, "berkas", "1")) {
		t.Fatalf("the ticket page links %v", files)
	}
	code, body, h := do(t, op, "GET", r.srv.URL+ticketPath(tk, "berkas", "0"))
	if code != http.StatusOK || body != string(jpegBytes) || h.Get("Content-Type") != "image/jpeg" || h.Get("Content-Disposition") != "" {
		t.Errorf("photo: %d %q %v", code, h.Get("Content-Type"), h)
	}
	code, body, h = do(t, op, "GET", r.srv.URL+ticketPath(tk, "berkas", "1"))
	if code != http.StatusOK || !strings.Contains(body, "<script>") || h.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("document: %d %v", code, h)
	}
	if code, _, _ := do(t, op, "GET", r.srv.URL+ticketPath(gone, "berkas", "0")); code != http.StatusBadGateway {
		t.Errorf("a file Telegram no longer has: %d, want 502", code)
	}
	for what, s := range map[string]string{"page": page, "logs": r.logs.String()} {
		if strings.Contains(s, "123:TEST") || strings.Contains(s, "/file/bot") || strings.Contains(s, r.emu.URL()) {
			t.Errorf("the %s carry the token or Telegram's file URL", what)
		}
	}
	if !strings.Contains(r.logs.String(), "fetching a ticket's file") {
		t.Errorf("the failed fetch was not logged: %s", r.logs.String())
	}
}

// An answer with a canned answer goes through the service: the ticket is
// answered by the person, the thread holds the text, the resident's
// answer is queued, and an anonymous resident stays anonymous on the page.
func TestAspirasi_AnswerWithCannedAndAnonymity(t *testing.T) {
	r := newRig(t)
	sari := r.staffMember(6301, staff.RoleModerator, "35.73.05.1003", "Sari")
	actor := staff.Actor{Role: staff.RoleModerator, TelegramID: 6301, Scope: "35.73.05.1003", Name: "Sari"}
	if err := r.asp.SaveCanned(context.Background(), actor, "Diteruskan", "Terima kasih, sudah kami sampaikan ke kelurahan."); err != nil {
		t.Fatal(err)
	}
	cs, _ := r.asp.Canned(context.Background(), actor)
	tk, err := r.asp.File(context.Background(), aspirations.NewTicket{ResidentChat: 5301, ResidentName: "Rahasia Sekali",
		VillageCode: "35.73.05.1003", Category: aspirations.CategoryHealth, Text: "Obat di puskesmas habis", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	_, page, _ := do(t, sari, "GET", r.srv.URL+ticketPath(tk))
	if strings.Contains(page, "Rahasia") || strings.Contains(page, "5301") || !strings.Contains(page, `<dd class="from">anonim</dd>`) {
		t.Errorf("the page shows who an anonymous resident is: %s", between(page, `class="facts"`, "</dl>"))
	}
	if !strings.Contains(page, ">Diteruskan</option>") {
		t.Error("the canned answer is not offered")
	}
	code, _, _ := post(t, sari, r.srv.URL+ticketPath(tk, "jawab"), url.Values{"templat": {itoa(cs[0].ID)}, "jawaban": {""}})
	if code != http.StatusSeeOther {
		t.Fatalf("answering: %d", code)
	}
	cur, msgs, _ := r.asp.Get(context.Background(), staff.Admin(), tk.Number)
	if cur.Status != aspirations.StatusAnswered || cur.AnsweredByName != "Sari" || len(msgs) != 1 || msgs[0].Text != cs[0].Text {
		t.Errorf("after the answer: %s by %q, thread %+v", cur.Status, cur.AnsweredByName, msgs)
	}
	if n := r.count(`SELECT count(*) FROM aspiration_outbox WHERE ticket_id = $1 AND chat_id = 5301 AND kind = 'answer'`, tk.ID); n != 1 {
		t.Errorf("%d answers queued to the resident", n)
	}
	_, page, _ = do(t, sari, "GET", r.srv.URL+ticketPath(tk))
	if !strings.Contains(page, "terkirim ke warga") || strings.Contains(page, `id="kirim-jawaban"`) {
		t.Error("after answering: no notice, or the answer form is still offered")
	}
	code, page, _ = post(t, sari, r.srv.URL+ticketPath(tk, "jawab"), url.Values{"jawaban": {"lagi"}})
	if code != http.StatusConflict || !strings.Contains(page, "tidak bisa dilakukan") {
		t.Errorf("answering an answered ticket: %d", code)
	}
}
