package aspiration_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
)

// BenchmarkFileThroughEmulator measures filing from the resident's side:
// "/aspirasi <text>" sent to the emulator until the bot's confirmation
// with the ticket number arrives (the update stored in the inbox, handled,
// the ticket stored and its moderator post queued, the reply sent), with
// the emulator's limits and the flood limit off and the outbox posting to
// the KIM group meanwhile. Residents file in parallel, each waiting for
// its confirmation before filing again, as a person would.
//
// parallel=1 is one resident at a time (pure latency); parallel=16 keeps
// sixteen residents filing at once (throughput).
//
//	go test -run '^$' -bench FileThroughEmulator -benchtime 1000x ./bot/
func BenchmarkFileThroughEmulator(b *testing.B) {
	for _, parallel := range []int{1, 16} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) { benchFiling(b, parallel) })
	}
}

func benchFiling(b *testing.B, parallel int) {
	const residents = 64
	r := newRig(b, emulator.Options{Unlimited: true}, func(c *aspirations.Config) { c.FloodPerHour = -1 })
	r.Moderator(modA, villageA, groupA)
	users := make([]emulator.User, residents)
	for i := range users {
		users[i] = emulator.User{ID: 900000 + int64(i), FirstName: fmt.Sprintf("Warga %d", i)}
		r.Resident(users[i], villageA)
	}
	r.FileOneShot(users[0], "Pemanasan: aspirasi pertama sebelum pengukuran") // warm up connections and caches

	var next atomic.Int64
	latencies := make([][]time.Duration, parallel)
	var failed atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := w; ; u += parallel {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				user := users[u%residents]
				d, err := timeOneFiling(r, user, fmt.Sprintf("Aspirasi nomor %d tentang lampu jalan yang mati", i))
				if err != nil {
					failed.Store(err)
					return
				}
				latencies[w] = append(latencies[w], d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	all := slices.Concat(latencies...)
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "filings/s")
	b.ReportMetric(ms(all[len(all)/2]), "p50_ms")
	b.ReportMetric(ms(all[(len(all)*99)/100]), "p99_ms")
	b.ReportMetric(ms(all[len(all)-1]), "max_ms")
}

// timeOneFiling sends one "/aspirasi <text>" and waits for the one more
// confirmation it brings.
func timeOneFiling(r *bottest.Rig, u emulator.User, text string) (time.Duration, error) {
	before := len(r.Emu.Messages(u.ID))
	t0 := time.Now()
	r.Emu.SendText(u, "/aspirasi "+text)
	deadline := t0.Add(30 * time.Second)
	for len(r.Emu.Messages(u.ID)) <= before {
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no confirmation for resident %d within 30 s", u.ID)
		}
		time.Sleep(200 * time.Microsecond)
	}
	return time.Since(t0), nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
