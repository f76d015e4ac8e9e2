package emulator

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// BenchmarkSendMessage measures accepted sendMessage calls per second made
// by the real go-telegram/bot client (multipart, chunked) with the limits
// off, over 1000 chats. Target: at least 2000 sends/s.
func BenchmarkSendMessage(b *testing.B) {
	s := NewTestServer(b, Options{Unlimited: true, AnyChat: true})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	tg, err := bot.New("1:BENCH", bot.WithServerURL(s.URL()), bot.WithSkipGetMe(), bot.WithHTTPClient(time.Minute, client))
	if err != nil {
		b.Fatal(err)
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Setuju", CallbackData: "fb:1:yes"}, {Text: "Tidak", CallbackData: "fb:1:no"}}}}
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			chat := 1 + n.Add(1)%1000
			_, err := tg.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: chat, Text: "<b>Pengumuman</b> kerja bakti Minggu pagi", ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "sends/s")
	if st := s.Stats(); st.Sends != b.N {
		b.Fatalf("recorded %d sends, want %d", st.Sends, b.N)
	}
}

// BenchmarkSendMessageRaw measures the emulator alone: pre-built multipart
// bodies in the library's wire format posted by 4 goroutines, limits off.
func BenchmarkSendMessageRaw(b *testing.B) {
	s := NewTestServer(b, Options{Unlimited: true, AnyChat: true})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	const kb = `{"inline_keyboard":[[{"text":"Setuju","callback_data":"fb:1:yes","copy_text":{"text":""}}]]}`
	bodies := make([][]byte, 1000)
	var contentType string
	for i := range bodies {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.SetBoundary("kimbotbenchboundary")
		_ = mw.WriteField("chat_id", strconv.Itoa(1+i))
		_ = mw.WriteField("text", "<b>Pengumuman</b> kerja bakti Minggu pagi")
		_ = mw.WriteField("parse_mode", "HTML")
		_ = mw.WriteField("reply_markup", kb)
		_ = mw.Close()
		bodies[i], contentType = buf.Bytes(), mw.FormDataContentType()
	}
	url := s.URL() + "/bot1:BENCH/sendMessage"
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(url, contentType, bytes.NewReader(bodies[n.Add(1)%1000]))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "sends/s")
}

// BenchmarkGetUpdates measures updates per second injected and delivered
// through getUpdates (batches of up to 100, each confirmed by the next
// offset) to the real go-telegram/bot polling loop. Target: at least 1000/s.
func BenchmarkGetUpdates(b *testing.B) {
	s := NewTestServer(b, Options{})
	var handled atomic.Int64
	all := make(chan struct{})
	target := int64(b.N)
	tg, err := bot.New("1:BENCH", bot.WithServerURL(s.URL()), bot.WithSkipGetMe(),
		bot.WithHTTPClient(5*time.Second, &http.Client{Timeout: 20 * time.Second}), bot.WithNotAsyncHandlers(),
		bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {
			if handled.Add(1) == target {
				close(all)
			}
		}))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tg.Start(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	users := make([]User, 100)
	for i := range users {
		users[i] = User{ID: int64(5000 + i), FirstName: "Warga" + strconv.Itoa(i)}
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if i%2 == 0 {
			s.SendText(users[i%100], "/start 3573051003")
		} else {
			s.PressButton(users[i%100], users[i%100].ID, 1, "v:35.73.05.1003")
		}
	}
	select {
	case <-all:
	case <-time.After(time.Minute):
		b.Fatalf("handled %d of %d updates", handled.Load(), b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "updates/s")
}
