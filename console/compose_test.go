package console_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/emulator"
)

// newTelegram is the Bot API emulator and the bot's own Sender over it,
// the console's Uploader in production (the test imports bot; the
// console package does not).
func newTelegram(t testing.TB) (*emulator.Server, *bot.Sender) {
	t.Helper()
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true, BotUsername: "kim_malang_bot"})
	s, err := bot.NewSender("123:TEST", emu.URL(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return emu, s
}

// operator signs the city's operator in.
func (r *rig) operator() *http.Client {
	r.t.Helper()
	return r.signIn(operatorID, "Dinas Kominfo")
}

// post sends a urlencoded form.
func post(t *testing.T, c *http.Client, target string, form url.Values) (int, string, http.Header) {
	t.Helper()
	resp, err := c.PostForm(target, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// postFile sends form with a file as the page's multipart form does.
func postFile(t *testing.T, c *http.Client, target string, form url.Values, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("berkas", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	resp, err := c.Post(target, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (r *rig) subscribeOne(chatID int64, village string) {
	r.t.Helper()
	if _, err := broadcast.NewSubscribers(r.db, r.clock).Subscribe(context.Background(), chatID, regionCode(village)); err != nil {
		r.t.Fatal(err)
	}
}

func composeForm(text, target string) url.Values {
	return url.Values{"teks": {text}, "target": {target}, "waktu": {"now"}, "zona": {"Asia/Jakarta"}, "aksi": {"pratinjau"}}
}

// hiddenForm reads back the preview's hidden fields, as the browser
// posts them with the confirm button.
func hiddenForm(t *testing.T, page string) url.Values {
	t.Helper()
	out := url.Values{}
	for _, tag := range strings.Split(page, "<input type=\"hidden\" ")[1:] {
		name := between(tag, `name="`, `"`)
		out.Add(name, htmlUnescape(between(tag, `value="`, `"`)))
	}
	return out
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(rest, to)
	return v
}

var htmlUnescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&", "&#43;", "+").Replace

// An operator composes a text to a kecamatan, previews it as residents
// will see it (typed markup escaped, Telegram's formatting kept, the
// live audience counted), confirms, and the schedule exists with the
// right targets, audited; the dispatcher then makes its run.
func TestCompose_TextToKecamatanEndToEnd(t *testing.T) {
	r := newRig(t)
	r.subscribeOne(9001, "35.73.05.1003")
	r.subscribeOne(9002, "35.73.05.1002")
	r.subscribeOne(9003, "35.73.01.1001")
	op := r.operator()

	code, page, _ := do(t, op, "GET", r.srv.URL+"/siaran/baru")
	if code != http.StatusOK || !strings.Contains(page, "Lowokwaru") || !strings.Contains(page, `value="35.73.05.1003"`) {
		t.Fatalf("compose page: %d", code)
	}
	if code, body, _ := do(t, op, "GET", r.srv.URL+"/siaran/baru/penerima?target=35.73.05&target=35.07"); code != http.StatusOK ||
		!strings.Contains(body, `"count":2`) {
		t.Fatalf("live audience: %d %s", code, body)
	}

	// A <script> typed as markup is refused next to the text, and shown back as text.
	form := composeForm(`<b>Vaksinasi</b> <script>alert(1)</script>`, "35.73.05")
	code, page, _ = post(t, op, r.srv.URL+"/siaran/baru", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, catalog.T("web.compose.err.bad_html")[:40]) ||
		strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(1)") {
		t.Fatalf("markup with a script: %d\n%s", code, page)
	}

	text := `<b>Vaksinasi</b> gratis &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://malangkota.go.id">info</a>`
	form = composeForm(text, "35.73.05")
	form.Set("tombol", "Daftar | https://malangkota.go.id/daftar")
	form.Set("mendesak", "1")
	code, page, _ = post(t, op, r.srv.URL+"/siaran/baru", form)
	for _, want := range []string{"<b>Vaksinasi</b>", "&lt;script&gt;alert(1)&lt;/script&gt;", `href="https://malangkota.go.id"`,
		"2 pelanggan aktif", "Kec. Lowokwaru", ">Daftar</a>"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q in\n%s", want, page)
		}
	}
	if code != http.StatusOK || strings.Contains(page, "<script>") {
		t.Fatalf("preview: %d\n%s", code, page)
	}

	confirm := hiddenForm(t, page)
	confirm.Set("aksi", "kirim")
	code, _, h := post(t, op, r.srv.URL+"/siaran/baru", confirm)
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/siaran/") {
		t.Fatalf("confirm: %d to %q", code, h.Get("Location"))
	}
	var sc struct {
		ID      int64          `db:"id"`
		Targets pq.StringArray `db:"targets"`
		Kind    string         `db:"kind"`
		Text    string         `db:"text"`
		Buttons string         `db:"buttons"`
		Urgent  bool           `db:"urgent"`
		By      int64          `db:"created_by"`
	}
	err := r.db.Get(&sc, `SELECT s.id, s.targets, s.kind, a.text, a.buttons::text AS buttons, a.urgent, a.created_by
		FROM schedules s JOIN announcements a ON a.id = s.announcement_id`)
	if err != nil || len(sc.Targets) != 1 || sc.Targets[0] != "35.73.05" || sc.Kind != "now" || sc.Text != text ||
		!sc.Urgent || sc.By != operatorID || !strings.Contains(sc.Buttons, "malangkota.go.id/daftar") {
		t.Fatalf("saved schedule %+v, %v", sc, err)
	}
	if h.Get("Location") != "/siaran/"+strconv.FormatInt(sc.ID, 10) {
		t.Errorf("redirected to %q", h.Get("Location"))
	}
	var audited int
	_ = r.db.Get(&audited, `SELECT count(*) FROM audit_log WHERE action = 'buat' AND actor_id = $1 AND scope = '35.73.05'`, operatorID)
	if audited != 1 {
		t.Errorf("creations audited: %d, want 1", audited)
	}

	if fired, err := broadcast.NewDispatcher(r.db, r.clock, slog.New(slog.DiscardHandler)).Tick(context.Background()); err != nil || fired != 1 {
		t.Fatalf("dispatcher fired %d, %v", fired, err)
	}
	var deliveries int
	_ = r.db.Get(&deliveries, `SELECT count(*) FROM deliveries d JOIN runs u ON u.id = d.run_id WHERE u.schedule_id = $1`, sc.ID)
	if deliveries != 2 {
		t.Fatalf("the run has %d deliveries, want the kecamatan's 2 subscribers", deliveries)
	}
}
