package bot_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/browsertest"
	"github.com/kimbot/kimbot/staff"
)

// consoleSignIn signs u in to the console from the link /masuk sent
// them, as a browser without script would, and returns its client.
func consoleSignIn(t *testing.T, r *bottest.Rig, u emulator.User) *http.Client {
	t.Helper()
	r.Emu.SendText(u, "/masuk")
	link := linkInText.FindString(r.WaitText(u.ID, "Tautan masuk konsol").Text)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(link, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in: %d", resp.StatusCode)
	}
	return c
}

// normalised is what the resident reads of a message, with the ticket's
// number and id taken out (they differ between two tickets).
func normalised(m emulator.Sent, number string, id int64) string {
	var b strings.Builder
	b.WriteString(m.Method + "|" + m.ParseMode + "|" + strings.ReplaceAll(m.Text, number, "ASP-N"))
	for _, row := range m.Buttons {
		for _, btn := range row {
			b.WriteString("|" + btn.Text + "=" + strings.ReplaceAll(btn.CallbackData, strconv.FormatInt(id, 10), "ID") + btn.URL)
		}
	}
	return b.String()
}

// An answer given in the console reaches the resident in Telegram exactly
// as one given in chat: same text, formatting, sender's name and rating
// buttons; and the resident's rating of it works the same.
func TestConsoleAnswer_ReachesResidentAsChatDoes(t *testing.T) {
	r := bottest.New(t, bottest.Options{Console: true, Aspirations: func(*aspirations.Config) {}})
	budi := emulator.User{ID: 5401, FirstName: "Budi"}
	sari := emulator.User{ID: 6401, FirstName: "Sari", LastName: "KIM Tlogomas"}
	r.Resident(budi, "35.73.05.1003")
	r.Moderator(sari, "35.73.05.1003", 0)
	const answer = "Terima kasih, <b>sudah</b> kami teruskan ke kelurahan & dinas."

	byChat := r.FileOneShot(budi, "Lampu jalan di gang 3 mati sejak minggu lalu")
	post := r.WaitText(sari.ID, byChat)
	r.WaitRecorded(sari.ID, post.MessageID) // a reply before the outbox recorded the post is no answer
	r.Emu.Reply(sari, sari.ID, post.MessageID, answer)
	chatMsg := r.WaitText(budi.ID, "Jawaban untuk "+byChat)

	byConsole := r.FileOneShot(budi, "Lampu jalan di gang 4 juga mati")
	r.WaitText(sari.ID, byConsole)
	tk, _ := r.Ticket(byConsole)
	web := consoleSignIn(t, r, sari)
	resp, err := web.PostForm(r.ConsoleURL+"/aspirasi/"+strconv.FormatInt(tk.ID, 10)+"/jawab", url.Values{"jawaban": {answer}})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("console answer: %d", resp.StatusCode)
	}
	webMsg := r.WaitText(budi.ID, "Jawaban untuk "+byConsole)

	chatTk, _ := r.Ticket(byChat)
	if a, b := normalised(chatMsg, byChat, chatTk.ID), normalised(webMsg, byConsole, tk.ID); a != b {
		t.Errorf("the resident reads differently:\nchat:    %s\nconsole: %s", a, b)
	}
	if !strings.Contains(webMsg.Text, "Sari") || len(webMsg.Buttons) == 0 {
		t.Errorf("console answer without its author or rating buttons: %+v", webMsg)
	}
	r.Emu.PressButton(budi, budi.ID, webMsg.MessageID, bottest.Button(t, webMsg, "Membantu"))
	deadline := time.Now().Add(bottest.Wait)
	for {
		if cur, _ := r.Ticket(byConsole); cur.Rating != nil && *cur.Rating {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the resident's rating of the console's answer was not recorded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var audited int
	r.Must(r.DB.Get(&audited, `SELECT count(*) FROM audit_log WHERE action = 'jawab_aspirasi' AND actor_id = $1`, sari.ID))
	if audited != 2 {
		t.Errorf("%d answers audited, want the chat's and the console's", audited)
	}
}

// On a phone, an operator opens the queue, a ticket and answers it with
// a canned answer; the resident gets it in Telegram.
func TestConsoleBrowser_AnswerFromTheQueueOnAPhone(t *testing.T) {
	r, b := consoleRig(t, phoneW, phoneH, "")
	budi := emulator.User{ID: 5501, FirstName: "Budi"}
	r.Resident(budi, "35.73.05.1003")
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: operatorID, Scope: "35.73", Name: "Ratna"}
	r.Must(r.Svc.SaveCanned(r.Ctx, op, "Sudah diteruskan", "Terima kasih, aspirasi Anda sudah kami teruskan ke dinas terkait."))
	number := r.FileOneShot(budi, "Jalan di depan SDN Tlogomas 2 berlubang besar")
	r.Emu.SendPhoto(budi, budi.ID, "/aspirasi Selokan tersumbat sampah, foto terlampir")
	r.WaitCount(budi.ID, 2, "tercatat")

	open(b, r, "/aspirasi")
	if queue := browsertest.Get(b, chromedp.Text(chromedp.CSS(`table.queue`))); !strings.Contains(queue, number) {
		t.Fatalf("the queue does not list %s: %q", number, queue)
	}
	checkLayout(b, "/aspirasi")
	b.Screenshot("aspirasi")
	tk, _ := r.Ticket(number)
	b.Do(chromedp.Click(chromedp.CSS(`table.queue a[href="/aspirasi/`+strconv.FormatInt(tk.ID, 10)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#kirim-jawaban`)))
	checkLayout(b, "/aspirasi/{id}")
	b.Do(chromedp.SetValue(chromedp.CSS(`#templat`), selectValue(t, r, op)),
		chromedp.Click(chromedp.CSS(`#kirim-jawaban`)), chromedp.WaitVisible(chromedp.CSS(`p.flash`)))
	if flash := browsertest.Get(b, chromedp.Text(chromedp.CSS(`p.flash`))); !strings.Contains(flash, "terkirim ke warga") {
		t.Errorf("after answering: %q", flash)
	}
	b.Screenshot("aspirasi-tiket")
	r.WaitText(budi.ID, "Jawaban untuk "+number, "sudah kami teruskan ke dinas terkait", "Ratna")
	open(b, r, "/aspirasi/rekap")
	checkLayout(b, "/aspirasi/rekap")
}

// selectValue is the option value of op's first canned answer.
func selectValue(t *testing.T, r *bottest.Rig, op staff.Actor) string {
	t.Helper()
	cs, err := r.Svc.Canned(r.Ctx, op)
	r.Must(err)
	if len(cs) == 0 {
		t.Fatal("no canned answer")
	}
	return strconv.FormatInt(cs[0].ID, 10)
}
