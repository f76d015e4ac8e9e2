package aspirations_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The minutely recount gives every level its own counts and medians (the
// city's median is over its tickets, not of its villages' medians), and
// says when it ran even with no ticket in play.
func TestRefreshAreaService_EveryLevel(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	svc := aspirations.NewService(db, nil, "", message.NewManualClock(now), nil, aspirations.Config{})
	ctx := context.Background()
	if ok, err := svc.RefreshAreaService(ctx); !ok || err != nil {
		t.Fatalf("first refresh: %v, %v", ok, err)
	}
	if at, err := svc.ServiceAsOf(ctx); err != nil || !at.Equal(now) {
		t.Fatalf("as of %v, %v with no tickets", at, err)
	}
	for i, tk := range []struct {
		village string
		age     time.Duration
		answer  time.Duration // 0: open
	}{
		{"35.73.05.1003", 24 * time.Hour, time.Hour}, {"35.73.05.1003", 48 * time.Hour, 3 * time.Hour},
		{"35.73.05.1002", 5 * 24 * time.Hour, 0}, {"35.73.02.1001", 24 * time.Hour, 10 * time.Hour},
		{"35.73.02.1001", 200 * 24 * time.Hour, time.Hour}, // long before the window, answered then
	} {
		created := now.Add(-tk.age)
		var first any
		status := "baru"
		if tk.answer > 0 {
			first, status = created.Add(tk.answer), "dijawab"
		}
		if _, err := db.Exec(`INSERT INTO aspiration_tickets (number, village_code, category, text, status, created_at,
			updated_at, queued_at, first_response_at) VALUES ($1, $2, 'lainnya', 'jalan', $3, $4, $4, $4, $5)`,
			i, tk.village, status, created, first); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.RefreshAreaService(ctx); err != nil {
		t.Fatal(err)
	}
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	got, err := svc.ServiceOfAreas(ctx, op, []region.Code{"35.73.05.1003", "35.73.05", "35.73.02", "35.73"})
	if err != nil {
		t.Fatal(err)
	}
	for area, want := range map[region.Code][4]any{
		"35.73.05.1003": {0, 2, 2 * time.Hour, 0}, "35.73.05": {1, 2, 2 * time.Hour, 1},
		"35.73.02": {0, 1, 10 * time.Hour, 0}, "35.73": {1, 3, 3 * time.Hour, 1},
	} {
		s := got[area]
		if s.Open != want[0] || s.Answered != want[1] || s.MedianFirstResponse != want[2] || s.Overdue != want[3] {
			t.Errorf("%s: %+v, want open %v answered %v median %v overdue %v", area, s, want[0], want[1], want[2], want[3])
		}
	}
	if _, err := svc.ServiceOfAreas(ctx, op, []region.Code{"35.07"}); err == nil {
		t.Fatal("another regency's service read")
	}
}
