package aspiration

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/kimbot/kimbot/bot/internal/chat"
)

// How long the chat flows remember a half-done step. Expiry only means
// the person starts that step again; nothing filed is kept here.
const (
	draftTTL   = 30 * time.Minute // a guided /aspirasi
	forwardTTL = 15 * time.Minute // a forwarded message waiting for /aspirasi
	pendingTTL = 30 * time.Minute // a moderator's Jawab/Tolak waiting for the text
)

// pending is a moderator's button press waiting for the text that
// completes it: the answer, or the reason of a rejection.
type pending struct {
	Action   string `json:"action"` // aspirations.ActionAnswer or ActionReject
	TicketID int64  `json:"ticket_id"`
	Number   string `json:"number"`
	// PostID is the post or card whose buttons started it; its buttons
	// are redrawn when the ticket changes.
	PostID int `json:"post_id,omitempty"`
}

// forward is a forwarded message the resident may file as cek hoaks.
type forward struct {
	Text     string `json:"text"`
	UpdateID int64  `json:"update_id"`
	// Check is what the authenticity check found (aspirations.CheckOfficial,
	// CheckEdited or ""), carried onto the ticket.
	Check string `json:"check,omitempty"`
}

// forwardKey is where the forward offered to r's chat waits.
func forwardKey(r *chat.Request) string { return r.Store().Key("asp", "fwd", r.ChatID) }

// pendingKey is where a staff member's pending Jawab/Tolak in r's chat
// waits for its text.
func pendingKey(r *chat.Request, userID int64) string {
	return r.Store().Key("asp", "pend", r.ChatID, userID)
}

// drop forgets a half-done step; if Redis fails the key expires anyway.
func drop(ctx context.Context, r *chat.Request, key string) {
	_ = r.Store().Drop(ctx, key)
}

// newDraftID names a draft; it becomes the filing's idempotency key.
func newDraftID() string {
	var b [9]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b[:])
}
