package bot

import (
	"context"
	"fmt"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/message"
)

// aspKeyboard turns message buttons into Telegram's inline keyboard;
// nil rows give an empty keyboard, which removes the buttons on edit.
func aspKeyboard(rows [][]message.Button) *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	for _, row := range rows {
		r := make([]models.InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			r = append(r, models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data, URL: b.URL})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, r)
	}
	return kb
}

// aspSend sends m (HTML text with optional buttons) to chatID and returns
// Telegram's message id.
func aspSend(ctx context.Context, b *tgbot.Bot, chatID int64, m message.Message) (int, error) {
	p := &tgbot.SendMessageParams{ChatID: chatID, Text: m.Text, ParseMode: models.ParseModeHTML}
	if len(m.Buttons) > 0 {
		p.ReplyMarkup = aspKeyboard(m.Buttons)
	}
	if m.ReplyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}
	}
	sent, err := b.SendMessage(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("sending aspiration message: %w", err)
	}
	return sent.ID, nil
}

// aspEdit replaces the text and buttons of a message the bot sent before.
func aspEdit(ctx context.Context, b *tgbot.Bot, chatID int64, messageID int, m message.Message) error {
	_, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: chatID, MessageID: messageID,
		Text: m.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: aspKeyboard(m.Buttons)})
	if err != nil {
		return fmt.Errorf("editing aspiration message: %w", err)
	}
	return nil
}

// aspSetButtons replaces only the buttons of a message (a moderator post
// after a claim, a prompt after its button was used).
func aspSetButtons(ctx context.Context, b *tgbot.Bot, chatID int64, messageID int, rows [][]message.Button) error {
	_, err := b.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: chatID,
		MessageID: messageID, ReplyMarkup: aspKeyboard(rows)})
	if err != nil {
		return fmt.Errorf("editing aspiration buttons: %w", err)
	}
	return nil
}

// aspAnswerCallback stops the button's spinner; with alert the text shows
// as a dialog (refusals), else as a short toast.
func aspAnswerCallback(ctx context.Context, b *tgbot.Bot, cq *models.CallbackQuery, text string, alert bool) {
	_, _ = b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
		CallbackQueryID: cq.ID, Text: text, ShowAlert: alert}) // best effort: the spinner times out by itself
}

// aspCallbackMessage is the message a pressed button sits on, or nil when
// Telegram says it is no longer accessible.
func aspCallbackMessage(cq *models.CallbackQuery) *models.Message {
	if cq == nil {
		return nil
	}
	return cq.Message.Message
}
