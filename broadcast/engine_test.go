package broadcast_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

var monday8 = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // Monday 08:00 WIB

func TestEngine_RunDeliversEveryoneOnceAndFinishesTheRun(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{}, nil)
	chats := r.subscribe("35.73.05.1003", 1, 40)
	runID, n := r.newRun("<b>Siaran TV analog</b> dihentikan; siapkan set-top box", false, "35.73.05")
	e := r.engine(r.sender(5*time.Second), r.limiter(25), broadcast.EngineConfig{})
	reg := prometheus.NewRegistry()
	reg.MustRegister(e.Collectors()...)

	stop := runEngine(t, e)
	r.waitDone(runID, 20*time.Second)
	stop()

	r.expectEachOnce(chats)
	if msgs := r.emu.Messages(chats[0]); msgs[0].Text != "Siaran TV analog dihentikan; siapkan set-top box" && msgs[0].Text != "<b>Siaran TV analog</b> dihentikan; siapkan set-top box" {
		t.Fatalf("resident got %q", msgs[0].Text)
	}
	var withID int
	must(t, r.db.Get(&withID, `SELECT count(*) FROM deliveries WHERE run_id = $1 AND status = 'sent' AND message_id > 0 AND attempts = 1 AND finalized_at IS NOT NULL`, runID))
	if withID != n {
		t.Fatalf("%d of %d deliveries recorded sent with a message id", withID, n)
	}
	var finished bool
	must(t, r.db.Get(&finished, `SELECT finished_at IS NOT NULL AND started_at IS NOT NULL FROM runs WHERE id = $1`, runID))
	if !finished {
		t.Fatal("run has no started_at/finished_at")
	}
	if got := counterValue(t, reg, "kimbot_deliveries_total", "sent"); got != float64(n) {
		t.Fatalf("kimbot_deliveries_total{outcome=sent} = %v, want %d", got, n)
	}
	if st := r.emu.Stats(); st.RateLimited != 0 || st.MaxPerSecond > 25 {
		t.Fatalf("emulator stats %+v: limits broken", st)
	}
}

func TestEngine_429StormEndsWithEverythingSentAndNoLimitBroken(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{}, nil)
	chats := r.subscribe("35.73.05.1003", 1, 60)
	runID, _ := r.newRun("Peringatan cuaca ekstrem", true, "35.73.05.1003")
	r.emu.AddFault(emulator.Fault{Code: 429, RetryAfter: 1, Times: 3})
	l := r.limiter(25)
	e := r.engine(r.sender(5*time.Second), l, broadcast.EngineConfig{})
	stop := runEngine(t, e)
	r.waitDone(runID, 40*time.Second)
	stop()

	r.expectEachOnce(chats)
	if got := deliveryCounts(t, r.db, runID); got["sent"] != 60 {
		t.Fatalf("deliveries %v, want 60 sent", got)
	}
	st := r.emu.Stats()
	if st.InjectedFaults != 3 || st.RateLimited != 0 || st.MaxPerSecond > 25 {
		t.Fatalf("emulator stats %+v: want 3 injected 429s and no limit of its own broken", st)
	}
	var retried int
	must(t, r.db.Get(&retried, `SELECT count(*) FROM deliveries WHERE run_id = $1 AND attempts <> 1`, runID))
	if retried != 0 {
		t.Fatalf("%d deliveries counted a 429 as an attempt", retried)
	}
	if l.PausedUntil().IsZero() {
		t.Fatal("a 429 did not pause the limiter")
	}
}

// A send whose answer is late (here: Telegram counts it 400 ms after it
// left) must not let the sends a second later squeeze into its second.
func TestEngine_LateSendsNeverSqueezeTelegramsSecond(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{GlobalPerSec: 25}, nil)
	chats := r.subscribe("35.73.05.1003", 1, 100)
	runID, _ := r.newRun("Peringatan dini banjir", false, "35.73.05.1003")
	for _, i := range []int{5, 40, 70} {
		r.emu.AddFault(emulator.Fault{ChatID: chats[i], Delay: 400 * time.Millisecond, Times: 1})
	}
	e := r.engine(r.sender(5*time.Second), r.limiter(25), broadcast.EngineConfig{})
	stop := runEngine(t, e)
	r.waitDone(runID, 30*time.Second)
	stop()
	if st := r.emu.Stats(); st.InjectedFaults != 3 || st.RateLimited != 0 || st.MaxPerSecond > 25 {
		t.Fatalf("emulator stats %+v: want 3 slow sends and no limit broken", st)
	}
	r.expectEachOnce(chats)
}

// PostgreSQL goes away for 15 s in the middle of a run. The sends made
// meanwhile are recorded once it is back (their leases still hold), so
// nobody gets the announcement twice and nobody misses it.
func TestEngine_DatabaseAwayMidRunSendsNobodyTwice(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{}, nil)
	chats := r.subscribe("35.73.05.1003", 1, 40)
	runID, _ := r.newRun("Pemadaman listrik bergilir besok", false, "35.73.05.1003")
	e := r.engine(r.sender(5*time.Second), r.limiter(25), broadcast.EngineConfig{Lease: 40 * time.Second})
	stop := runEngine(t, e)
	deadline := time.Now().Add(30 * time.Second)
	sent := func() (n int) {
		for _, got := range r.received(chats) {
			n += min(got, 1)
		}
		return n
	}
	for sent() < 8 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d sent before the outage", sent())
		}
		time.Sleep(5 * time.Millisecond)
	}
	testenv.DatabaseAway(t, r.db, 15*time.Second)
	time.Sleep(16 * time.Second) // the run cannot be checked without the database
	r.waitDone(runID, 30*time.Second)
	stop()
	r.expectEachOnce(chats)
	if got := deliveryCounts(t, r.db, runID); got["sent"] != len(chats) {
		t.Fatalf("deliveries %v, want all %d sent", got, len(chats))
	}
}

func TestEngine_BlockedAndVanishedChats(t *testing.T) {
	t.Parallel()
	clock := message.NewManualClock(monday8)
	r := newRig(t, emulator.Options{}, clock)
	chats := r.subscribe("35.73.05.1003", 1, 10)
	seedSubscribers(t, r.db, "35.73.05.1003", 500, 1) // never wrote to the bot: chat not found
	for _, id := range chats[:3] {
		r.emu.Block(emulator.User{ID: id})
	}
	first, _ := r.newRun("Jadwal posyandu", false, "35.73.05.1003")
	second, _ := r.newRun("Jadwal vaksinasi", false, "35.73.05.1003")
	sender := &orderSender{Sender: r.sender(5 * time.Second)}
	e := r.engine(sender, nil, broadcast.EngineConfig{BatchSize: 100})

	if n, err := e.ProcessOnce(context.Background()); err != nil || n != 11 {
		t.Fatalf("first batch: %d, %v", n, err)
	}
	if got := deliveryCounts(t, r.db, first); got["blocked"] != 3 || got["failed"] != 1 || got["sent"] != 7 {
		t.Fatalf("first run %v, want 3 blocked, 1 failed, 7 sent", got)
	}
	var blocked, stopped int
	must(t, r.db.Get(&blocked, `SELECT count(*) FROM subscribers WHERE status = 'blocked' AND chat_id <= 3`))
	must(t, r.db.Get(&stopped, `SELECT count(*) FROM subscribers WHERE status = 'stopped' AND chat_id = 500`))
	if blocked != 3 || stopped != 1 {
		t.Fatalf("subscribers blocked=%d (want 3) stopped=%d (want 1)", blocked, stopped)
	}

	// The second run was materialised before they blocked: its deliveries to
	// them close without a send.
	r.drain(e)
	if got := deliveryCounts(t, r.db, second); got["blocked"] != 3 || got["cancelled"] != 1 || got["sent"] != 7 {
		t.Fatalf("second run %v, want 3 blocked and 1 cancelled without sends, 7 sent", got)
	}
	if sends := len(sender.order()); sends != 11+7 {
		t.Fatalf("%d sends, want 18: nothing to blocked or vanished chats the second time", sends)
	}
	// And a later run never targets them.
	_, n := r.newRun("Kerja bakti", false, "35.73.05.1003")
	if n != 7 {
		t.Fatalf("a new run targets %d chats, want the 7 active ones", n)
	}
	for _, id := range []int64{first, second} {
		if s := runStatus(t, r.db, id); s != "done" {
			t.Fatalf("run %d is %s, want done", id, s)
		}
	}
}

func TestEngine_5xxIsRetriedWithBackoffThenFails(t *testing.T) {
	t.Parallel()
	clock := message.NewManualClock(monday8)
	r := newRig(t, emulator.Options{}, clock)
	chats := r.subscribe("35.73.05.1003", 1, 3)
	recovering, broken, refused := chats[0], chats[1], chats[2]
	r.emu.AddFault(emulator.Fault{ChatID: recovering, Code: 500, Times: 2})
	r.emu.AddFault(emulator.Fault{ChatID: broken, Code: 502})
	r.emu.AddFault(emulator.Fault{ChatID: refused, Code: 400, Description: "Bad Request: message is too long"})
	runID, _ := r.newRun("Pemadaman listrik bergilir", false, "35.73.05.1003")
	e := r.engine(r.sender(5*time.Second), nil, broadcast.EngineConfig{MaxAttempts: 3})

	attempts := func(chat int64) (status string, n int) {
		row := r.db.QueryRow(`SELECT status, attempts FROM deliveries WHERE run_id = $1 AND chat_id = $2`, runID, chat)
		must(t, row.Scan(&status, &n))
		return
	}
	r.drain(e)
	if s, n := attempts(recovering); s != "pending" || n != 1 {
		t.Fatalf("after a 500: %s after %d attempts, want pending after 1", s, n)
	}
	if s, n := attempts(refused); s != "failed" || n != 1 {
		t.Fatalf("after a 400: %s after %d attempts, want failed at once (retrying cannot help)", s, n)
	}
	// Not due before its backoff (2 s ± 20%).
	clock.Advance(time.Second)
	if n := r.drain(e); n != 0 {
		t.Fatalf("retried %d deliveries before their backoff", n)
	}
	for range 2 {
		clock.Advance(15 * time.Second)
		r.drain(e)
	}
	if s, n := attempts(recovering); s != "sent" || n != 3 {
		t.Fatalf("recovering chat: %s after %d attempts, want sent after 3", s, n)
	}
	if s, n := attempts(broken); s != "failed" || n != 3 {
		t.Fatalf("broken chat: %s after %d attempts, want failed after 3", s, n)
	}
	var lastErr string
	must(t, r.db.Get(&lastErr, `SELECT last_error FROM deliveries WHERE run_id = $1 AND chat_id = $2`, runID, broken))
	if lastErr == "" {
		t.Fatal("failed delivery has no last_error")
	}
	if runStatus(t, r.db, runID) != "done" {
		t.Fatal("run not done")
	}
}

func TestEngine_TimeoutAfterTelegramAcceptedIsUncertainAndNotResent(t *testing.T) {
	t.Parallel()
	clock := message.NewManualClock(monday8)
	r := newRig(t, emulator.Options{}, clock)
	chats := r.subscribe("35.73.05.1003", 1, 2)
	slow := chats[0]
	r.emu.AddFault(emulator.Fault{ChatID: slow, Delay: 1500 * time.Millisecond, Deliver: true, Times: 1})
	runID, _ := r.newRun("Hoaks: tidak ada bansos lewat tautan ini", false, "35.73.05.1003")
	e := r.engine(r.sender(300*time.Millisecond), nil, broadcast.EngineConfig{})

	r.drain(e)
	clock.Advance(time.Hour)
	r.drain(e)
	var status string
	must(t, r.db.Get(&status, `SELECT status FROM deliveries WHERE run_id = $1 AND chat_id = $2`, runID, slow))
	if status != "uncertain" {
		t.Fatalf("timed-out delivery is %q, want uncertain", status)
	}
	time.Sleep(1500 * time.Millisecond) // let the emulator finish the slow answer
	if got := len(r.emu.Messages(slow)); got != 1 {
		t.Fatalf("resident got %d copies, want 1 (delivered once, not resent)", got)
	}
	if runStatus(t, r.db, runID) != "done" {
		t.Fatal("uncertain is final: the run should be done")
	}
}

func TestEngine_ReclaimsLapsedLeasesOfADeadWorker(t *testing.T) {
	t.Parallel()
	clock := message.NewManualClock(monday8)
	r := newRig(t, emulator.Options{}, clock)
	chats := r.subscribe("35.73.05.1003", 1, 20)
	runID, _ := r.newRun("Musrenbang kelurahan", false, "35.73.05.1003")
	e := r.engine(r.sender(5*time.Second), nil, broadcast.EngineConfig{BatchSize: 50, Lease: time.Minute})

	dead, err := e.ClaimAndAbandonForTest(context.Background(), 8)
	if err != nil || dead != 8 {
		t.Fatalf("claim: %d, %v", dead, err)
	}
	if n := r.drain(e); n != 12 {
		t.Fatalf("sent %d, want the 12 not held by the dead worker", n)
	}
	if got := deliveryCounts(t, r.db, runID); got["sending"] != 8 || runStatus(t, r.db, runID) != "sending" {
		t.Fatalf("before the lease lapses: %v", got)
	}
	clock.Advance(time.Minute + time.Second)
	if n := r.drain(e); n != 8 {
		t.Fatalf("reclaimed %d, want 8", n)
	}
	r.expectEachOnce(chats)
	var twice int
	must(t, r.db.Get(&twice, `SELECT count(*) FROM deliveries WHERE run_id = $1 AND attempts = 2 AND status = 'sent'`, runID))
	if twice != 8 || runStatus(t, r.db, runID) != "done" {
		t.Fatalf("%d reclaimed deliveries counted their lost attempt (want 8); run %s", twice, runStatus(t, r.db, runID))
	}
}

func TestEngine_ShutdownRecordsEverySendAndHandsBackTheRest(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{}, nil)
	r.subscribe("35.73.05.1003", 1, 100)
	runID, _ := r.newRun("Pengumuman", false, "35.73.05.1003")
	e := r.engine(r.sender(5*time.Second), r.limiter(20), broadcast.EngineConfig{})
	stop := runEngine(t, e)
	for deliveryCounts(t, r.db, runID)["sent"] < 10 {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	got := deliveryCounts(t, r.db, runID)
	if got["sending"] != 0 || got["sent"] != r.emu.Stats().Sends || got["sent"]+got["pending"] != 100 {
		t.Fatalf("after shutdown: %v with %d sends seen by Telegram; want none sending and every send recorded", got, r.emu.Stats().Sends)
	}
}

// counterValue reads one labelled counter from reg.
func counterValue(t *testing.T, reg *prometheus.Registry, name, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	must(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if lp.GetName() == "outcome" && lp.GetValue() == outcome {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("metric %s{outcome=%s} not found", name, outcome)
	return 0
}

// An outcome PostgreSQL refuses (its error text holds a NUL or half a
// character) is written without its text, and the rest of its batch as
// they are: before, the whole batch was retried until its leases lapsed
// and every delivery in it was sent a second time.
func TestEngine_RefusedOutcomeIsolated(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{}, message.NewManualClock(monday8))
	r.subscribe("35.73.05.1003", 1, 6)
	runID, _ := r.newRun("Musrenbang kelurahan", false, "35.73.05.1003")
	e := r.engine(r.sender(5*time.Second), nil, broadcast.EngineConfig{BatchSize: 50, Lease: time.Minute})
	n, err := e.FailClaimedForTest(context.Background(), "Bad Request: chat not found", "tag \"\xe2\x80\"", "ok",
		"nul \x00 here", "Forbidden", "é")
	if err != nil || n != 6 {
		t.Fatalf("recorded %d of 6: %v", n, err)
	}
	var errs []string
	must(t, r.db.Select(&errs, `SELECT last_error FROM deliveries WHERE run_id = $1 AND status = 'failed' ORDER BY last_error`, runID))
	refused := 0
	for _, s := range errs {
		if strings.HasPrefix(s, "error text refused by PostgreSQL (22021)") {
			refused++
		}
	}
	if len(errs) != 6 || refused != 2 {
		t.Fatalf("failed deliveries recorded with %q; want 6, the 2 refused ones without their text", errs)
	}
}
