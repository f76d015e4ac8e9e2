package bot

import (
	"context"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/message"
)

// InteractiveLimiter paces replies to people who are chatting: within the
// chat's own limit and against the same global budget as broadcasts
// (broadcast.Limiter implements it). A reply waits for a token; an error
// (ctx over) lets it go anyway, since Telegram's 429 still guards and a
// 429 on a reply is waited out and retried.
type InteractiveLimiter interface {
	TakeReply(ctx context.Context, chatID int64) error
}

// Edit replaces the text and buttons of a text message the bot sent. An
// edit that changes nothing is not an error.
func (s *Sender) Edit(ctx context.Context, chatID int64, messageID int, m message.Message) error {
	ctx, wrote := withWriteMarker(ctx)
	_, err := s.tg.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: chatID, MessageID: messageID,
		Text: m.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: editKeyboard(m.Buttons)})
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		err = nil
	}
	if err != nil {
		return s.count("editMessageText", classifyAfterWrite(ctx, err, wrote.Load()))
	}
	return s.count("editMessageText", nil)
}

// editKeyboard is like keyboard, but an empty keyboard (not nil) so that
// an edit without buttons removes the old ones.
func editKeyboard(rows [][]message.Button) models.ReplyMarkup {
	if len(rows) == 0 {
		return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	}
	return keyboard(rows)
}

// AnswerCallback stops the spinner on a pressed button, optionally with a
// short notice (alert: a dialog the person must close).
func (s *Sender) AnswerCallback(ctx context.Context, queryID, text string, alert bool) error {
	_, err := s.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: text, ShowAlert: alert})
	if err != nil {
		return s.count("answerCallbackQuery", classify(ctx, err))
	}
	return s.count("answerCallbackQuery", nil)
}

// MenuCommand is one entry of the command menu Telegram shows by "/".
type MenuCommand = chat.MenuCommand

// SetCommands registers the command menu.
func (s *Sender) SetCommands(ctx context.Context, cmds []MenuCommand) error {
	list := make([]models.BotCommand, len(cmds))
	for i, c := range cmds {
		list[i] = models.BotCommand{Command: c.Name, Description: c.Description}
	}
	_, err := s.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: list})
	if err != nil {
		return s.count("setMyCommands", classify(ctx, err))
	}
	return s.count("setMyCommands", nil)
}

// EditButtons replaces only the buttons of a message the bot sent (none:
// removes them). An edit that changes nothing is not an error.
func (s *Sender) EditButtons(ctx context.Context, chatID int64, messageID int, rows [][]message.Button) error {
	_, err := s.tg.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: chatID, MessageID: messageID,
		ReplyMarkup: editKeyboard(rows)})
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		err = nil
	}
	if err != nil {
		return s.count("editMessageReplyMarkup", classify(ctx, err))
	}
	return s.count("editMessageReplyMarkup", nil)
}

// Username asks Telegram (getMe) for the bot's @username.
func (s *Sender) Username(ctx context.Context) (string, error) {
	me, err := s.tg.GetMe(ctx)
	if err != nil {
		return "", classify(ctx, err)
	}
	return me.Username, nil
}

// SetWebhook points Telegram at url, which must carry secret in the
// X-Telegram-Bot-Api-Secret-Token header; only allowed update types come.
// Specs: https://core.telegram.org/bots/api#setwebhook
func (s *Sender) SetWebhook(ctx context.Context, url, secret string, allowed []string) error {
	_, err := s.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: url, SecretToken: secret, AllowedUpdates: allowed})
	if err != nil {
		return s.count("setWebhook", classify(ctx, err))
	}
	return s.count("setWebhook", nil)
}

// DeleteWebhook leaves webhook mode; pending updates stay with Telegram.
func (s *Sender) DeleteWebhook(ctx context.Context) error {
	_, err := s.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
	if err != nil {
		return s.count("deleteWebhook", classify(ctx, err))
	}
	return s.count("deleteWebhook", nil)
}
