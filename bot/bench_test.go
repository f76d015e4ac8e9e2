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
// and waiting for the bot's answer: saturated (64 at once) for throughput,
// and lightly loaded (4 at once) for latency. Reported: updates/s and the
// p50/p99 time from injecting an update to the answer arriving.
//
//	go test -run '^$' -bench BenchmarkUpdates -benchtime 3000x ./bot/
func BenchmarkUpdates(b *testing.B) {
	emu := emulator.New(emulator.Options{Unlimited: true, AnyChat: true})
	tap := &sendTap{next: emu.Handler(), waiters: map[int64]chan struct{}{}}
	srv := httptest.NewServer(tap)
	b.Cleanup(srv.Close)
	db := testenv.DB(b)
	db.SetMaxOpenConns(40) // as in production (cmd/kimbot): keep connections instead of reopening them
	db.SetMaxIdleConns(40)
	rdb, prefix := testenv.Redis(b)
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: srv.URL, PollTimeout: 2 * time.Second, Workers: 32},
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
		// throughput: 64 residents at once keep the bot saturated.
		b.Run(op.name+"/throughput", func(b *testing.B) { runLoad(b, 64, op.prep) })
		// latency: 4 at once, well below saturation.
		b.Run(op.name+"/latency", func(b *testing.B) { runLoad(b, 4, op.prep) })
	}
}

// runLoad prepares b.N operations (not timed), runs them from concurrency
// goroutines and reports throughput and latency percentiles.
func runLoad(b *testing.B, concurrency int, prep func(int) func() time.Duration) {
	ops := make([]func() time.Duration, b.N)
	var wg sync.WaitGroup
	var idx atomic.Int64
	parallel := func(f func(i int)) {
		for range concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(idx.Add(1) - 1); i < b.N; i = int(idx.Add(1) - 1) {
					f(i)
				}
			}()
		}
		wg.Wait()
		idx.Store(0)
	}
	parallel(func(i int) { ops[i] = prep(i) })
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	start := time.Now()
	parallel(func(i int) { lat[i] = ops[i]() })
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
