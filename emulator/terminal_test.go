package emulator

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// syncBuffer is an io.Writer safe to read while the terminal writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startMenuBot is a tiny real bot: /start shows districts, a district
// button edits the message and shows villages, a village button confirms.
func startMenuBot(t *testing.T, s *Server) {
	t.Helper()
	kb := func(buttons ...string) *models.InlineKeyboardMarkup {
		var rows [][]models.InlineKeyboardButton
		for i := 0; i < len(buttons); i += 2 {
			rows = append(rows, []models.InlineKeyboardButton{{Text: buttons[i], CallbackData: buttons[i+1]}})
		}
		return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	b := newLibBot(t, s, bot.WithSkipGetMe())
	b.RegisterHandler(bot.HandlerTypeMessageText, "start", bot.MatchTypeCommandStartOnly, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Halo <b>" + u.Message.From.FirstName + "</b>!\nPilih kecamatan:", ParseMode: models.ParseModeHTML,
			ReplyMarkup: kb("Kecamatan Lowokwaru", "d:35.73.05", "Kecamatan Klojen", "d:35.73.04")})
	})
	b.RegisterHandler(bot.HandlerTypeCallbackQueryData, "d:", bot.MatchTypePrefix, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		m := u.CallbackQuery.Message.Message
		_, _ = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID})
		_, _ = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: m.Chat.ID, MessageID: m.ID, Text: "Kecamatan dipilih: " + u.CallbackQuery.Data})
		_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: m.Chat.ID, Text: "Pilih kelurahan:", ReplyMarkup: kb("Tlogomas", "v:35.73.05.1003")})
	})
	b.RegisterHandler(bot.HandlerTypeCallbackQueryData, "v:", bot.MatchTypePrefix, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		m := u.CallbackQuery.Message.Message
		_, _ = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID})
		_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: m.Chat.ID, Text: "Terdaftar di Tlogomas ✅"})
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func TestTerminalChatPressesButtonsByNumber(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	startMenuBot(t, s)
	var out syncBuffer
	in := strings.NewReader("/start\n9\n1\n1\n")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := RunTerminal(ctx, s.URL(), budi, in, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Ketik nomor untuk menekan tombol",
		"🤖 Halo Budi!\n   Pilih kecamatan:",
		"[1] Kecamatan Lowokwaru",
		"[2] Kecamatan Klojen",
		"tidak ada tombol 9",
		"» Kecamatan Lowokwaru",
		"🤖 (diubah / edited) Kecamatan dipilih: d:35.73.05",
		"[1] Tlogomas",
		"» Tlogomas",
		"🤖 Terdaftar di Tlogomas ✅",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal output lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "[1] Tlogomas") > strings.Index(got, "» Tlogomas") {
		t.Errorf("pressed before the village keyboard was shown:\n%s", got)
	}
	if cb := s.Callbacks(); len(cb) != 2 {
		t.Errorf("callbacks answered = %d, want 2", len(cb))
	}
	msgs := s.Messages(budi.ID)
	if len(msgs) != 3 || msgs[0].Edits != 1 {
		t.Errorf("bot messages = %+v", msgs)
	}
}

func TestTerminalReturnsWhenContextEnds(t *testing.T) {
	s := NewTestServer(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	defer w.Close()
	done := make(chan error, 1)
	go func() { done <- RunTerminal(ctx, s.URL(), budi, r, &syncBuffer{}) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunTerminal did not return after ctx ended")
	}
}
