package chat

import (
	"context"
	"time"
)

// How long the parts of several messages sent together are recognised.
// Telegram delivers an album's items (and a multi-select forward's
// messages) one after another within a second or two, and the inbox hands
// one chat's updates over in order, so these windows are generous.
const (
	albumWindow   = 2 * time.Minute // an album's media_group_id is remembered
	forwardWindow = time.Minute     // a chat's last forward date is remembered
	// forwardGap is how far apart (in Telegram's message dates, seconds)
	// two forwards may be and still be one burst: Telegram dates every
	// message of a multi-select forward alike.
	forwardGap = 2
)

// InAlbum reports whether the message is one item of an album (photos or
// documents sent together, sharing a media_group_id). Specs:
// https://core.telegram.org/bots/api#message (media_group_id)
func (r *Request) InAlbum() bool {
	return r.Message != nil && r.Message.MediaGroupID != ""
}

// LaterInBatch reports whether the message is a later part of several
// sent together whose first part was already handled: another item of an
// album (same media_group_id), or, in a private chat, another forward of
// a burst (Telegram sends a multi-select forward as separate messages
// with no shared id, numbered one after another and dated alike, so a
// forward that directly follows the chat's previous forward, within
// forwardGap seconds, belongs to it). The
// Router acknowledges such messages without answering, so a step that
// expects one message answers once; the handler of the first part says
// what it kept (see InAlbum). With Redis away it is false: an extra
// answer is better than a lost message.
func (r *Request) LaterInBatch(ctx context.Context) bool {
	switch {
	case r.Message == nil:
		return false
	case r.InAlbum():
		first, err := r.store.First(ctx, r.store.Key("batch", "album", r.ChatID, r.Message.MediaGroupID), albumWindow)
		return err == nil && !first
	case r.Private && r.Message.ForwardOrigin != nil:
		return r.laterForward(ctx)
	}
	return false
}

// lastForward is the chat's previous forward, as Telegram numbered and
// dated it.
type lastForward struct {
	ID   int `json:"id"`
	Date int `json:"date"`
}

// laterForward remembers the forward and reports whether the chat's
// previous message was a forward dated within forwardGap before it: the
// messages of one multi-select forward are numbered one after another, so
// a forward after the bot's answer, or after anything the person typed,
// starts a new burst.
func (r *Request) laterForward(ctx context.Context) bool {
	key := r.store.Key("batch", "fwd", r.ChatID)
	var last lastForward
	found, err := r.store.Load(ctx, key, &last)
	if err != nil {
		return false
	}
	this := lastForward{ID: r.Message.ID, Date: r.Message.Date}
	if err := r.store.Save(ctx, key, this, forwardWindow); err != nil {
		return false
	}
	return found && this.ID == last.ID+1 && this.Date >= last.Date && this.Date-last.Date <= forwardGap
}
