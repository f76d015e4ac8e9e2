package emulator

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

var kimForum = Chat{ID: -1002500000001, Type: "supergroup", Title: "KIM Tlogomas"}

// TestServer_Topics: a topic's messages carry message_thread_id and
// is_topic_message (and reply to the topic's service message, as
// Telegram's do); every send method takes message_thread_id, records it
// and refuses a thread the chat does not have.
func TestServer_Topics(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	thread := s.CreateTopic(kimForum, budi, "Aspirasi")
	s.SendTopicText(kimForum, thread, budi, "/antrian")
	s.SendTopicText(kimForum, 0, budi, "di General")
	var us []struct {
		Message wMessage `json:"message"`
	}
	mustOK(t, call(t, s, "getUpdates", nil), &us)
	if len(us) != 3 {
		t.Fatalf("updates = %+v, want the topic's service message and two texts", us)
	}
	created, inTopic, general := us[0].Message, us[1].Message, us[2].Message
	if !created.Chat.IsForum || created.ForumTopicCreated == nil || created.ForumTopicCreated.Name != "Aspirasi" || created.MessageID != thread {
		t.Fatalf("service message = %+v", created)
	}
	if inTopic.MessageThreadID != thread || !inTopic.IsTopicMessage || inTopic.ReplyToMessage == nil || inTopic.ReplyToMessage.MessageID != thread {
		t.Fatalf("message in the topic = %+v", inTopic)
	}
	if general.MessageThreadID != 0 || general.IsTopicMessage || general.ReplyToMessage != nil {
		t.Fatalf("message in General = %+v", general)
	}

	chatID := strconv.FormatInt(kimForum.ID, 10)
	th := strconv.Itoa(thread)
	var sent wMessage
	mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": chatID, "text": "Antrian", "message_thread_id": th}), &sent)
	if sent.MessageThreadID != thread || !sent.IsTopicMessage {
		t.Fatalf("sendMessage result = %+v", sent)
	}
	mustOK(t, call(t, s, "sendPhoto", map[string]string{"chat_id": chatID, "photo": "emu-photo-1", "message_thread_id": th}), nil)
	mustOK(t, call(t, s, "sendDocument", map[string]string{"chat_id": chatID, "document": "emu-document-1", "message_thread_id": th}), nil)
	mustOK(t, call(t, s, "copyMessage", map[string]string{"chat_id": chatID, "from_chat_id": chatID,
		"message_id": strconv.Itoa(sent.MessageID), "message_thread_id": th}), nil)
	mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": chatID, "text": "ke General"}), nil)
	got := s.Messages(kimForum.ID)
	if len(got) != 5 {
		t.Fatalf("recorded %d messages, want 5: %s", len(got), describe(got))
	}
	for _, m := range got[:4] {
		if m.ThreadID != thread {
			t.Fatalf("%s recorded in thread %d, want %d", m.Method, m.ThreadID, thread)
		}
	}
	if got[4].ThreadID != 0 {
		t.Fatalf("a send without message_thread_id went to thread %d, want General", got[4].ThreadID)
	}

	for _, method := range []string{"sendMessage", "sendPhoto", "sendDocument", "copyMessage"} {
		f := map[string]string{"chat_id": chatID, "text": "x", "photo": "emu-photo-1", "document": "emu-document-1",
			"from_chat_id": chatID, "message_id": strconv.Itoa(sent.MessageID), "message_thread_id": "777"}
		wantError(t, call(t, s, method, f), 400, "Bad Request: message thread not found")
	}
	s.SendText(budi, "halo")
	wantError(t, call(t, s, "sendMessage", map[string]string{"chat_id": strconv.FormatInt(budi.ID, 10), "text": "x", "message_thread_id": th}),
		400, "message thread not found")
}

// TestServer_RepliesKeepTheirThread: a reply to a message in a topic is in
// that topic; in a supergroup without topics a reply carries its reply
// thread but is no topic message, and a button press shows the pressed
// message's thread.
func TestServer_RepliesKeepTheirThread(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	thread := s.CreateTopic(kimForum, budi, "Aspirasi")
	chatID := strconv.FormatInt(kimForum.ID, 10)
	var post wMessage
	mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": chatID, "text": "Tiket", "message_thread_id": strconv.Itoa(thread),
		"reply_markup": `{"inline_keyboard":[[{"text":"Jawab","callback_data":"j"}]]}`}), &post)
	s.Reply(budi, kimForum.ID, post.MessageID, "jawaban")
	s.PressButton(budi, kimForum.ID, post.MessageID, "j")

	plain := Chat{ID: -1002500000002, Type: "supergroup", Title: "KIM Dinoyo"}
	s.SendGroupText(plain, budi, "halo")
	s.Reply(budi, plain.ID, 1, "balas")
	var us []wUpdate
	mustOK(t, call(t, s, "getUpdates", nil), &us)
	if len(us) != 5 {
		t.Fatalf("got %d updates, want 5", len(us))
	}
	if r := us[1].Message; r.MessageThreadID != thread || !r.IsTopicMessage || r.ReplyToMessage.MessageID != post.MessageID {
		t.Fatalf("reply in the topic = %+v", r)
	}
	if m := us[2].CallbackQuery.Message; m.MessageThreadID != thread || !m.IsTopicMessage {
		t.Fatalf("pressed message = %+v", m)
	}
	if r := us[4].Message; r.MessageThreadID != 1 || r.IsTopicMessage || r.Chat.IsForum {
		t.Fatalf("reply in a supergroup without topics = %+v", r)
	}
}

// TestLibraryTopics: through go-telegram/bot, a topic message decodes with
// its thread and the forum flag, MessageThreadID on a send lands in the
// topic, and a thread that does not exist is a Bad Request.
func TestLibraryTopics(t *testing.T) {
	ctx := context.Background()
	s := NewTestServer(t, Options{Unlimited: true})
	got := make(chan *models.Update, 8)
	b := newLibBot(t, s, bot.WithSkipGetMe(), bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
	thread := s.CreateTopic(kimForum, budi, "Aspirasi")
	s.SendTopicText(kimForum, thread, budi, "/tautkan G7F3KQ9")
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { b.Start(pctx); close(done) }()
	defer func() { cancel(); <-done }()
	var created, m *models.Message
	for range 2 { // handlers run concurrently: either may come first
		if u := next(t, got).Message; u != nil && u.ForumTopicCreated != nil {
			created = u
		} else {
			m = u
		}
	}
	if created == nil || created.ForumTopicCreated.Name != "Aspirasi" || created.ID != thread {
		t.Fatalf("service message = %+v", created)
	}
	if m == nil || m.MessageThreadID != thread || !m.IsTopicMessage || !m.Chat.IsForum {
		t.Fatalf("topic message = %+v", m)
	}
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: kimForum.ID, MessageThreadID: m.MessageThreadID, Text: "Tertaut"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageThreadID != thread || !sent.IsTopicMessage {
		t.Fatalf("sent = %+v", sent)
	}
	if rec := s.Messages(kimForum.ID); len(rec) != 1 || rec[0].ThreadID != thread {
		t.Fatalf("recorded = %s", describe(rec))
	}
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: kimForum.ID, MessageThreadID: 777, Text: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message thread not found") {
		t.Fatalf("send to a missing thread: %v", err)
	}
}
