package bot

import (
	"context"
	"sync"
	"time"

	"github.com/kimbot/kimbot/bot/internal/chat"
)

// floodCounter counts each private chat's updates in fixed windows, in
// process: the check sits on every update's path, and a Redis round trip
// there cost the update-handling benchmark a fifth of its p99. With
// several replicas each counts what it handles, so a flood is stopped
// after at most the limit per replica; each chat's send limit (shared in
// Redis) still keeps Telegram's per-chat budget.
type floodCounter struct {
	mu      sync.Mutex
	windows map[int64]floodWindow
}

type floodWindow struct {
	start time.Time
	n     int
	album string // the media_group_id last counted: an album counts once
}

// maxFloodChats bounds the memory: past it the counts start over.
const maxFloodChats = 100_000

// count adds one update of chatID at now and returns the chat's count in
// its current window; the later items of an album (album, the
// media_group_id, as the last counted) add nothing, since one album of
// ten photos is one thing a person sent.
func (c *floodCounter) count(chatID int64, album string, now time.Time, window time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.windows == nil || len(c.windows) >= maxFloodChats {
		c.windows = map[int64]floodWindow{}
	}
	w := c.windows[chatID]
	if now.Sub(w.start) >= window {
		w = floodWindow{start: now}
	}
	if album == "" || album != w.album {
		w.n++
	}
	w.album = album
	c.windows[chatID] = w
	return w.n
}

// flooded counts r against its private chat's window and reports whether
// it is over the limit. A person tapping and typing sends far fewer than
// Config.FloodLimit updates in Config.FloodWindow; beyond it the chat gets
// one notice per window and its updates are set aside unhandled
// (acknowledged, not answered), so a flood costs the bot one reply, not
// one per message, and cannot spend Telegram's per-chat budget that the
// person's own confirmations need. Groups are not counted (many people
// write there; their refusals are spaced instead).
func (a *App) flooded(ctx context.Context, r *chat.Request) bool {
	if a.cfg.FloodLimit < 0 || !r.Private || r.ChatID == 0 {
		return false
	}
	album := ""
	if r.Message != nil {
		album = r.Message.MediaGroupID
	}
	n := a.floods.count(r.ChatID, album, a.deps.Clock.Now(), a.cfg.FloodWindow)
	switch {
	case n <= a.cfg.FloodLimit:
		return false
	case n == a.cfg.FloodLimit+1:
		a.log.Warn("chat flooding the bot", "update_id", r.Update.ID)
		if err := r.Say(ctx, "res.flood"); err != nil {
			a.log.Warn("telling a flooding chat to slow down", "update_id", r.Update.ID, "err", err)
		}
	}
	r.Answer(ctx, "") // a pressed button still stops spinning
	return true
}
