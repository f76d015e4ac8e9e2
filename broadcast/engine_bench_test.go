package broadcast_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
)

// Delivery throughput through the emulator (its limits raised to match the
// rate). KIMBOT_BENCH_DELIVERIES sets how many deliveries a run has; the
// defaults keep a plain `go test -bench` short. The README figures:
//
//	KIMBOT_BENCH_DELIVERIES=10000 go test -run '^$' -bench 'Delivery' -benchtime 1x -timeout 30m ./broadcast/

func benchDeliveries(def int) int {
	if n, err := strconv.Atoi(os.Getenv("KIMBOT_BENCH_DELIVERIES")); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkDeliveryRate30: target ≥ 97% of 30/s with zero 429s.
func BenchmarkDeliveryRate30(b *testing.B) {
	benchThroughput(b, 30, benchDeliveries(900), emulator.Options{GlobalPerSec: 30}, 1)
}

// BenchmarkDeliveryRate1000: target ≥ 90% of 1000/s (paid broadcast).
func BenchmarkDeliveryRate1000(b *testing.B) {
	benchThroughput(b, 1000, benchDeliveries(10000), emulator.Options{GlobalPerSec: 1000}, 1)
}

// BenchmarkDeliveryUnlimited: the engine's headroom with the limiter off;
// target ≥ 2,000 deliveries/s.
func BenchmarkDeliveryUnlimited(b *testing.B) {
	benchThroughput(b, 0, benchDeliveries(10000), emulator.Options{Unlimited: true}, 1)
}

// BenchmarkDeliveryTwoReplicas: two engines sharing one Redis limiter at
// 30/s never go above it together (max_per_second ≤ 30).
func BenchmarkDeliveryTwoReplicas(b *testing.B) {
	benchThroughput(b, 30, benchDeliveries(900), emulator.Options{GlobalPerSec: 30}, 2)
}

func benchThroughput(b *testing.B, rate, n int, opts emulator.Options, replicas int) {
	opts.AnyChat = true
	opts.PerChatPerSec = -1
	r := newRig(b, opts, nil)
	seedSpread(b, r, n)
	var elapsed time.Duration
	for i := range b.N {
		runID, got := r.newRun("Siaran TV analog dihentikan; siapkan set-top box", false, "35.73")
		if got != n {
			b.Fatalf("run %d targets %d, want %d", i, got, n)
		}
		r.emu.ResetStats()
		start := time.Now()
		stop := startEngines(r, rate, replicas)
		r.waitDone(runID, time.Duration(n)*time.Second+time.Minute)
		elapsed += time.Since(start)
		stop()
		if got := deliveryCounts(b, r.db, runID); got["sent"] != n {
			b.Fatalf("run %d ended with deliveries %v, want all %d sent", i, got, n)
		}
	}
	st := r.emu.Stats()
	perSec := float64(n*b.N) / elapsed.Seconds()
	b.ReportMetric(perSec, "deliveries/s")
	if rate > 0 {
		b.ReportMetric(100*perSec/float64(rate), "pct_of_rate")
	}
	b.ReportMetric(float64(st.RateLimited), "429s")
	b.ReportMetric(float64(st.MaxPerSecond), "max_per_second")
	if st.RateLimited != 0 || (rate > 0 && st.MaxPerSecond > rate) {
		b.Errorf("limits broken: %+v", st)
	}
}

// seedSpread subscribes chats 1..n across the villages of Kota Malang.
func seedSpread(b *testing.B, r *rig, n int) {
	const q = `
INSERT INTO subscribers (chat_id, village_code)
SELECT g, v.codes[1 + g % cardinality(v.codes)]
FROM generate_series(1, $1::bigint) g,
     (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 4 AND code LIKE '35.73.%') v`
	execSQL(b, r.db, q, n)
}

func startEngines(r *rig, rate, replicas int) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range replicas {
		e := r.engine(newSender(r.t, r.emu.URL(), 10*time.Second), r.limiter(rate), broadcast.EngineConfig{})
		wg.Go(func() { e.Run(ctx) })
	}
	return func() {
		cancel()
		wg.Wait()
	}
}
