package bot_test

import (
	"cmp"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/message"
)

func TestSender_Classifies(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	user := emulator.User{ID: 501, FirstName: "Sari"}
	emu.SendText(user, "halo") // Telegram only lets the bot write to chats that wrote first
	s, err := bot.NewSender("123:TEST", emu.URL(), 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := s.Send(ctx, user.ID, message.Message{Text: "<b>Siaran</b>", Buttons: [][]message.Button{{{Text: "Info", URL: "https://example.go.id"}}}})
	if err != nil || id == 0 {
		t.Fatalf("send = %d, %v", id, err)
	}
	if got := emu.Messages(user.ID); len(got) != 1 || got[0].Text != "<b>Siaran</b>" || len(got[0].Buttons) != 1 {
		t.Fatalf("emulator recorded %+v", got)
	}
	tests := []struct {
		name  string
		fault emulator.Fault
		chat  int64
		want  message.Kind
	}{
		{"flood", emulator.Fault{Code: 429, RetryAfter: 7, Times: 1}, user.ID, message.RetryAfter},
		{"blocked", emulator.Fault{Code: 403, Times: 1}, user.ID, message.Blocked},
		{"server error", emulator.Fault{Code: 502, Times: 1}, user.ID, message.Transient},
		{"other bad request", emulator.Fault{Code: 400, Description: "Bad Request: message is too long", Times: 1}, user.ID, message.Permanent},
		{"chat not found", emulator.Fault{}, 999999, message.ChatNotFound},
		{"read timeout after delivery", emulator.Fault{Delay: time.Second, Deliver: true, Times: 1}, user.ID, message.Uncertain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu.ClearFaults()
			if tt.fault != (emulator.Fault{}) {
				emu.AddFault(tt.fault)
			}
			_, err := s.Send(ctx, tt.chat, message.Message{Text: "uji"})
			if got := message.KindOf(err); err == nil || got != tt.want {
				t.Fatalf("kind = %v (%v), want %v", got, err, tt.want)
			}
			if tt.want == message.RetryAfter && message.RetryAfterOf(err) != 7*time.Second {
				t.Fatalf("retry after = %v", message.RetryAfterOf(err))
			}
		})
	}
}

// TestSender_CallersDeadlineIsUncertain: a send whose request went out and
// whose caller's deadline (a reply's, the engine's) ended before Telegram
// answered may have been delivered: uncertain, never retried as
// transient, whichever of the client's timeout and the caller's deadline
// comes first. A caller that cancelled is not a timeout.
func TestSender_CallersDeadlineIsUncertain(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	user := emulator.User{ID: 502, FirstName: "Tono"}
	emu.SendText(user, "halo")
	emu.AddFault(emulator.Fault{Delay: time.Hour, Deliver: true})
	s, err := bot.NewSender("123:TEST", emu.URL(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := s.Send(ctx, user.ID, message.Message{Text: "uji"}); message.KindOf(err) != message.Uncertain {
		t.Fatalf("past the caller's deadline: %v (%v), want Uncertain", message.KindOf(err), err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	if _, err := s.Send(ctx, user.ID, message.Message{Text: "uji"}); message.KindOf(err) != message.Transient {
		t.Fatalf("cancelled by the caller: %v (%v), want Transient", message.KindOf(err), err)
	}
}

func TestSender_ErrorsNeverShowTheToken(t *testing.T) {
	const token = "987654:SECRET-token_value"
	s, err := bot.NewSender(token, "http://127.0.0.1:1", time.Second) // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), 1, message.Message{Text: "x"})
	if err == nil || message.KindOf(err) != message.Transient {
		t.Fatalf("send to a closed port = %v (%v), want Transient", err, message.KindOf(err))
	}
	if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "987654") {
		t.Fatalf("error text shows the token: %v", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) {
		t.Fatalf("redaction lost the error chain: %v", err)
	}
}

// TestSender_As: one Sender's views count every call under their kind,
// in one counter; edits and button answers count as replies.
func TestSender_As(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true})
	user := emulator.User{ID: 502, FirstName: "Budi"}
	emu.SendText(user, "halo")
	s, err := bot.NewSender("123:TEST", emu.URL(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(s.Collectors()...)
	ctx := context.Background()
	sends := []struct {
		sender message.Sender
		n      int
	}{{s, 1}, {s.As(bot.KindBroadcast), 2}, {s.As(bot.KindOutbox), 3}}
	var replyID int
	for _, c := range sends {
		for range c.n {
			id, err := c.sender.Send(ctx, user.ID, message.Message{Text: "uji"})
			if err != nil {
				t.Fatal(err)
			}
			replyID = cmp.Or(replyID, id) // the first message, edited below
		}
	}
	if err := s.As(bot.KindReply).Edit(ctx, user.ID, replyID, message.Message{Text: "uji lagi"}); err != nil {
		t.Fatal(err)
	}
	_ = s.AnswerCallback(ctx, "no-such-query", "", false) // counted whatever the emulator answers
	checks := []struct {
		labels []string
		want   float64
	}{
		{[]string{"kind", "reply", "method", "sendMessage", "outcome", "ok"}, 1},
		{[]string{"kind", "broadcast", "method", "sendMessage", "outcome", "ok"}, 2},
		{[]string{"kind", "outbox", "method", "sendMessage", "outcome", "ok"}, 3},
		{[]string{"kind", "reply", "method", "editMessageText", "outcome", "ok"}, 1},
		{[]string{"kind", "reply", "method", "answerCallbackQuery"}, 1},
		{[]string{"kind", "broadcast", "method", "editMessageText"}, -1},
	}
	for _, c := range checks {
		if got := metric(t, reg, "kimbot_telegram_sends_total", c.labels...); got != c.want {
			t.Errorf("kimbot_telegram_sends_total%v = %v, want %v", c.labels, got, c.want)
		}
	}
}
