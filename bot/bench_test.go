package bot_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// sendTap sits in front of the emulator and tells waiters when the bot
// sent or edited a message in their chat.
type sendTap struct {
	next    http.Handler
	mu      sync.Mutex
	waiters map[int64]chan struct{}
}

func (s *sendTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	if method != "sendMessage" && method != "editMessageText" {
		s.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.next.ServeHTTP(w, r)
	s.mu.Lock()
	ch := s.waiters[chatIDOf(r.Header.Get("Content-Type"), body)]
	s.mu.Unlock()
	if ch != nil {
		ch <- struct{}{}
	}
}

func (s *sendTap) watch(chat int64) chan struct{} {
	ch := make(chan struct{}, 16)
	s.mu.Lock()
	s.waiters[chat] = ch
	s.mu.Unlock()
	return ch
}

// chatIDOf reads chat_id from the library's multipart request body.
func chatIDOf(contentType string, body []byte) int64 {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return 0
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return 0
		}
		if p.FormName() == "chat_id" {
			v, _ := io.ReadAll(p)
			id, _ := strconv.ParseInt(string(v), 10, 64)
			return id
		}
	}
}

// BenchmarkUpdates measures update handling through the emulator (its
// rate limits off) with many distinct residents, each injecting an update
// and waiting for the bot's answer. Three loads per kind of update:
//
//   - rate=500: updates arrive at a steady 500/s whatever the bot does (an
//     open loop, as residents do not wait for each other); the target is
//     that the bot keeps up with p99 under 20 ms;
//   - saturated: 64 residents at once, each sending again as soon as it is
//     answered, for the most the bot can handle;
//   - light: 4 at once, the latency of a quiet bot.
//
// Reported: updates/s and the p50/p99 time from injecting an update to the
// answer arriving.
//
//	go test -run '^$' -bench BenchmarkUpdates -benchtime 3000x ./bot/
func BenchmarkUpdates(b *testing.B) {
	emu := emulator.New(emulator.Options{Unlimited: true, AnyChat: true})
	tap := &sendTap{next: emu.Handler(), waiters: map[int64]chan struct{}{}}
	srv := httptest.NewServer(tap)
	b.Cleanup(srv.Close)
	db := testenv.DB(b)
	db.SetMaxOpenConns(30) // as in production (cmd/kimbot): keep connections instead of reopening them
	db.SetMaxIdleConns(30)
	rdb, prefix := testenv.Redis(b)
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: srv.URL, PollTimeout: 2 * time.Second}, // the default 8 workers, as in production
		bot.Deps{DB: db, Redis: rdb, RedisPrefix: prefix, Regions: region.NewStore(db), RegionRoot: "35.73",
			Subscribers: broadcast.NewSubscribers(db, message.SystemClock{})})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { app.Run(ctx); close(done) }()
	b.Cleanup(func() { cancel(); <-done })
	var next atomic.Int64
	next.Store(2_000_000)
	newcomer := func() (emulator.User, chan struct{}) {
		u := emulator.User{ID: next.Add(1), FirstName: "W"}
		return u, tap.watch(u.ID)
	}
	// /start from a newcomer: a greeting, then the district keyboard.
	start := func(int) func() time.Duration {
		u, ch := newcomer()
		return func() time.Duration {
			t0 := time.Now()
			emu.SendText(u, "/start")
			waitN(b, ch, 2)
			return time.Since(t0)
		}
	}
	// A district button: the keyboard is edited to list its villages. The
	// /start before it is set-up, not measured.
	button := func(int) func() time.Duration {
		u, ch := newcomer()
		emu.SendText(u, "/start")
		waitN(b, ch, 2)
		msgs := emu.Messages(u.ID)
		picker := msgs[len(msgs)-1]
		return func() time.Duration {
			t0 := time.Now()
			emu.PressButton(u, u.ID, picker.MessageID, picker.Buttons[0][0].CallbackData)
			waitN(b, ch, 1)
			return time.Since(t0)
		}
	}
	for _, op := range []struct {
		name string
		prep func(int) func() time.Duration
	}{{"start", start}, {"button", button}} {
		b.Run(op.name+"/rate=500", func(b *testing.B) { runLoad(b, openLoop(500), op.prep) })
		b.Run(op.name+"/saturated", func(b *testing.B) { runLoad(b, closedLoop(64), op.prep) })
		b.Run(op.name+"/light", func(b *testing.B) { runLoad(b, closedLoop(4), op.prep) })
	}
}

// A load runs the operations ops[i], storing each one's latency in lat[i].
type load func(ops []func() time.Duration, lat []time.Duration)

// closedLoop runs the operations from concurrency goroutines, each starting
// its next operation when the last one was answered.
func closedLoop(concurrency int) load {
	return func(ops []func() time.Duration, lat []time.Duration) {
		parallel(len(ops), concurrency, func(i int) { lat[i] = ops[i]() })
	}
}

// openLoop starts an operation every 1/rate seconds, whether or not the
// earlier ones were answered.
func openLoop(rate int) load {
	return func(ops []func() time.Duration, lat []time.Duration) {
		interval := time.Second / time.Duration(rate)
		start := time.Now()
		var wg sync.WaitGroup
		for i := range ops {
			time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
			wg.Add(1)
			go func() { defer wg.Done(); lat[i] = ops[i]() }()
		}
		wg.Wait()
	}
}

// parallel calls f(0..n-1) from concurrency goroutines.
func parallel(n, concurrency int, f func(i int)) {
	var wg sync.WaitGroup
	var idx atomic.Int64
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(idx.Add(1) - 1); i < n; i = int(idx.Add(1) - 1) {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// runLoad prepares b.N operations (not timed, 16 at once), runs them under
// the load and reports throughput and latency percentiles.
func runLoad(b *testing.B, run load, prep func(int) func() time.Duration) {
	ops := make([]func() time.Duration, b.N)
	parallel(b.N, 16, func(i int) { ops[i] = prep(i) })
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	start := time.Now()
	run(ops, lat)
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
}

func waitN(b *testing.B, ch chan struct{}, n int) {
	for range n {
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			b.Fatal("no answer within 10 s")
		}
	}
}
