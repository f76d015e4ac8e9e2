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
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

// The engine the SIGKILL test runs in a subprocess.
var helperConfig = broadcast.EngineConfig{Lease: 3 * time.Second, SendTimeout: time.Second, FlushSize: 20}

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

	second := startHelper(t, r, runID)
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
