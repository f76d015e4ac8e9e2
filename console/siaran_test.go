package console_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// schedule creates a schedule as the admin, sending now to targets.
func (r *rig) schedule(text string, targets ...region.Code) broadcast.Schedule {
	r.t.Helper()
	sc, err := r.sched.Create(context.Background(), staff.Admin(), broadcast.Draft{Content: broadcast.Content{Text: text},
		Targets: targets, Timing: broadcast.Timing{Kind: broadcast.KindNow}})
	if err != nil {
		r.t.Fatal(err)
	}
	return sc
}

// fire runs the dispatcher once: due schedules get their run.
func (r *rig) fire() {
	r.t.Helper()
	if _, err := broadcast.NewDispatcher(r.db, r.clock, slog.New(slog.DiscardHandler)).Tick(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

// subscribe adds n active subscribers from chat id first, spread over the
// villages of district.
func (r *rig) subscribe(district string, first int64, n int) {
	r.t.Helper()
	const q = `
INSERT INTO subscribers (chat_id, village_code, status)
SELECT $1 + i, v.codes[1 + i % cardinality(v.codes)], 'active'
FROM generate_series(0, $3 - 1) AS i,
     (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 4 AND code LIKE $2 || '.%') AS v`
	r.exec(q, first, district, n)
}

func (r *rig) exec(q string, args ...any) {
	r.t.Helper()
	if _, err := r.db.Exec(q, args...); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) count(q string, args ...any) int {
	r.t.Helper()
	var n int
	if err := r.db.Get(&n, q, args...); err != nil {
		r.t.Fatal(err)
	}
	return n
}

// signIn signs staff member id in as name.
func (r *rig) signIn(id int64, name string) *http.Client {
	r.t.Helper()
	b := r.browser()
	if code, _, _ := do(r.t, b, "POST", r.link(id, name)); code != http.StatusSeeOther {
		r.t.Fatalf("signing in %d: %d", id, code)
	}
	return b
}

// The list shows the schedules of the operator's scope only, with their
// timing in words, status and actions; other offices' never.
func TestSiaran_ListByScope(t *testing.T) {
	r := newRig(t)
	city := r.schedule("<b>Vaksinasi</b> di Lowokwaru", "35.73.05")
	kab := r.schedule("Kabupaten saja", "35.07")
	cityOp := r.signIn(operatorID, "Dinas")
	code, body, _ := do(t, cityOp, "GET", r.srv.URL+"/siaran")
	if code != http.StatusOK || !strings.Contains(body, "Vaksinasi di Lowokwaru") || strings.Contains(body, "Kabupaten saja") {
		t.Fatalf("city list: %d %s", code, body)
	}
	for _, want := range []string{fmt.Sprintf(`action="/siaran/%d/jeda"`, city.ID), fmt.Sprintf(`action="/siaran/%d/batal"`, city.ID),
		"Kec. Lowokwaru", city.Timing().Describe(), "aktif", `href="/siaran"`, `href="/audit"`} {
		if !strings.Contains(body, want) {
			t.Errorf("city list lacks %q", want)
		}
	}
	if _, err := r.dir.Add(context.Background(), staff.Admin(), 7002, staff.RoleOperator, "35.07", nil); err != nil {
		t.Fatal(err)
	}
	_, body, _ = do(t, r.signIn(7002, ""), "GET", r.srv.URL+"/siaran")
	if !strings.Contains(body, "Kabupaten saja") || strings.Contains(body, "Vaksinasi") || !strings.Contains(body, fmt.Sprintf("#%d", kab.ID)) {
		t.Errorf("regency list: %s", body)
	}
}

func TestSiaran_Paginated(t *testing.T) {
	r := newRig(t)
	for i := range 23 {
		r.schedule(fmt.Sprintf("Pengumuman nomor %02d", i+1), "35.73")
	}
	b := r.signIn(operatorID, "")
	_, body, _ := do(t, b, "GET", r.srv.URL+"/siaran")
	if strings.Count(body, `<td><a href="/siaran/`) != 20 || !strings.Contains(body, "Pengumuman nomor 23") || !strings.Contains(body, `href="/siaran?hal=2"`) {
		t.Fatalf("page 1: %s", body)
	}
	_, body, _ = do(t, b, "GET", r.srv.URL+"/siaran?hal=2")
	if strings.Count(body, `<td><a href="/siaran/`) != 3 || !strings.Contains(body, "Pengumuman nomor 01") || strings.Contains(body, "?hal=3") {
		t.Fatalf("page 2: %s", body)
	}
}

// Pause, resume and cancel change the schedule and are audited with the
// region they concern; an action that does not fit the status says so;
// an operator of another regency gets 404 and changes nothing.
func TestSiaran_ActionsAudited(t *testing.T) {
	r := newRig(t)
	sc := r.schedule("Kerja bakti", "35.73.05.1003", "35.73.05.1002")
	b := r.signIn(operatorID, "Dinas")
	path := fmt.Sprintf("%s/siaran/%d", r.srv.URL, sc.ID)
	status := func() string {
		var s string
		if err := r.db.Get(&s, `SELECT status FROM schedules WHERE id = $1`, sc.ID); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, err := r.dir.Add(context.Background(), staff.Admin(), 7002, staff.RoleOperator, "35.07", nil); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, r.signIn(7002, ""), "POST", path+"/jeda"); code != http.StatusNotFound || status() != "active" {
		t.Fatalf("another regency's pause: %d, status %s", code, status())
	}
	for _, step := range []struct{ action, want string }{{"jeda", "paused"}, {"lanjut", "active"}, {"batal", "cancelled"}} {
		code, _, h := do(t, b, "POST", path+"/"+step.action)
		if code != http.StatusSeeOther || h.Get("Location") != fmt.Sprintf("/siaran/%d", sc.ID) || status() != step.want {
			t.Fatalf("%s: %d to %q, status %s", step.action, code, h.Get("Location"), status())
		}
		if n := r.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND scope = '35.73.05' AND detail = $3`,
			step.action, operatorID, fmt.Sprintf("siaran #%d", sc.ID)); n != 1 {
			t.Errorf("%s audited %d times with scope 35.73.05", step.action, n)
		}
	}
	_, body, _ := do(t, b, "GET", path)
	if !strings.Contains(body, "dibatalkan") || strings.Contains(body, `/jeda"`) {
		t.Errorf("page after cancel: %s", body)
	}
	code, _, _ := do(t, b, "POST", path+"/lanjut")
	_, body, _ = do(t, b, "GET", path)
	if code != http.StatusSeeOther || !strings.Contains(body, "tidak bisa diubah") {
		t.Errorf("resuming a cancelled schedule: %d, %s", code, body)
	}
	code, _, h := do(t, b, "POST", r.srv.URL+"/siaran/999999/batal")
	if code != http.StatusNotFound {
		t.Errorf("cancelling a missing schedule: %d %v", code, h)
	}
}

// A schedule's page shows the content formatted as residents see it,
// with everything else escaped, its timing, targets and every run.
func TestSiaran_ShowEscapesAndFormats(t *testing.T) {
	r := newRig(t)
	sc := r.schedule(`<b>Penting</b> &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://malangkota.go.id">situs</a>`, "35.73.05")
	r.subscribe("35.73.05", 1, 3)
	r.fire()
	b := r.signIn(operatorID, "")
	code, body, _ := do(t, b, "GET", fmt.Sprintf("%s/siaran/%d", r.srv.URL, sc.ID))
	if code != http.StatusOK {
		t.Fatalf("show: %d", code)
	}
	for _, want := range []string{"<b>Penting</b>", "&lt;script&gt;alert(1)&lt;/script&gt;", `<a href="https://malangkota.go.id" rel="noopener noreferrer nofollow">situs</a>`,
		"Kec. Lowokwaru", "sedang dikirim", fmt.Sprintf(`/siaran/%d/runs/`, sc.ID)} {
		if !strings.Contains(body, want) {
			t.Errorf("show lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a typed <script> reached the page as markup")
	}
	// Text saved before validation existed, or by hand, is escaped whole.
	r.exec(`UPDATE announcements SET text = '<script>alert(2)</script><img src=x onerror=alert(3)>' WHERE id = (SELECT announcement_id FROM schedules WHERE id = $1)`, sc.ID)
	_, body, _ = do(t, b, "GET", fmt.Sprintf("%s/siaran/%d", r.srv.URL, sc.ID))
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img") || !strings.Contains(body, "&lt;script&gt;alert(2)") {
		t.Errorf("invalid Telegram HTML not escaped: %s", body)
	}
	_, body, _ = do(t, b, "GET", r.srv.URL+"/siaran")
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img") {
		t.Errorf("list shows markup: %s", body)
	}
}

// A run's report: the counts, per kecamatan and on demand per
// kelurahan, the failure reasons, live while sending, as .xlsx; 404 for
// another regency and for a run under another schedule's id.
func TestRunReport(t *testing.T) {
	r := newRig(t)
	r.subscribe("35.73.05", 1, 6)
	r.subscribe("35.73.02", 100, 4)
	sc := r.schedule("Info banjir", "35.73.05", "35.73.02")
	other := r.schedule("Lain", "35.73.05")
	r.fire()
	var runID int64
	if err := r.db.Get(&runID, `SELECT id FROM runs WHERE schedule_id = $1`, sc.ID); err != nil {
		t.Fatal(err)
	}
	r.exec(`UPDATE deliveries SET status = 'sent' WHERE run_id = $1 AND chat_id BETWEEN 1 AND 4`, runID)
	r.exec(`UPDATE deliveries SET status = 'failed', last_error = 'Bad Request: chat not found <x>' WHERE run_id = $1 AND chat_id IN (5, 100)`, runID)
	r.exec(`UPDATE runs SET started_at = $2 WHERE id = $1`, runID, r.clock.Now())
	b := r.signIn(operatorID, "")
	base := fmt.Sprintf("%s/siaran/%d/runs/%d", r.srv.URL, sc.ID, runID)

	code, body, _ := do(t, b, "GET", base)
	if code != http.StatusOK {
		t.Fatalf("report: %d", code)
	}
	for _, want := range []string{"Kec. Lowokwaru", "Kec. Klojen", "Bad Request: chat not found &lt;x&gt;", ">2</td>",
		fmt.Sprintf(`data-live="/siaran/%d/runs/%d/angka"`, sc.ID, runID), `src="/static/siaran.js"`, "?rinci=desa", "?format=xlsx"} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	_, body, _ = do(t, b, "GET", base+"?rinci=desa")
	if !strings.Contains(body, "Tlogomas, Kec. Lowokwaru") && !strings.Contains(body, ", Kec. Lowokwaru") {
		t.Errorf("per village: %s", body)
	}
	code, body, _ = do(t, b, "GET", base+"/angka")
	if code != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `data-status="sending"`) {
		t.Errorf("live numbers: %d %s", code, body)
	}

	code, xlsx, h := do(t, b, "GET", base+"?format=xlsx")
	if code != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: %d %v", code, h)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 4 {
		t.Errorf("sheets %v", got)
	}
	if v, _ := f.GetCellValue("Ringkasan", "H2", excelize.Options{RawCellValue: true}); v != "10" {
		t.Errorf("targeted = %q, want the number 10", v)
	}
	rows, _ := f.GetRows("Per kecamatan")
	if len(rows) != 3 || rows[1][0] != "35.73.02" || rows[2][1] != "Kec. Lowokwaru" || rows[2][3] != "4" {
		t.Errorf("per kecamatan rows %q", rows)
	}
	if v, _ := f.GetCellValue("Penyebab gagal", "B2", excelize.Options{RawCellValue: true}); v != "2" {
		t.Errorf("reason count %q", v)
	}

	r.exec(`UPDATE runs SET status = 'done', finished_at = $2 WHERE id = $1`, runID, r.clock.Now())
	if _, body, _ = do(t, b, "GET", base); strings.Contains(body, "data-live") {
		t.Error("a finished run still polls")
	}
	if code, _, _ := do(t, b, "GET", fmt.Sprintf("%s/siaran/%d/runs/%d", r.srv.URL, other.ID, runID)); code != http.StatusNotFound {
		t.Errorf("a run under another schedule's id: %d", code)
	}
	if _, err := r.dir.Add(context.Background(), staff.Admin(), 7002, staff.RoleOperator, "35.07", nil); err != nil {
		t.Fatal(err)
	}
	kab := r.signIn(7002, "")
	for _, p := range []string{"", "/angka", "?format=xlsx"} {
		if code, _, _ := do(t, kab, "GET", base+p); code != http.StatusNotFound {
			t.Errorf("another regency %s: %d", p, code)
		}
	}
}

// A cancel posted from another site (a signed-in operator lured to a
// page that posts the form) is refused and changes nothing.
func TestSiaran_CrossSiteActionRefused(t *testing.T) {
	r := newRig(t)
	sc := r.schedule("Pengumuman", "35.73")
	b := r.signIn(operatorID, "")
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/siaran/%d/batal", r.srv.URL, sc.ID), nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || r.count(`SELECT count(*) FROM schedules WHERE status = 'active'`) != 1 {
		t.Fatalf("cross-site cancel: %d", resp.StatusCode)
	}
}
