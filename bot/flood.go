package bot

import (
	"context"
	"time"

	"github.com/kimbot/kimbot/bot/internal/chat"
)

// flooded counts r against its private chat's window and reports whether
// it is over the limit. A person tapping and typing sends far fewer than
// Config.FloodLimit updates in Config.FloodWindow; beyond it the chat gets
// one notice per window and its updates are set aside unhandled
// (acknowledged, not answered), so a flood costs the bot one reply, not
// one per message, and cannot spend Telegram's per-chat budget that the
// person's own confirmations need. Groups are not counted (many people
// write there; their refusals are spaced instead), and with Redis away
// nothing is.
func (a *App) flooded(ctx context.Context, r *chat.Request) bool {
	if a.cfg.FloodLimit < 0 || !r.Private || r.ChatID == 0 || a.deps.Redis == nil {
		return false
	}
	limit := int64(a.cfg.FloodLimit)
	rctx, cancel := context.WithTimeout(ctx, 250*time.Millisecond)
	defer cancel()
	key := a.store.Key("flood", r.ChatID)
	pipe := a.deps.Redis.TxPipeline()
	n := pipe.Incr(rctx, key)
	pipe.ExpireNX(rctx, key, a.cfg.FloodWindow)
	if _, err := pipe.Exec(rctx); err != nil {
		return false
	}
	switch {
	case n.Val() <= limit:
		return false
	case n.Val() == limit+1:
		a.log.Warn("chat flooding the bot", "update_id", r.Update.ID)
		if err := r.Say(ctx, "res.flood"); err != nil {
			a.log.Warn("telling a flooding chat to slow down", "update_id", r.Update.ID, "err", err)
		}
	}
	r.Answer(ctx, "") // a pressed button still stops spinning
	return true
}
