package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"

	"github.com/kimbot/kimbot/catalog"
)

// askVillage asks a resident without a subscription to pick a village
// before filing.
func (f *aspFlow) askVillage(ctx context.Context, b *tgbot.Bot, chatID int64) {
	f.say(ctx, b, chatID, catalog.T("asp.need_village"))
}
