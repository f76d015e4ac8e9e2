package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The home page counts the signed-in person's scope only: subscribers by
// status, schedules due, runs in progress, open and overdue aspirations.
func TestHome_CountsTheScope(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	subs := broadcast.NewSubscribers(r.db, r.clock)
	for id := int64(1); id <= 7; id++ {
		village := region.Code("35.73.05.1003") // Tlogomas
		if id > 4 {
			village = "35.73.05.1002" // Merjosari
		}
		if _, err := subs.Subscribe(ctx, id, village); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := subs.Subscribe(ctx, 99, "35.07.01.2001"); err != nil { // Kab. Malang
		t.Fatal(err)
	}
	if err := subs.MarkBlocked(ctx, 1); err != nil {
		t.Fatal(err)
	}
	schedules := broadcast.NewSchedules(r.db, r.clock)
	at := r.clock.Now().Add(2 * time.Hour)
	if _, err := schedules.Create(ctx, staff.Admin(), broadcast.Draft{Content: broadcast.Content{Text: "Vaksinasi <b>gratis</b> di Puskesmas"},
		Targets: []region.Code{"35.73.05"}, Timing: broadcast.Timing{Kind: broadcast.KindOnce, At: at}}); err != nil {
		t.Fatal(err)
	}
	if _, err := schedules.Create(ctx, staff.Admin(), broadcast.Draft{Content: broadcast.Content{Text: "Pasar murah Kabupaten"},
		Targets: []region.Code{"35.07"}, Timing: broadcast.Timing{Kind: broadcast.KindOnce, At: at}}); err != nil {
		t.Fatal(err)
	}
	svc := aspirations.NewService(r.db, nil, "", r.clock, nil, aspirations.Config{})
	for i, text := range []string{"Lampu jalan mati di gang 3", "Sampah belum diangkut seminggu"} {
		if i > 0 {
			r.clock.Advance(96 * time.Hour) // the first is past the 3-day service level
		}
		if _, err := svc.File(ctx, aspirations.NewTicket{ResidentChat: 1, VillageCode: "35.73.05.1003",
			Category: aspirations.CategoryInfrastructure, Text: text}); err != nil {
			t.Fatal(err)
		}
	}

	b := r.browser()
	if code, _, _ := do(t, b, "POST", r.link(operatorID, "")); code != http.StatusSeeOther {
		t.Fatal("sign in")
	}
	code, body, _ := do(t, b, "GET", r.srv.URL+"/")
	if code != http.StatusOK {
		t.Fatalf("home: %d", code)
	}
	for _, want := range []string{
		`<span class="num">6</span><span>pelanggan aktif`, `<span class="num">1</span><span>memblokir bot`,
		`<span class="num">2</span><span>aspirasi terbuka`, `<span class="num">1</span><span>lewat 3 hari`,
		"Vaksinasi gratis di Puskesmas", "<polyline points=",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	if strings.Contains(body, "Pasar murah") {
		t.Error("home shows another regency's schedule")
	}

	if _, err := r.dir.Add(ctx, staff.Admin(), 6001, staff.RoleModerator, "35.73.05.1002", nil); err != nil {
		t.Fatal(err)
	}
	m := r.browser()
	if code, _, _ := do(t, m, "POST", r.link(6001, "")); code != http.StatusSeeOther {
		t.Fatal("moderator sign in")
	}
	_, body, _ = do(t, m, "GET", r.srv.URL+"/")
	if !strings.Contains(body, `<span class="num">3</span><span>pelanggan aktif`) || strings.Contains(body, "Vaksinasi") ||
		!strings.Contains(body, `<span class="num">0</span><span>aspirasi terbuka`) {
		t.Errorf("a Merjosari moderator's home shows more than Merjosari:\n%s", body)
	}
}
