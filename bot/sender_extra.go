package bot

import (
	"context"
	"errors"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/message"
)

// InteractiveLimiter paces replies to people who are chatting against the
// same global budget as broadcasts (broadcast.Limiter implements it). A
// reply waits for a token; an error (Redis down, ctx over) lets it go
// anyway, since a reply is one message and Telegram's 429 still guards.
type InteractiveLimiter interface {
	TakeInteractive(ctx context.Context) error
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
type MenuCommand struct {
	Name        string
	Description string
}

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

// isBlocked reports whether err says the person blocked the bot.
func isBlocked(err error) bool {
	var se *message.SendError
	return errors.As(err, &se) && se.Kind == message.Blocked
}
