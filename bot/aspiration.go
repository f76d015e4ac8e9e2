package bot

import (
	"context"
	"errors"
	"log/slog"
	"strconv"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// aspFlow holds the resident and moderator aspiration flows. Every rule
// (scope, transitions, limits, storage) lives in aspirations.Service; the
// flows translate Telegram updates into its calls and its answers and
// errors into short Indonesian messages.
type aspFlow struct {
	svc     *aspirations.Service
	subs    *broadcast.Subscribers
	ops     *broadcast.Operators
	regions *region.Store
	store   aspStore
	clock   message.Clock
	log     *slog.Logger
}

// residentVillage is the village the resident's aspirations go to: their
// subscription's, whatever its status. ok is false without one.
func (f *aspFlow) residentVillage(ctx context.Context, chatID int64) (region.Code, bool, error) {
	sub, err := f.subs.Get(ctx, chatID)
	if errors.Is(err, broadcast.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return sub.VillageCode, true, nil
}

// file stores the ticket and only then tells the resident its number.
func (f *aspFlow) file(ctx context.Context, b *tgbot.Bot, chatID int64, nt aspirations.NewTicket) bool {
	t, err := f.svc.File(ctx, nt)
	if err != nil {
		f.sayFileError(ctx, b, chatID, err)
		return false
	}
	f.log.Info("aspiration filed", "ticket", t.Number)
	f.say(ctx, b, chatID, catalog.T("asp.filed", t.Number))
	return true
}

// aspFileErrorKey maps a filing error to what the resident reads.
func aspFileErrorKey(err error) catalog.Key {
	switch {
	case errors.Is(err, aspirations.ErrFlood):
		return "asp.err_flood"
	case errors.Is(err, aspirations.ErrTextTooShort):
		return "asp.err_too_short"
	case errors.Is(err, aspirations.ErrTextTooLong):
		return "asp.err_too_long"
	case errors.Is(err, aspirations.ErrAnonymousDocument):
		return "asp.err_anon_document"
	case errors.Is(err, aspirations.ErrAttachmentType):
		return "asp.err_attachment"
	}
	return "asp.err_generic"
}

func (f *aspFlow) sayFileError(ctx context.Context, b *tgbot.Bot, chatID int64, err error) {
	key := aspFileErrorKey(err)
	if key == "asp.err_generic" {
		f.log.Error("filing aspiration", "err", err)
	}
	f.say(ctx, b, chatID, catalog.T(key))
}

// say sends a plain text; a failure is logged (the resident can retry).
func (f *aspFlow) say(ctx context.Context, b *tgbot.Bot, chatID int64, text string) {
	f.show(ctx, b, chatID, message.Message{Text: text})
}

func (f *aspFlow) show(ctx context.Context, b *tgbot.Bot, chatID int64, m message.Message) int {
	id, err := aspSend(ctx, b, chatID, m)
	if err != nil {
		f.log.Warn("sending aspiration reply", "err", err)
	}
	return id
}

// aspSourceKey is the idempotency key of a filing triggered by update u:
// a redelivered update files nothing twice.
func aspSourceKey(u *models.Update) string {
	return "upd:" + strconv.FormatInt(u.ID, 10)
}
