package console_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/console"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// published creates a schedule as the city's operator, to targets, and
// marks its announcement sent (what the engine does on Telegram's ok).
func (r *rig) published(text string, archive bool, targets ...region.Code) broadcast.Schedule {
	r.t.Helper()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: operatorID, Scope: "35.73"}
	sc, err := r.sched.Create(context.Background(), op, broadcast.Draft{Content: broadcast.Content{Text: text},
		Targets: targets, Timing: broadcast.Timing{Kind: broadcast.KindNow}, Archive: &archive})
	if err != nil {
		r.t.Fatal(err)
	}
	r.exec(`UPDATE announcements SET first_sent_at = $2 WHERE id = (SELECT announcement_id FROM schedules WHERE id = $1)`,
		sc.ID, r.clock.Now())
	return sc
}

// The archive shows what went out, as residents got it, to anyone without
// signing in; never what opted out or has not gone out, never a
// resident's data (a resident's aspiration and subscription exist).
func TestArsip_PublicPagesHideOptedOutAndResidents(t *testing.T) {
	r := newRig(t)
	r.subscribeOne(9001, "35.73.05.1003")
	r.exec(`INSERT INTO aspiration_tickets (number, resident_chat, resident_name, village_code, category, text, status,
		created_at, updated_at, queued_at) VALUES ('ASP-2026-000001', 9001, 'Budi Rahasia', '35.73.05.1003', 'cek_hoaks',
		'Pesan terusan dari warga', 'baru', now(), now(), now())`)
	public := r.published("<b>Kerja bakti</b> Minggu pukul 06.00 &amp; bawa sapu", true, "35.73.05.1003")
	private := r.published("Rapat internal pengurus KIM", false, "35.73")
	unsent, err := r.sched.Create(context.Background(), staff.Admin(), broadcast.Draft{Content: broadcast.Content{Text: "Belum terkirim"},
		Targets: []region.Code{"35.73"}, Timing: broadcast.Timing{Kind: broadcast.KindNow}})
	if err != nil {
		t.Fatal(err)
	}
	b := r.browser()
	code, page, h := do(t, b, "GET", r.srv.URL+"/arsip")
	if code != http.StatusOK || !strings.Contains(page, "/arsip/"+public.ArchiveKey) || !strings.Contains(page, "Diskominfo Kota Malang") ||
		!strings.Contains(page, "Kerja bakti Minggu pukul 06.00 &amp; bawa sapu") {
		t.Fatalf("index: %d %s", code, page)
	}
	for _, leak := range []string{"Rapat internal", "Belum terkirim", "Budi Rahasia", "9001", "Pesan terusan dari warga"} {
		if strings.Contains(page, leak) {
			t.Errorf("the index shows %q", leak)
		}
	}
	if !strings.HasPrefix(h.Get("Cache-Control"), "public") || h.Get("ETag") == "" {
		t.Errorf("index caching headers: %v", h)
	}
	code, page, _ = do(t, b, "GET", r.srv.URL+"/arsip/"+public.ArchiveKey)
	if code != http.StatusOK || !strings.Contains(page, "<b>Kerja bakti</b> Minggu") || !strings.Contains(page, "Tlogomas") {
		t.Fatalf("page: %d %s", code, page)
	}
	for _, path := range []string{"/arsip/" + unsent.ArchiveKey, "/arsip/" + strings.Repeat("a", 26), "/arsip/1",
		fmt.Sprintf("/arsip/%d", private.ID)} {
		if code, _, _ := do(t, b, "GET", r.srv.URL+path); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
	// Filtered to a kelurahan elsewhere: nothing.
	if _, page, _ := do(t, b, "GET", r.srv.URL+"/arsip?wilayah=35.73.01.1001"); strings.Contains(page, public.ArchiveKey) {
		t.Errorf("another kelurahan's archive shows Tlogomas's notice")
	}
	// A signed-in operator gets the same page as anyone: nothing of theirs
	// goes into what a shared cache may keep.
	_, staffPage, _ := do(t, r.operator(), "GET", r.srv.URL+"/arsip/"+public.ArchiveKey)
	_, anonPage, _ := do(t, b, "GET", r.srv.URL+"/arsip/"+public.ArchiveKey)
	if staffPage != anonPage || strings.Contains(staffPage, "Dinas Kominfo") {
		t.Errorf("an operator's archive page differs from everyone's")
	}
}

// A browser that has a page gets 304 with its ETag or its date.
func TestArsip_CachingHeaders(t *testing.T) {
	r := newRig(t)
	sc := r.published("Pemadaman listrik bergilir Kamis pukul 09.00–12.00 WIB", true, "35.73.05")
	url := r.srv.URL + "/arsip/" + sc.ArchiveKey
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode != 200 || etag == "" || modified == "" || resp.Header.Get("Cache-Control") != "public, max-age=600" {
		t.Fatalf("first answer: %d %v", resp.StatusCode, resp.Header)
	}
	for _, hdr := range [][2]string{{"If-None-Match", etag}, {"If-Modified-Since", modified}} {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set(hdr[0], hdr[1])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s: %d, want 304", hdr[0], resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("If-None-Match", `"something-else"`)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("a stale ETag: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// A crawler hammering the archive from one address gets 429 with a short
// Indonesian page, never a 5xx; another address is still served; with
// Redis the pace is shared by every replica.
func TestArsip_CrawlerIsRateLimited(t *testing.T) {
	r := newRig(t)
	sc := r.published("Pengumuman jadwal posyandu bulan Desember", true, "35.73")
	rdb, prefix := testenv.Redis(t)
	var servers []*httptest.Server
	for range 2 { // two replicas sharing Redis
		c, stop := console.New(console.Config{PublicURL: "http://konsol.test", ArchivePerMinute: 60, ArchiveBurst: 20},
			console.Deps{DB: r.db, Staff: r.dir, Regions: region.NewCache(region.NewStore(r.db), time.Minute),
				RegionStore: region.NewStore(r.db), Schedules: r.sched, Archive: broadcast.NewArchive(r.db, r.clock),
				Redis: rdb, RedisPrefix: prefix, Log: slog.New(slog.DiscardHandler)})
		t.Cleanup(stop)
		srv := httptest.NewServer(c.Handler())
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	counts := map[int]int{}
	began := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := []string{"/arsip", "/arsip/" + sc.ArchiveKey, "/arsip?hal=2", "/arsip/" + strings.Repeat("b", 26)}[i%4]
			resp, err := http.Get(servers[i%2].URL + path)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			counts[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	// The shared budget is the burst of 20 and a request a second; a
	// replica whose Redis call waits over 200 ms (200 requests at once
	// queue for its connections) paces alone meanwhile, so at worst each
	// replica adds its own burst and rate.
	served := counts[200] + counts[404]
	most := 60 + 3*int(time.Since(began).Seconds()+1)
	if counts[429] < 200-most || served < 20 || served > most || counts[200]+counts[404]+counts[429] != 200 {
		t.Fatalf("answers to 200 requests from one address over two replicas: %v (want 20 to %d served, the rest 429, no 5xx)", counts, most)
	}
	// The budget refills a request a second: ask until refused, and read.
	var code int
	var body string
	for range 30 {
		if code, body, _ = do(t, http.DefaultClient, "GET", servers[0].URL+"/arsip"); code == http.StatusTooManyRequests {
			break
		}
	}
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Terlalu banyak permintaan") {
		t.Errorf("the 429 page: %d %q", code, body)
	}
	// Another client (behind the same local proxy) is served.
	req, _ := http.NewRequest("GET", servers[1].URL+"/arsip", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("another client: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// The home page counts the checks of the last 7 days and the doctored
// copies among them, within the person's scope.
func TestArsip_HomeCountsChecks(t *testing.T) {
	r := newRig(t)
	now := r.clock.Now()
	for _, c := range []struct {
		village, result string
		ago             time.Duration
	}{{"35.73.05.1003", "edited", time.Hour}, {"35.73.05.1003", "official", time.Hour}, {"35.73.01.1001", "unknown", 2 * time.Hour},
		{"35.73.05.1003", "edited", 8 * 24 * time.Hour}, {"35.07.01.2001", "edited", time.Hour}} {
		r.exec(`INSERT INTO archive_checks (checked_at, village_code, result) VALUES ($1, $2, $3)`, now.Add(-c.ago), c.village, c.result)
	}
	_, page, _ := do(t, r.operator(), "GET", r.srv.URL+"/")
	if !strings.Contains(page, `<span class="num">3</span><span>pesan dicek warga`) ||
		!strings.Contains(page, `<span class="num">1</span><span>salinan siaran yang diubah`) {
		t.Errorf("home's check figures: %s", page)
	}
}
