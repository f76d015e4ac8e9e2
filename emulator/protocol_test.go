package emulator

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// newLibBot is the real go-telegram/bot client pointed at the emulator.
func newLibBot(t *testing.T, s *Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	base := []bot.Option{
		bot.WithServerURL(s.URL()),
		bot.WithHTTPClient(3*time.Second, &http.Client{Timeout: 10 * time.Second}),
		bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {}),
		bot.WithErrorsHandler(func(error) {}),
	}
	b, err := bot.New("123:TEST", append(base, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

func TestLibraryGetMeWithEmptyBody(t *testing.T) {
	s := NewTestServer(t, Options{BotUsername: "kimbot_demo_bot"})
	b := newLibBot(t, s) // New calls getMe, which sends an empty multipart body
	me, err := b.GetMe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.Username != "kimbot_demo_bot" || !me.IsBot || me.ID != 1000 {
		t.Fatalf("getMe = %+v", me)
	}
}

func TestLibrarySendEditAnswerCommands(t *testing.T) {
	ctx := context.Background()
	s := NewTestServer(t, Options{Unlimited: true})
	b := newLibBot(t, s, bot.WithSkipGetMe())
	s.SendText(budi, "/start")

	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: "Kecamatan Lowokwaru", CallbackData: "d:35.73.05"}, {Text: "Situs", URL: "https://example.org"}},
	}}
	msg, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: budi.ID, Text: "<b>Halo</b> Budi &amp; warga", ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	if msg.ID == 0 || msg.Chat.ID != budi.ID || msg.Date == 0 || msg.ReplyMarkup == nil {
		t.Fatalf("sendMessage result = %+v", msg)
	}
	got := s.Messages(budi.ID)
	if len(got) != 1 || got[0].Text != "<b>Halo</b> Budi &amp; warga" || got[0].ParseMode != "HTML" ||
		got[0].Buttons[0][0].CallbackData != "d:35.73.05" || got[0].Buttons[0][1].URL != "https://example.org" {
		t.Fatalf("recorded = %+v", got)
	}

	edited, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: budi.ID, MessageID: msg.ID, Text: "Dipilih: Lowokwaru"})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Text != "Dipilih: Lowokwaru" || edited.EditDate == 0 {
		t.Fatalf("edit result = %+v", edited)
	}
	got = s.Messages(budi.ID)
	if got[0].Text != "Dipilih: Lowokwaru" || got[0].Edits != 1 || got[0].Buttons != nil {
		t.Fatalf("after edit (keyboard removed like Telegram) = %+v", got[0])
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: budi.ID, MessageID: msg.ID, Text: "Dipilih: Lowokwaru"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Fatalf("same edit: %v", err)
	}

	ok, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "start", Description: "Mulai"}, {Command: "bantuan", Description: "Bantuan"}}})
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if cmds := s.Commands(); len(cmds) != 2 || cmds[1] != (Command{"bantuan", "Bantuan"}) {
		t.Fatalf("commands = %+v", cmds)
	}

	copied, err := b.CopyMessage(ctx, &bot.CopyMessageParams{ChatID: budi.ID, FromChatID: budi.ID, MessageID: msg.ID})
	if err != nil || copied.ID != msg.ID+1 {
		t.Fatalf("copyMessage = %+v, %v", copied, err)
	}
	if fw, err := b.ForwardMessage(ctx, &bot.ForwardMessageParams{ChatID: budi.ID, FromChatID: budi.ID, MessageID: 1}); err != nil || fw.Text != "/start" {
		t.Fatalf("forwardMessage of the user's /start = %+v, %v", fw, err)
	}
	if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: budi.ID, Photo: &models.InputFileUpload{Filename: "p.jpg", Data: strings.NewReader("jpegdata")}, Caption: "Foto"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: budi.ID, Document: &models.InputFileString{Data: "BQACAgIAAxk"}, Caption: "Laporan"}); err != nil {
		t.Fatal(err)
	}
	got = s.Messages(budi.ID)
	if len(got) != 5 || got[2].Method != "forwardMessage" || got[3].Method != "sendPhoto" || !strings.HasPrefix(got[3].PhotoFileID, "emu-photo-") || got[4].DocumentFileID != "BQACAgIAAxk" {
		t.Fatalf("messages = %+v", got)
	}
	if ok, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: budi.ID, MessageID: msg.ID}); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if n := len(s.Messages(budi.ID)); n != 4 {
		t.Fatalf("after delete: %d messages", n)
	}
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: budi.ID, Action: models.ChatActionTyping}); err != nil {
		t.Fatal(err)
	}
	chat, err := b.GetChat(ctx, &bot.GetChatParams{ChatID: budi.ID})
	if err != nil || chat.Type != models.ChatTypePrivate || chat.FirstName != "Budi" {
		t.Fatalf("getChat = %+v, %v", chat, err)
	}
}

func TestLibraryErrorsAreTyped(t *testing.T) {
	ctx := context.Background()
	s := NewTestServer(t, Options{})
	b := newLibBot(t, s, bot.WithSkipGetMe())

	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 777, Text: "halo"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("unknown chat: %v", err)
	}
	s.SendText(budi, "hai")
	s.Block(budi)
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: budi.ID, Text: "halo"})
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
		t.Fatalf("blocked: %v", err)
	}
	s.Unblock(budi)
	for range 3 {
		if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: budi.ID, Text: "halo"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: budi.ID, Text: "halo"})
	var tmr *bot.TooManyRequestsError
	if !errors.As(err, &tmr) || tmr.RetryAfter < 1 {
		t.Fatalf("4th send in a burst: %v", err)
	}
	s.AddFault(Fault{Code: 502, Times: 1})
	if _, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: budi.ID, Text: "halo"}); err == nil || !strings.Contains(err.Error(), "502") {
		t.Fatalf("502 fault: %v", err)
	}
	s2 := NewTestServer(t, Options{Token: "42:RIGHT"})
	b2 := newLibBot(t, s2, bot.WithSkipGetMe())
	if _, err := b2.GetMe(ctx); !errors.Is(err, bot.ErrorUnauthorized) {
		t.Fatalf("wrong token: %v", err)
	}
}

// TestLibraryPollingDecodesEveryUpdateKind runs the library's own polling
// loop and checks that every kind of injected update decodes into its
// models, and that the offset it sends confirms them.
func TestLibraryPollingDecodesEveryUpdateKind(t *testing.T) {
	s := NewTestServer(t, Options{})
	got := make(chan *models.Update, 64)
	commands := make(chan string, 8)
	b := newLibBot(t, s, bot.WithSkipGetMe(), bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
	b.RegisterHandler(bot.HandlerTypeMessageText, "start", bot.MatchTypeCommand, func(_ context.Context, _ *bot.Bot, u *models.Update) {
		commands <- u.Message.Text
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	group := Chat{ID: -100123, Type: "supergroup", Title: "Moderator Tlogomas"}
	s.SendText(budi, "/start 3573051003")
	select {
	case c := <-commands:
		if c != "/start 3573051003" {
			t.Fatalf("command handler got %q", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the library's command handler did not match the injected /start")
	}
	s.SendText(budi, "👋 halo /start")
	u := next(t, got) // the library reads UTF-16 offsets as bytes, so this one misses its command handler
	if e := u.Message.Entities; len(e) != 1 || e[0].Offset != 8 || e[0].Length != 6 {
		t.Fatalf("entities of a command after an emoji = %+v", e)
	}
	s.SendGroupText(group, budi, "/start@kimbot_test_bot")
	u = next(t, got)
	if e := u.Message.Entities; len(e) != 1 || e[0].Type != models.MessageEntityTypeBotCommand || e[0].Length != len("/start@kimbot_test_bot") || u.Message.Chat.Type != models.ChatTypeSupergroup {
		t.Fatalf("group command = %+v", u.Message)
	}
	ctxSend := context.Background()
	sent, err := b.SendMessage(ctxSend, &bot.SendMessageParams{ChatID: budi.ID, Text: "Pilih", ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "A", CallbackData: "a"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	s.PressButton(budi, budi.ID, sent.ID, "a")
	u = next(t, got)
	if cq := u.CallbackQuery; cq == nil || cq.Data != "a" || cq.Message.Message == nil || cq.Message.Message.ID != sent.ID || cq.Message.Message.ReplyMarkup == nil {
		t.Fatalf("callback = %+v", u.CallbackQuery)
	}
	if _, err := b.AnswerCallbackQuery(ctxSend, &bot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "Oke"}); err != nil {
		t.Fatal(err)
	}
	if cb := s.Callbacks(); len(cb) != 1 || cb[0].Text != "Oke" {
		t.Fatalf("callbacks = %+v", cb)
	}
	s.PressButton(budi, budi.ID, 9999, "stale")
	if u = next(t, got); u.CallbackQuery.Message.Message == nil || u.CallbackQuery.Data != "stale" {
		t.Fatalf("stale press = %+v", u.CallbackQuery)
	}
	s.Reply(budi, budi.ID, sent.ID, "ini balasan")
	if u = next(t, got); u.Message.ReplyToMessage == nil || u.Message.ReplyToMessage.ID != sent.ID || u.Message.ReplyToMessage.From.ID != 1000 {
		t.Fatalf("reply = %+v", u.Message)
	}
	s.SendPhoto(budi, budi.ID, "foto jalan rusak")
	if u = next(t, got); len(u.Message.Photo) != 3 || u.Message.Caption != "foto jalan rusak" {
		t.Fatalf("photo = %+v", u.Message)
	}
	s.SendDocument(budi, group.ID, "surat.pdf", "application/pdf", "")
	if u = next(t, got); u.Message.Document == nil || u.Message.Document.FileName != "surat.pdf" || u.Message.Chat.ID != group.ID {
		t.Fatalf("document = %+v", u.Message)
	}
	s.SendLocation(budi, budi.ID, -7.95, 112.61)
	if u = next(t, got); u.Message.Location == nil || u.Message.Location.Latitude != -7.95 {
		t.Fatalf("location = %+v", u.Message)
	}
	s.SendSticker(budi)
	if u = next(t, got); u.Message.Sticker == nil || u.Message.Sticker.Type != "regular" {
		t.Fatalf("sticker = %+v", u.Message)
	}
	s.Forward(budi, "info banjir", "Info Malang")
	if u = next(t, got); u.Message.ForwardOrigin == nil || u.Message.ForwardOrigin.MessageOriginChat == nil || u.Message.ForwardOrigin.MessageOriginChat.SenderChat.Title != "Info Malang" {
		t.Fatalf("forward chat = %+v", u.Message.ForwardOrigin)
	}
	s.Forward(budi, "pesan teman", "")
	if u = next(t, got); u.Message.ForwardOrigin == nil || u.Message.ForwardOrigin.MessageOriginUser == nil {
		t.Fatalf("forward user = %+v", u.Message.ForwardOrigin)
	}
	s.Block(budi)
	if u = next(t, got); u.MyChatMember == nil || u.MyChatMember.NewChatMember.Type != models.ChatMemberTypeBanned || u.MyChatMember.OldChatMember.Type != models.ChatMemberTypeMember {
		t.Fatalf("block = %+v", u.MyChatMember)
	}
	last := s.AddBotToGroup(Chat{ID: -200, Type: "group", Title: "RW 05"}, budi)
	if u = next(t, got); u.MyChatMember == nil || u.MyChatMember.NewChatMember.Type != models.ChatMemberTypeMember || u.MyChatMember.Chat.Title != "RW 05" {
		t.Fatalf("added to group = %+v", u.MyChatMember)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.AckedUpdateID() != last && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s.AckedUpdateID() != last || s.PendingUpdates() != 0 {
		t.Fatalf("acked %d pending %d, want %d and 0", s.AckedUpdateID(), s.PendingUpdates(), last)
	}
}

func next(t *testing.T, ch chan *models.Update) *models.Update {
	t.Helper()
	select {
	case u := <-ch:
		return u
	case <-time.After(5 * time.Second):
		t.Fatal("no update within 5s")
		return nil
	}
}

// TestLibraryMigratedGroup: after MigrateGroup a send to the old id is the
// library's *MigrateError naming the new id, sends to the new id work, and
// both service messages arrive with their ids.
func TestLibraryMigratedGroup(t *testing.T) {
	ctx := context.Background()
	s := NewTestServer(t, Options{Unlimited: true})
	got := make(chan *models.Update, 8)
	b := newLibBot(t, s, bot.WithSkipGetMe(), bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
	s.AddBotToGroup(Chat{ID: -4500000001, Type: "group", Title: "KIM Tlogomas"}, budi)
	s.MigrateGroup(-4500000001, -1002400000001, budi)

	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(-4500000001), Text: "halo"})
	var mig *bot.MigrateError
	if !errors.As(err, &mig) || mig.MigrateToChatID != -1002400000001 || !strings.Contains(err.Error(), "upgraded to a supergroup") {
		t.Fatalf("send to the old id: %v", err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(-1002400000001), Text: "halo"}); err != nil {
		t.Fatalf("send to the new id: %v", err)
	}
	if st := s.Stats(); st.ToMigrated != 1 || st.Sends != 1 {
		t.Fatalf("stats %+v, want one send refused as migrated and one accepted", st)
	}
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { b.Start(pctx); close(done) }()
	defer func() { cancel(); <-done }()
	var to, from int64
	for range 3 { // the bot joining, then the two service messages
		if m := next(t, got).Message; m != nil && m.MigrateToChatID != 0 && m.Chat.ID == -4500000001 {
			to = m.MigrateToChatID
		} else if m != nil && m.MigrateFromChatID != 0 && m.Chat.ID == -1002400000001 && m.Chat.Type == models.ChatTypeSupergroup {
			from = m.MigrateFromChatID
		}
	}
	if to != -1002400000001 || from != -4500000001 {
		t.Fatalf("service messages: migrate_to %d, migrate_from %d", to, from)
	}
}

// TestLibraryAnonymousAdmin: a reply an anonymous admin sends decodes with
// GroupAnonymousBot as the sender and the group as sender_chat.
func TestLibraryAnonymousAdmin(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	got := make(chan *models.Update, 8)
	b := newLibBot(t, s, bot.WithSkipGetMe(), bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
	group := Chat{ID: -100777, Type: "supergroup", Title: "KIM"}
	s.AddBotToGroup(group, budi)
	sent, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: group.ID, Text: "Balas pesan ini"})
	if err != nil {
		t.Fatal(err)
	}
	s.ReplyAsChat(group.ID, sent.ID, "jawaban")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	var m *models.Message
	for m == nil { // past the bot joining
		m = next(t, got).Message
	}
	if m == nil || m.From == nil || m.From.ID != GroupAnonymousBot.ID || !m.From.IsBot || m.SenderChat == nil ||
		m.SenderChat.ID != group.ID || m.ReplyToMessage == nil || m.ReplyToMessage.ID != sent.ID {
		t.Fatalf("anonymous admin's reply = %+v", m)
	}
}

// TestLibraryBotRemovedFromGroup: the removal arrives as my_chat_member
// with status kicked, and sends to the group are then 403 Forbidden.
func TestLibraryBotRemovedFromGroup(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	got := make(chan *models.Update, 8)
	b := newLibBot(t, s, bot.WithSkipGetMe(), bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
	group := Chat{ID: -100778, Type: "supergroup", Title: "KIM"}
	s.AddBotToGroup(group, budi)
	s.RemoveBotFromGroup(group.ID, budi)
	_, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: group.ID, Text: "halo"})
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "kicked from the group") {
		t.Fatalf("send after removal: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	var kicked bool
	for range 2 {
		if cm := next(t, got).MyChatMember; cm != nil && cm.NewChatMember.Type == models.ChatMemberTypeBanned {
			kicked = true
		}
	}
	if !kicked {
		t.Fatal("no my_chat_member update with status kicked")
	}
}
