package bot_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

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
