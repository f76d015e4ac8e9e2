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
// rate limits off): many distinct residents, 64 at a time, each injecting
// an update and waiting for the bot's answer. Reported: updates/s and the
// p50/p99 latency from injecting an update to the answer arriving.
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
	app, err := bot.New(bot.Config{Token: "123:TEST", APIURL: srv.URL, PollTimeout: 2 * time.Second, Workers: 16},
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

	// /start from a newcomer: a greeting, then the district keyboard.
	b.Run("start", func(b *testing.B) {
		runLoad(b, func() time.Duration {
			u := emulator.User{ID: next.Add(1), FirstName: "W"}
			ch := tap.watch(u.ID)
			t0 := time.Now()
			emu.SendText(u, "/start")
			waitN(b, ch, 2)
			return time.Since(t0)
		})
	})
	// A district button: the keyboard is edited to list its villages.
	b.Run("button", func(b *testing.B) {
		runLoad(b, func() time.Duration {
			u := emulator.User{ID: next.Add(1), FirstName: "W"}
			ch := tap.watch(u.ID)
			emu.SendText(u, "/start")
			waitN(b, ch, 2)
			msgs := emu.Messages(u.ID)
			picker := msgs[len(msgs)-1]
			t0 := time.Now()
			emu.PressButton(u, u.ID, picker.MessageID, picker.Buttons[0][0].CallbackData)
			waitN(b, ch, 1)
			return time.Since(t0)
		})
	})
}

// runLoad runs op b.N times from 64 goroutines and reports throughput and
// latency percentiles.
func runLoad(b *testing.B, op func() time.Duration) {
	const concurrency = 64
	lat := make([]time.Duration, b.N)
	var idx atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := idx.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				lat[i] = op()
			}
		}()
	}
	wg.Wait()
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
