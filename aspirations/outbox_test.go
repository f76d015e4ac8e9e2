package aspirations_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/holder"
)

// A 500 postpones the row with backoff; it goes out once the clock
// passes the retry time, and nothing is sent twice.
func TestOutbox_RetriesAfterServerError(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.emu.AddFault(emulator.Fault{ChatID: groupA, Code: 500, Times: 2})
	tk := r.file("Pohon tumbang menutup jalan")
	if n := r.flush(); n != 1 {
		t.Fatalf("first flush sent %d, want 1 (the district group)", n)
	}
	if r.count(groupA) != 0 {
		t.Fatal("group A got a post through a 500")
	}
	r.clock.Advance(time.Second) // before the backoff (2 s ± 20%)
	if n := r.flush(); n != 0 {
		t.Fatalf("sent %d before the backoff ended", n)
	}
	r.clock.Advance(5 * time.Second)
	r.flush() // second 500
	r.clock.Advance(10 * time.Second)
	if n := r.flush(); n != 1 {
		t.Fatalf("after the faults sent %d, want 1", n)
	}
	if got := r.emu.Messages(groupA); len(got) != 1 {
		t.Fatalf("group A has %d messages", len(got))
	} else {
		contains(t, "post", got[0].Text, tk.Number)
	}
	if st := r.outboxStates(); st["sent"] != 2 || len(st) != 1 {
		t.Errorf("outbox %v", st)
	}
}

// Telegram's 429 holds the rest of the batch for retry_after.
func TestOutbox_RetryAfter(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.emu.AddFault(emulator.Fault{Code: 429, RetryAfter: 30, Times: 1})
	r.file("Saluran air tersumbat sampah")
	if n := r.flush(); n != 0 {
		t.Fatalf("sent %d through a 429", n)
	}
	r.clock.Advance(20 * time.Second)
	if n := r.flush(); n != 0 {
		t.Fatalf("sent %d before retry_after", n)
	}
	r.clock.Advance(11 * time.Second)
	if n := r.flush(); n != 2 {
		t.Fatalf("sent %d after retry_after, want 2", n)
	}
}

// A resident who blocked the bot is final: the answer is failed, not
// retried forever, and the ticket keeps its answer.
func TestOutbox_BlockedIsFinal(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Kapan posyandu buka lagi?")
	r.emu.AddFault(emulator.Fault{ChatID: resident, Code: 403})
	_, err := r.svc.Answer(r.ctx, actorModA, tk.ID, "Posyandu buka Senin depan.")
	r.must(err)
	r.flush()
	r.clock.Advance(time.Hour)
	r.flush()
	if st := r.outboxStates(); st["failed/blocked"] != 1 || st["sent"] != 2 {
		t.Errorf("outbox %v", st)
	}
}

// Telegram unreachable for a while: nothing is lost, everything goes out
// when it is back, even from another replica.
func TestOutbox_SurvivesTelegramDown(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + l.Addr().String()
	l.Close()
	deadSender, err := bot.NewSender("123:test", deadURL, time.Second)
	r.must(err)
	down := aspirations.NewService(r.db, nil, "", r.clock, nil, aspirations.Config{Sender: deadSender})
	tk := r.file("Jembatan bambu hampir putus")
	for range 3 {
		if n, err := down.FlushOutbox(r.ctx); err != nil || n != 0 {
			t.Fatalf("flush while down: %d, %v", n, err)
		}
		r.clock.Advance(time.Minute)
	}
	if st := r.outboxStates(); st["pending/transient"] != 2 {
		t.Fatalf("outbox %v", st)
	}
	if n := r.flush(); n != 2 {
		t.Fatalf("sent %d once Telegram is back", n)
	}
	contains(t, "post", r.last(groupA).Text, tk.Number)
}

// A worker that dies mid-send leaves its rows leased; after the lease
// another worker sends them.
func TestOutbox_LeaseReclaimed(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.emu.AddFault(emulator.Fault{Delay: 3 * time.Second, Times: 1})
	r.file("Lampu taman mati total")
	ctx, cancel := context.WithTimeout(r.ctx, 300*time.Millisecond)
	defer cancel()
	r.svc.FlushOutbox(ctx) // "dies" mid-send
	r.clock.Advance(time.Minute)
	if n := r.flush(); n != 0 {
		t.Fatalf("inside the lease sent %d, want 0 (the dead worker's batch is leased)", n)
	}
	r.clock.Advance(2 * time.Minute)
	if n := r.flush(); n != 2 {
		t.Fatalf("after the lease sent %d, want 2", n)
	}
	if st := r.outboxStates(); st["sent"] != 2 {
		t.Errorf("outbox %v", st)
	}
}

// Each chat reads its news in order: a later row waits for an earlier one.
func TestOutbox_PerChatOrder(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Parit meluap di gang lima")
	r.flush()
	r.emu.AddFault(emulator.Fault{ChatID: resident, Code: 502, Times: 1})
	_, err := r.svc.Claim(r.ctx, actorModA, tk.ID)
	r.must(err)
	_, err = r.svc.Answer(r.ctx, actorModA, tk.ID, "Besok dibersihkan.")
	r.must(err)
	r.flush()
	if r.count(resident) != 0 {
		t.Fatal("the answer overtook the failed claim news")
	}
	r.clock.Advance(time.Minute)
	r.flush()
	ms := r.emu.Messages(resident)
	if len(ms) != 2 {
		t.Fatalf("resident got %d", len(ms))
	}
	contains(t, "first", ms[0].Text, "diproses")
	contains(t, "second", ms[1].Text, "Besok dibersihkan")
}

// RunOutbox sends what a change queued without waiting for its ticker.
func TestOutbox_Run(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *aspirations.Config) { c.OutboxInterval = time.Hour })
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan error, 1)
	go func() { done <- r.svc.RunOutbox(ctx) }()
	tk := r.file("Ada kabar hoaks soal bansos")
	_, err := r.svc.Answer(r.ctx, actorModA, tk.ID, fmt.Sprintf("Itu hoaks, lihat %s", "kominfo"))
	r.must(err)
	r.emu.WaitFor(t, resident, 5*time.Second, func(s emulator.Sent) bool { return s.Text != "" })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Posts claimed by a process that died come back within seconds, although
// their lease (2 minutes) has not run out; while that process lives they
// are its own.
func TestOutbox_DeadProcessClaimsComeBack(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.file("Saluran air tersumbat di RT 4")
	dead := holder.Start(r.db, nil)
	defer dead.Stop()
	id := dead.Current()
	n, err := r.svc.ClaimOutboxAsForTest(r.ctx, dead)
	if err != nil || n == 0 || id == 0 {
		t.Fatalf("claimed %d as holder %d: %v", n, id, err)
	}
	if sent := r.flush(); sent != 0 {
		t.Fatalf("sent %d posts a live process holds", sent)
	}
	// The process dies: its lock goes with its session. (Ending only the
	// session is not a death: a live holder takes its number back.)
	dead.Stop()
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = r.svc.RunOutbox(ctx) }()
	defer func() { cancel(); <-done }()
	start := time.Now()
	for r.count(groupA) == 0 {
		if time.Since(start) > 15*time.Second {
			t.Fatalf("the dead process's posts did not come back within %v", time.Since(start))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("posts of a dead process sent %v after its death", time.Since(start).Round(time.Millisecond))
}
