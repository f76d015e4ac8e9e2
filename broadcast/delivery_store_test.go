package broadcast_test

import (
	"context"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

func TestMaterializeDeliveries_TargetsOnlyActiveSubscribersUnderTargets(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	at := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	seedSubscribers(t, db, "35.73.05.1003", 1, 10)  // Tlogomas, Lowokwaru
	seedSubscribers(t, db, "35.73.05.1004", 101, 5) // Dinoyo, Lowokwaru
	seedSubscribers(t, db, "35.73.01.1001", 201, 7) // another district of Kota Malang
	seedSubscribers(t, db, "35.07.01.2001", 301, 3) // Kabupaten Malang: never targeted below
	execSQL(t, db, `UPDATE subscribers SET status = 'stopped' WHERE chat_id IN (1, 2)`)
	execSQL(t, db, `UPDATE subscribers SET status = 'blocked' WHERE chat_id = 101`)

	tests := []struct {
		name    string
		targets []string
		want    int
	}{
		{"one village", []string{"35.73.05.1003"}, 8},
		{"a district", []string{"35.73.05"}, 12},
		{"two districts", []string{"35.73.05", "35.73.01"}, 19},
		{"the city", []string{"35.73"}, 19},
		{"overlapping targets count once", []string{"35.73", "35.73.05"}, 19},
		{"prefix that is not a parent", []string{"35.73.0"}, 0},
		{"no one there", []string{"11"}, 0},
		{"the whole country", []string{""}, 22},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runID, n := newRun(t, db, "Siaran TV analog dihentikan", false, at, tt.targets...)
			if n != tt.want {
				t.Fatalf("materialised %d deliveries, want %d", n, tt.want)
			}
			outside := "301, 302, 303"
			if tt.targets[0] == "" {
				outside = "0"
			}
			var due, stopped int
			must(t, db.Get(&due, `SELECT count(*) FROM deliveries WHERE run_id = $1 AND status = 'pending' AND next_attempt_at = $2 AND attempts = 0`, runID, at))
			must(t, db.Get(&stopped, `SELECT count(*) FROM deliveries WHERE run_id = $1 AND chat_id IN (1, 2, 101, `+outside+`)`, runID))
			if due != tt.want || stopped != 0 {
				t.Fatalf("due pending = %d (want %d), inactive or outside = %d (want 0)", due, tt.want, stopped)
			}
		})
	}
}

func TestCancelPendingDeliveries_LeavesSentAndLiveLeasesAlone(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	ctx := context.Background()
	at := time.Now()
	seedSubscribers(t, db, "35.73.05.1003", 1, 6)
	runID, _ := newRun(t, db, "Vaksinasi hari Sabtu", false, at, "35.73.05.1003")
	other, _ := newRun(t, db, "Lain", false, at, "35.73.05.1003")
	execSQL(t, db, `UPDATE deliveries SET status = 'sent', message_id = 9 WHERE run_id = $1 AND chat_id = 1`, runID)
	execSQL(t, db, `UPDATE deliveries SET status = 'sending', lease_until = now() + interval '1 minute' WHERE run_id = $1 AND chat_id = 2`, runID)
	execSQL(t, db, `UPDATE deliveries SET status = 'sending', lease_until = now() - interval '1 minute' WHERE run_id = $1 AND chat_id = 3`, runID)

	n, err := func() (int, error) {
		tx := db.MustBegin()
		defer tx.Rollback()
		n, err := broadcast.CancelPendingDeliveriesForTest(ctx, tx, runID)
		if err == nil {
			err = tx.Commit()
		}
		return n, err
	}()
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Fatalf("cancelled %d, want 4 (3 pending + 1 lapsed lease)", n)
	}
	got := deliveryCounts(t, db, runID)
	if got["sent"] != 1 || got["sending"] != 1 || got["cancelled"] != 4 {
		t.Fatalf("counts after cancel = %v", got)
	}
	if got := deliveryCounts(t, db, other); got["pending"] != 6 {
		t.Fatalf("the other run was touched: %v", got)
	}
}

// Erasing a subscriber keeps the counts of the runs that reached them
// but not their chat id, and cancels what is still queued for them.
func TestSubscribers_EraseAnonymisesDeliveries(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	at := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	chats := seedSubscribers(t, db, "35.73.05.1003", 1, 3)
	done, _ := newRun(t, db, "Kerja bakti", false, at, "35.73.05.1003")
	execSQL(t, db, `UPDATE deliveries SET status = 'sent', message_id = 7, finalized_at = $2 WHERE run_id = $1`, done, at)
	queued, _ := newRun(t, db, "Posyandu", false, at, "35.73.05.1003")
	subs := broadcast.NewSubscribers(db, message.SystemClock{})
	must(t, subs.Erase(context.Background(), chats[0]))
	must(t, subs.Erase(context.Background(), chats[1]))
	var left int
	must(t, db.Get(&left, `SELECT count(*) FROM deliveries WHERE chat_id IN ($1, $2)`, chats[0], chats[1]))
	if left != 0 {
		t.Errorf("%d delivery rows still hold an erased chat id", left)
	}
	if got := deliveryCounts(t, db, done); got["sent"] != 3 {
		t.Errorf("finished run counts %v; want its 3 sent kept", got)
	}
	if got := deliveryCounts(t, db, queued); got["cancelled"] != 2 || got["pending"] != 1 {
		t.Errorf("queued run counts %v; want the 2 erased cancelled, 1 pending", got)
	}
	var withMsg int
	must(t, db.Get(&withMsg, `SELECT count(*) FROM deliveries WHERE run_id = $1 AND message_id IS NOT NULL`, done))
	if withMsg != 1 {
		t.Errorf("%d rows keep a message id, want only the one not erased", withMsg)
	}
}
