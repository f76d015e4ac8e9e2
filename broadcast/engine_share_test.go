package broadcast_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/message"
)

// How runs share the engine: urgent first, small runs not stuck behind
// big ones, the rate split batch by batch and across replicas.

func TestEngine_UrgentRunsGoFirst(t *testing.T) {
	t.Parallel()
	clock := message.NewManualClock(monday8)
	r := newRig(t, emulator.Options{Unlimited: true}, clock)
	normal := r.subscribe("35.73.05.1003", 1, 30)
	urgent := r.subscribe("35.73.01.1001", 1001, 30)
	r.newRun("Lomba 17 Agustus", false, "35.73.05.1003")
	r.newRun("Peringatan dini banjir", true, "35.73.01.1001")
	sender := &orderSender{Sender: r.sender(5 * time.Second)}
	e := r.engine(sender, nil, broadcast.EngineConfig{BatchSize: 10})
	for range 3 {
		clock.Advance(time.Millisecond)
		if _, err := e.ProcessOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	got := sender.order()
	slices.Sort(got)
	if !slices.Equal(got, urgent) {
		t.Fatalf("first 30 sends went to %v, want the urgent run's chats", got)
	}
	_ = normal
}

func TestEngine_SmallRunStartsWhileABigRunIsSending(t *testing.T) {
	t.Parallel()
	clock := message.NewManualClock(monday8)
	r := newRig(t, emulator.Options{Unlimited: true}, clock)
	r.subscribe("35.73.05.1003", 1, 300)
	small := r.subscribe("35.73.01.1001", 5001, 8)
	r.newRun("Siaran se-kota", false, "35.73.05")
	sender := &orderSender{Sender: r.sender(5 * time.Second)}
	e := r.engine(sender, nil, broadcast.EngineConfig{BatchSize: 10})
	step := func() {
		clock.Advance(time.Millisecond)
		if _, err := e.ProcessOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		step()
	}
	r.newRun("Kerja bakti RW 03", false, "35.73.01.1001")
	step()
	got := sender.order()[30:]
	slices.Sort(got)
	if !slices.Equal(got, small) {
		t.Fatalf("the batch after the small run appeared went to %v, want the small run's 8 chats", got)
	}
}

func TestEngine_RunsShareTheRateBatchByBatch(t *testing.T) {
	t.Parallel()
	clock := message.NewManualClock(monday8)
	r := newRig(t, emulator.Options{Unlimited: true}, clock)
	a := r.subscribe("35.73.05.1003", 1, 50)
	r.subscribe("35.73.01.1001", 1001, 50)
	r.newRun("A", false, "35.73.05.1003")
	r.newRun("B", false, "35.73.01.1001")
	sender := &orderSender{Sender: r.sender(5 * time.Second)}
	e := r.engine(sender, nil, broadcast.EngineConfig{BatchSize: 10})
	for range 6 {
		clock.Advance(time.Millisecond)
		if _, err := e.ProcessOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	order := sender.order()
	for b := range 6 {
		inA := slices.Contains(a, order[b*10])
		if inA != (b%2 == 0) {
			t.Fatalf("batch %d went to run %v; runs should alternate: %v", b, map[bool]string{true: "A", false: "B"}[inA], order)
		}
	}
}

func TestEngine_TwoReplicasTogetherStayUnderTheRate(t *testing.T) {
	// Not parallel: it measures the pace within each second. The limiter
	// grants at most 20 a second between the two replicas; what arrives in
	// one calendar second at the emulator can still be 21 when the test
	// binary shares 2 CPUs with the other packages' tests (make test runs
	// two at once): a send granted at the end of one second is delivered
	// in the next. Seen in CI on 2026-11-30 on a quiet machine. One over is
	// that jitter; two replicas that did not share the limiter would send
	// 40 a second, which the emulator (21 a second here) refuses with 429.
	r := newRig(t, emulator.Options{GlobalPerSec: 21}, nil)
	chats := r.subscribe("35.73.05.1003", 1, 70)
	runID, _ := r.newRun("Sosialisasi ASO", false, "35.73.05.1003")
	stopA := runEngine(t, r.engine(r.sender(5*time.Second), r.limiter(20), broadcast.EngineConfig{}))
	stopB := runEngine(t, r.engine(r.sender(5*time.Second), r.limiter(20), broadcast.EngineConfig{}))
	r.waitDone(runID, 30*time.Second)
	stopA()
	stopB()
	st := r.emu.Stats()
	if st.MaxPerSecond > 21 || st.RateLimited != 0 {
		t.Fatalf("two replicas at 20/s: emulator saw %+v", st)
	}
	r.expectEachOnce(chats)
}
