package inbox

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

func msgUpdate(id, chat int64) rawUpdate {
	p := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":%d,"type":"private"},"text":"halo"}}`, id, id, chat)
	u, _ := parseRawUpdate([]byte(p))
	return u
}

func ids(rows []entry) string {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.UpdateID
	}
	return fmt.Sprint(out)
}

func TestInbox_OrderPerChatLeaseRetryPrune(t *testing.T) {
	clock := message.NewManualClock(time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC))
	in := &queue{db: testenv.DB(t), clock: clock, log: slog.Default(), lease: time.Minute, maxAttempts: 2}
	ctx := context.Background()
	batch := []rawUpdate{msgUpdate(1, 10), msgUpdate(2, 10), msgUpdate(3, 20), msgUpdate(4, 30)}
	if err := in.store(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := in.store(ctx, batch[:2]); err != nil { // Telegram resending unconfirmed updates
		t.Fatal(err)
	}
	claim := func(outcomes ...outcome) []entry {
		t.Helper()
		rows, err := in.settle(ctx, outcomes, 10)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := claim()
	if ids(rows) != "[1 3 4]" || rows[0].ChatID != 10 || rows[0].Attempts != 1 {
		t.Fatalf("first claim = %s %+v; want one per chat [1 3 4]", ids(rows), rows)
	}
	if again := claim(); len(again) != 0 {
		t.Fatalf("update 2 must wait for update 1 of the same chat, got %s", ids(again))
	}
	if same := claim(doneOutcome(1)); len(same) != 0 {
		t.Fatalf("the call that settles 1 must not claim chat 10's next update yet, got %s", ids(same))
	}
	if next := claim(); ids(next) != "[2]" {
		t.Fatalf("after 1 is done, claim = %s", ids(next))
	}
	clock.Advance(2 * time.Minute) // the workers holding 2, 3 and 4 died
	reclaimed := claim()
	if ids(reclaimed) != "[2 3 4]" || reclaimed[1].Attempts != 2 {
		t.Fatalf("after the lease = %s %+v", ids(reclaimed), reclaimed)
	}
	// 2 is done; 3 failed its second attempt and is set aside; 4 may try
	// again, later.
	if got := claim(doneOutcome(2), in.retryOutcome(reclaimed[1], "panic"), in.retryOutcome(rowAttempts(reclaimed[2], 1), "panic")); len(got) != 0 {
		t.Fatalf("a retried update waits for its backoff; claimed %s", ids(got))
	}
	clock.Advance(time.Minute)
	if got := claim(); ids(got) != "[4]" {
		t.Fatalf("after the backoff claim = %s", ids(got))
	}
	var status string
	in.db.Get(&status, "SELECT status FROM bot_updates WHERE update_id = 3")
	if status != "failed" {
		t.Fatalf("update 3 = %s, want failed", status)
	}
	// 4's lease ran out while its worker finished: the late outcome is
	// recorded and the same call does not hand 4 out again.
	clock.Advance(2 * time.Minute)
	if got := claim(doneOutcome(4)); len(got) != 0 {
		t.Fatalf("4 settled after its lease was claimed again: %s", ids(got))
	}
	clock.Advance(time.Hour)
	if n, err := in.prune(ctx, clock.Now()); err != nil || n != 4 {
		t.Fatalf("pruned %d, %v; want the done 1, 2 and 4 and the failed 3", n, err)
	}
}

func rowAttempts(r entry, n int) entry { r.Attempts = n; return r }

func TestInbox_StoresWhatTheLibraryCannotDecode(t *testing.T) {
	in := &queue{db: testenv.DB(t), clock: message.SystemClock{}, log: slog.Default(), lease: time.Minute, maxAttempts: 2}
	raw := `{"update_id":9,"message":{"chat":{"id":5},"text":"nul \u0000 here"},"chat_background_set":{"type":{"type":"new-kind"}}}`
	u, ok := parseRawUpdate([]byte(raw))
	if !ok || u.ChatID != 5 {
		t.Fatalf("parse = %+v, %v", u, ok)
	}
	if err := in.store(context.Background(), []rawUpdate{u}); err != nil {
		t.Fatal(err)
	}
}

func TestParseRawUpdate(t *testing.T) {
	tests := []struct {
		payload string
		chat    int64
		ok      bool
	}{
		{`{"update_id":1,"message":{"chat":{"id":-100}}}`, -100, true},
		{`{"update_id":1,"callback_query":{"from":{"id":7},"message":{"chat":{"id":8}}}}`, 8, true},
		{`{"update_id":1,"callback_query":{"from":{"id":7}}}`, 7, true},
		{`{"update_id":1,"my_chat_member":{"chat":{"id":9}}}`, 9, true},
		{`{"update_id":1,"chat_background_set":{"x":1}}`, 0, true},
		{`{"update_id":0}`, 0, false},
		{`not json`, 0, false},
	}
	for _, tt := range tests {
		u, ok := parseRawUpdate([]byte(tt.payload))
		if ok != tt.ok || u.ChatID != tt.chat {
			t.Errorf("parseRawUpdate(%s) = %+v, %v; want chat %d, %v", tt.payload, u, ok, tt.chat, tt.ok)
		}
	}
}
