package inbox

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

// A batch holding an update PostgreSQL refuses (a number jsonb cannot
// hold) is stored all the same: the refused update set aside as failed
// with only its id, every other one ready to be handled.
func TestStore_SetsAsideARefusedUpdate(t *testing.T) {
	q := &queue{db: testenv.DB(t), clock: message.SystemClock{}, log: slog.Default(), lease: time.Minute, maxAttempts: 2}
	ctx := context.Background()
	bad, ok := parseRawUpdate([]byte(`{"update_id":2,"message":{"message_id":2,"date":1,"chat":{"id":10,"type":"private"},"text":"Budi, Jl. Mawar 3","x":1e999999}}`))
	if !ok {
		t.Fatal("Go must read the update that PostgreSQL refuses")
	}
	surrogate, _ := parseRawUpdate([]byte(`{"update_id":4,"message":{"message_id":4,"date":1,"chat":{"id":30,"type":"private"},"text":"tlogo\ud800mas"}}`))
	if err := q.store(ctx, []rawUpdate{msgUpdate(1, 10), bad, msgUpdate(3, 10), surrogate}); err != nil {
		t.Fatalf("store = %v; one refused update must not refuse its batch", err)
	}
	var status, payload, reason string
	if err := q.db.QueryRow(`SELECT status, payload::text, last_error FROM bot_updates WHERE update_id = 2`).Scan(&status, &payload, &reason); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || strings.Contains(payload, "Mawar") || !strings.Contains(reason, "22003") {
		t.Errorf("refused update stored as %s %s %q; want failed, no text, the SQLSTATE", status, payload, reason)
	}
	rows, err := q.settle(ctx, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids(rows) != "[1 4]" {
		t.Fatalf("claim = %s; want 1 (chat 10's oldest open) and 4 (the surrogate, stored as U+FFFD)", ids(rows))
	}
	if !strings.Contains(string(rows[1].Payload), `tlogo\ufffdmas`) && !strings.Contains(string(rows[1].Payload), "tlogo\uFFFDmas") {
		t.Errorf("surrogate update stored as %s", rows[1].Payload)
	}
	if next, _ := q.settle(ctx, []outcome{doneOutcome(1)}, 10); len(next) != 0 {
		t.Fatalf("claimed %s with 1's settling", ids(next))
	}
	if next, _ := q.settle(ctx, nil, 10); ids(next) != "[3]" {
		t.Errorf("after 1, chat 10's next is %s; the refused 2 must not hold it back", ids(next))
	}
}

// A failure reason of 500 bytes or more is cut on a character boundary:
// cut at byte 500 inside "é", it was invalid UTF-8 and PostgreSQL refused
// the whole settle, which the feeder retried forever.
func TestSettle_ReasonCutOnACharacter(t *testing.T) {
	q := &queue{db: testenv.DB(t), clock: message.SystemClock{}, log: slog.Default(), lease: time.Minute, maxAttempts: 2}
	ctx := context.Background()
	if err := q.store(ctx, []rawUpdate{msgUpdate(1, 10), msgUpdate(2, 20), msgUpdate(3, 30)}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.settle(ctx, nil, 10); err != nil {
		t.Fatal(err)
	}
	reasons := []string{
		strings.Repeat("a", 499) + "é and more",
		"Bad Request: can't parse entities: tag \"\xe2\x80\" \x00 at byte 7",
		strings.Repeat("😀", 200),
	}
	outs := []outcome{failedOutcome(1, reasons[0]), failedOutcome(2, reasons[1]), failedOutcome(3, reasons[2])}
	if _, err := q.settle(ctx, outs, 10); err != nil {
		t.Fatalf("settle = %v", err)
	}
	var got []string
	if err := q.db.Select(&got, `SELECT last_error FROM bot_updates WHERE status = 'failed' ORDER BY update_id`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d outcomes recorded, want 3", len(got))
	}
	for _, r := range got {
		if !utf8.ValidString(r) || len(r) > 500 {
			t.Errorf("reason stored as %d bytes, valid %v", len(r), utf8.ValidString(r))
		}
	}
}
