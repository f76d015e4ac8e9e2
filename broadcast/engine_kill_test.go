package broadcast_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

// The engine the SIGKILL tests run in a subprocess. Its lease is the
// default 2 minutes: what the dead process held must come back through
// its holder (internal/holder), in seconds, not through the lease.
var helperConfig = broadcast.EngineConfig{Lease: 2 * time.Minute, SendTimeout: time.Second, FlushSize: 20}

// recoveryBound is far below the lease and well above the 5 to 8 s the
// holder needs when the process restarts alone (it waits until the
// database has kept a lock session for 5 s), so a busy CI machine does
// not fail it; the figure itself is logged and reported in the README.
const recoveryBound = 15 * time.Second

const helperRate = 200

// TestEngineHelperProcess is not a test: it is the engine process that
// TestEngine_SIGKILLMidRunLosesNothing starts and kills (it returns at once
// unless KIMBOT_ENGINE_HELPER is set).
func TestEngineHelperProcess(t *testing.T) {
	if os.Getenv("KIMBOT_ENGINE_HELPER") != "1" {
		return
	}
	db, err := sqlx.Open("postgres", os.Getenv("KIMBOT_HELPER_DB"))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	l := broadcast.NewLimiter(redis.NewClient(opts), broadcast.LimiterConfig{Rate: helperRate, KeyPrefix: os.Getenv("KIMBOT_HELPER_PREFIX")}, logger)
	e := broadcast.NewEngine(db, newSender(t, os.Getenv("KIMBOT_HELPER_API"), time.Second), l, message.SystemClock{}, logger, helperConfig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if runID, _ := strconv.ParseInt(os.Getenv("KIMBOT_HELPER_UNTIL_DONE"), 10, 64); runID > 0 {
		go func() {
			for ctx.Err() == nil {
				var status string
				if db.Get(&status, `SELECT status FROM runs WHERE id = $1`, runID) == nil && status == "done" {
					cancel()
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	if err := e.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

func startHelper(t *testing.T, r *rig, untilDone int64) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestEngineHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"KIMBOT_ENGINE_HELPER=1",
		"KIMBOT_HELPER_DB="+r.dbURL,
		"KIMBOT_HELPER_PREFIX="+r.prefix,
		"KIMBOT_HELPER_API="+r.emu.URL(),
		fmt.Sprintf("KIMBOT_HELPER_UNTIL_DONE=%d", untilDone))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting engine process: %v", err)
	}
	return cmd
}

func TestEngine_SIGKILLMidRunLosesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{GlobalPerSec: helperRate + 50}, nil)
	chats := r.subscribe("35.73.05.1003", 1, 600)
	runID, _ := r.newRun("Siaran TV analog dihentikan 30 November", false, "35.73.05.1003")

	first := startHelper(t, r, 0)
	deadline := time.Now().Add(60 * time.Second)
	for deliveryCounts(t, r.db, runID)["sent"] < 180 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatalf("engine process made no progress: %v", deliveryCounts(t, r.db, runID))
		}
		time.Sleep(5 * time.Millisecond)
	}
	must(t, first.Process.Signal(syscall.SIGKILL))
	first.Wait()
	atKill := deliveryCounts(t, r.db, runID)
	seenAtKill := r.emu.Stats().Sends
	held := heldAt(t, r.db, runID)

	restarted := time.Now()
	second := startHelper(t, r, runID)
	took := waitReleased(t, r.db, runID, held, restarted)
	t.Logf("the %d deliveries the killed process held were sent %v after the restart", len(held), took.Round(time.Millisecond))
	waitErr := make(chan error, 1)
	go func() { waitErr <- second.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("second engine process: %v", err)
		}
	case <-time.After(90 * time.Second):
		second.Process.Kill()
		t.Fatalf("second engine did not finish the run: %v", deliveryCounts(t, r.db, runID))
	}

	if got := deliveryCounts(t, r.db, runID); got["sent"] != 600 {
		t.Fatalf("after restart: %v, want all 600 sent", got)
	}
	total := 0
	for chat, got := range r.received(chats) {
		if got < 1 {
			t.Fatalf("chat %d never got the announcement", chat)
		}
		total += got
	}
	inFlight := broadcast.NewEngine(nil, nil, broadcast.NewLimiter(nil, broadcast.LimiterConfig{Rate: helperRate}, discard()),
		message.SystemClock{}, discard(), helperConfig).InFlightLimit()
	dups := total - 600
	t.Logf("killed with %v recorded and %d accepted by Telegram; %d duplicates (bound %d)", atKill, seenAtKill, dups, inFlight)
	if dups > inFlight || dups > seenAtKill-atKill["sent"] {
		t.Fatalf("%d duplicates: more than the %d sends in flight at the kill (bound %d)", dups, seenAtKill-atKill["sent"], inFlight)
	}
	if st := r.emu.Stats(); st.RateLimited != 0 {
		t.Fatalf("emulator limits broken: %+v", st)
	}
}

// heldAt lists the chats of runID's deliveries in flight ('sending').
func heldAt(t *testing.T, db *sqlx.DB, runID int64) []int64 {
	t.Helper()
	var held []int64
	must(t, db.Select(&held, `SELECT chat_id FROM deliveries WHERE run_id = $1 AND status = 'sending'`, runID))
	if len(held) == 0 {
		t.Fatal("the killed process held no delivery: nothing to take back")
	}
	return held
}

// waitReleased waits until none of held is 'sending' any more and says how
// long that took from since; beyond recoveryBound it fails the test.
func waitReleased(t *testing.T, db *sqlx.DB, runID int64, held []int64, since time.Time) time.Duration {
	t.Helper()
	for {
		var left int
		must(t, db.Get(&left, `SELECT count(*) FROM deliveries WHERE run_id = $1 AND chat_id = ANY($2) AND status = 'sending'`,
			runID, pq.Array(held)))
		took := time.Since(since)
		if left == 0 {
			return took
		}
		if took > recoveryBound {
			t.Fatalf("%d of the %d deliveries the killed process held still wait after %v (lease %v)", left, len(held), took, helperConfig.Lease)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// With another engine process running, what a killed one held is sent by
// the other within seconds of the kill, once.
func TestEngine_SIGKILLAnotherReplicaTakesOver(t *testing.T) {
	t.Parallel()
	r := newRig(t, emulator.Options{GlobalPerSec: helperRate + 50}, nil)
	chats := r.subscribe("35.73.05.1003", 1, 600)
	runID, _ := r.newRun("Pemadaman listrik bergilir", false, "35.73.05.1003")
	first := startHelper(t, r, 0)
	second := startHelper(t, r, runID)
	deadline := time.Now().Add(60 * time.Second)
	for deliveryCounts(t, r.db, runID)["sent"] < 180 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			second.Process.Kill()
			t.Fatalf("engine processes made no progress: %v", deliveryCounts(t, r.db, runID))
		}
		time.Sleep(5 * time.Millisecond)
	}
	must(t, first.Process.Signal(syscall.SIGKILL))
	killed := time.Now()
	first.Wait()
	held := heldAt(t, r.db, runID)
	took := waitReleased(t, r.db, runID, held, killed)
	t.Logf("the deliveries in flight at the kill (%d, both processes') were all sent %v after it", len(held), took.Round(time.Millisecond))
	if err := second.Wait(); err != nil {
		t.Fatalf("second engine process: %v", err)
	}
	if got := deliveryCounts(t, r.db, runID); got["sent"] != 600 {
		t.Fatalf("after the kill: %v, want all 600 sent", got)
	}
	for chat, got := range r.received(chats) {
		if got < 1 {
			t.Fatalf("chat %d never got the announcement", chat)
		}
	}
}
