package bot_test

import (
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
)

var linkInText = regexp.MustCompile(`https?://\S+/masuk/[A-Za-z0-9_-]+`)

// /masuk gives staff a one-time console link, sent without a preview so
// Telegram fetches nothing; the link signs in on the person's press.
// Residents hear the console is for staff; in a group nobody gets a link.
func TestMasuk_StaffGetALinkResidentsDoNot(t *testing.T) {
	r := bottest.New(t, bottest.Options{Console: true, Emulator: &emulator.Options{Unlimited: true, FetchPreviews: true}})
	op := emulator.User{ID: 7101, FirstName: "Dinas", LastName: "Kominfo"}
	r.Operator(op, "35.73")
	r.Emu.SendText(op, "/masuk")
	m := r.WaitText(op.ID, "Tautan masuk konsol")
	if !m.NoPreview {
		t.Error("the sign-in link was sent with a link preview")
	}
	link := linkInText.FindString(m.Text)
	if !strings.HasPrefix(link, r.ConsoleURL+"/masuk/") {
		t.Fatalf("no console link in %q", m.Text)
	}

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Post(link, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("signing in ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}

	resident := emulator.User{ID: 5101, FirstName: "Budi"}
	r.Emu.SendText(resident, "/masuk")
	if got := r.WaitText(resident.ID, "khusus untuk petugas"); linkInText.MatchString(got.Text) {
		t.Fatalf("a resident got a link: %q", got.Text)
	}

	const group = -100555
	r.Moderator(emulator.User{ID: 6101, FirstName: "Sri"}, "35.73.05.1003", group)
	r.Emu.SendGroupText(emulator.Chat{ID: group, Type: "supergroup", Title: "KIM"}, emulator.User{ID: 6101, FirstName: "Sri"}, "/masuk")
	r.WaitText(group, "chat langsung")
	for _, sent := range r.Emu.Messages(group) {
		if linkInText.MatchString(sent.Text) {
			t.Fatalf("a sign-in link was posted in a group: %q", sent.Text)
		}
	}

	for range 4 {
		r.Emu.SendText(op, "/masuk")
	}
	r.WaitCount(op.ID, 5, "Tautan masuk konsol")
	r.Emu.SendText(op, "/masuk")
	r.WaitText(op.ID, "sudah meminta beberapa tautan")
	if n := r.Emu.Stats().PreviewFetches; n != 0 {
		t.Errorf("Telegram fetched %d links for previews", n)
	}
}
