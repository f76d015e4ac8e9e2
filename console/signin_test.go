package console_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/console"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const (
	operatorID = 7001
	residentID = 5001
)

type rig struct {
	t     testing.TB
	c     *console.Console
	srv   *httptest.Server
	clock *message.ManualClock
	dir   *staff.Directory
	db    *sqlx.DB
	logs  *bytes.Buffer
	emu   *emulator.Server // Telegram, where uploads go
	sched *broadcast.Schedules
	asp   *aspirations.Service
	up    *bot.Sender // the bot's Sender over emu: Uploader and Files
}

func newRig(t *testing.T) *rig { return newRigTB(t) }

// newRigTB is newRig for tests and benchmarks alike.
func newRigTB(t testing.TB) *rig {
	t.Helper()
	db := testenv.DB(t)
	clock := message.NewManualClock(time.Now())
	dir := staff.New(db, clock)
	if _, err := dir.Add(context.Background(), staff.Admin(), operatorID, staff.RoleOperator, "35.73", nil); err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	emu, up := newTelegram(t)
	store := region.NewStore(db)
	sched := broadcast.NewSchedules(db, clock)
	asp := aspirations.NewService(db, nil, "", clock, nil, aspirations.Config{TZ: wib})
	c, stop := console.New(console.Config{PublicURL: "http://konsol.test/"}, console.Deps{DB: db, Staff: dir,
		Regions: region.NewCache(store, time.Minute), RegionStore: store, Clock: clock, Uploader: up, Files: up,
		Subscribers: broadcast.NewSubscribers(db, clock), Schedules: sched,
		Aspirations: asp, Zone: wib,
		Archive: broadcast.NewArchive(db, clock),
		Log:     slog.New(slog.NewTextHandler(logs, nil))})
	t.Cleanup(stop)
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return &rig{t: t, c: c, srv: srv, clock: clock, dir: dir, db: db, logs: logs, emu: emu, sched: sched, asp: asp, up: up}
}

// browser is a client with its own cookies that does not follow
// redirects, so each answer can be checked.
func (r *rig) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// local turns a link under the public URL into one to the test server.
func (r *rig) local(link string) string {
	return r.srv.URL + strings.TrimPrefix(link, "http://konsol.test")
}

func (r *rig) link(id int64, name string) string {
	r.t.Helper()
	link, err := r.c.NewLink(context.Background(), id, name)
	if err != nil {
		r.t.Fatal(err)
	}
	if !strings.HasPrefix(link, "http://konsol.test/masuk/") {
		r.t.Fatalf("link %q is not under the public URL", link)
	}
	return r.local(link)
}

func do(t testing.TB, c *http.Client, method, target string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, target, nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// Telegram fetches a link in a message to build its preview: such
// fetches (GETs, any number) neither spend the link nor start a session;
// the person's own press does, once.
func TestSignIn_OnlyThePersonsPressSignsIn(t *testing.T) {
	r := newRig(t)
	link := r.link(operatorID, "Dinas Kominfo")
	preview := r.browser()
	for range 3 {
		code, body, h := do(t, preview, "GET", link)
		if code != http.StatusOK || !strings.Contains(body, catalog.T("web.signin_button")) || h.Get("Set-Cookie") != "" {
			t.Fatalf("preview fetch: %d, cookie %q, body %q", code, h.Get("Set-Cookie"), body)
		}
	}
	if code, _, _ := do(t, preview, "GET", r.srv.URL+"/"); code != http.StatusSeeOther {
		t.Fatalf("the preview fetcher reached home: %d", code)
	}

	person := r.browser()
	code, _, h := do(t, person, "POST", link)
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Fatalf("sign in: %d to %q", code, h.Get("Location"))
	}
	cookie := h.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	code, body, _ := do(t, person, "GET", r.srv.URL+"/")
	if code != http.StatusOK || !strings.Contains(body, "Kota Malang") || !strings.Contains(body, "Dinas Kominfo") {
		t.Fatalf("home: %d %q", code, body)
	}
	if code, _, _ := do(t, r.browser(), "POST", link); code != http.StatusGone {
		t.Fatalf("second use of a link: %d, want 410", code)
	}
	var audited int
	if err := r.db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'masuk' AND actor_id = $1`, operatorID).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("sign-ins audited: %d (%v), want 1", audited, err)
	}

	if code, body, _ := do(t, person, "POST", r.srv.URL+"/keluar"); code != http.StatusOK || !strings.Contains(body, catalog.T("web.signed_out_title")) {
		t.Fatalf("sign out: %d", code)
	}
	if code, _, _ := do(t, person, "GET", r.srv.URL+"/"); code != http.StatusSeeOther {
		t.Fatalf("home after signing out: %d, want a redirect to /masuk", code)
	}
	if strings.Contains(r.logs.String(), strings.TrimPrefix(link, r.srv.URL+"/masuk/")) {
		t.Error("a sign-in token reached the log")
	}
}

func TestSignIn_ExpiredUnknownAndMalformedLinks(t *testing.T) {
	r := newRig(t)
	link := r.link(operatorID, "")
	r.clock.Advance(console.LinkTTL + time.Second)
	for _, target := range []string{link, r.srv.URL + "/masuk/" + strings.Repeat("A", 43), r.srv.URL + "/masuk/%27%3B--", r.srv.URL + "/masuk/x"} {
		for _, method := range []string{"GET", "POST"} {
			if code, body, _ := do(t, r.browser(), method, target); code != http.StatusGone || !strings.Contains(body, "/masuk lagi") {
				t.Errorf("%s %s: %d, want 410 with what to do", method, target, code)
			}
		}
	}
}

// A resident holding a link (made by mistake, or forwarded) is told the
// console is for staff; someone who loses their role is signed out on
// their next request.
func TestSignIn_StaffOnly(t *testing.T) {
	r := newRig(t)
	if code, body, h := do(t, r.browser(), "POST", r.link(residentID, "Budi")); code != http.StatusForbidden ||
		!strings.Contains(body, catalog.T("web.not_staff_title")) || h.Get("Set-Cookie") != "" {
		t.Fatalf("resident sign-in: %d, cookie %q", code, h.Get("Set-Cookie"))
	}
	person := r.browser()
	if code, _, _ := do(t, person, "POST", r.link(operatorID, "")); code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", code)
	}
	if _, err := r.db.Exec(`DELETE FROM staff WHERE telegram_id = $1`, operatorID); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, person, "GET", r.srv.URL+"/"); code != http.StatusForbidden {
		t.Fatalf("home after losing the role: %d, want 403", code)
	}
	if _, err := r.dir.Add(context.Background(), staff.Admin(), operatorID, staff.RoleOperator, "35.73", nil); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, person, "GET", r.srv.URL+"/"); code != http.StatusSeeOther {
		t.Fatalf("the ended session came back with the role: %d", code)
	}
}

// A form posted from another site is refused before it does anything.
func TestSignIn_CrossSitePostRefused(t *testing.T) {
	r := newRig(t)
	link := r.link(operatorID, "")
	req, _ := http.NewRequest("POST", link, strings.NewReader(url.Values{}.Encode()))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := r.browser().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d, want 403", resp.StatusCode)
	}
	if code, _, _ := do(t, r.browser(), "POST", link); code != http.StatusSeeOther {
		t.Fatalf("the refused post spent the link: %d", code)
	}
}

func TestNewLink_RateLimited(t *testing.T) {
	r := newRig(t)
	for range 5 {
		r.link(operatorID, "")
	}
	if _, err := r.c.NewLink(context.Background(), operatorID, ""); !errors.Is(err, console.ErrTooManyLinks) {
		t.Fatalf("sixth link in 10 minutes: %v, want ErrTooManyLinks", err)
	}
	r.clock.Advance(11 * time.Minute)
	r.link(operatorID, "")
}

func TestPages_SecurityHeaders(t *testing.T) {
	r := newRig(t)
	for _, path := range []string{"/masuk", "/static/console.css"} {
		_, _, h := do(t, r.browser(), "GET", r.srv.URL+path)
		for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if h.Get(k) == "" {
				t.Errorf("%s: no %s", path, k)
			}
		}
	}
}

// Every text a template asks for is in the catalogue.
func TestTemplates_TextsInCatalogue(t *testing.T) {
	files, err := os.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`\{\{-?\s*t\s+"([^"]+)"`)
	for _, f := range files {
		src, err := os.ReadFile("templates/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			if !catalog.Has(catalog.Key(m[1])) {
				t.Errorf("%s: text %q is not in the catalogue", f.Name(), m[1])
			}
		}
	}
}

func regionCode(s string) region.Code { return region.Code(s) }

var wib, _ = time.LoadLocation("Asia/Jakarta")
