package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// How long the chat flows remember a half-done step. Expiry only means
// the person starts that step again; nothing filed is kept here.
const (
	aspDraftTTL   = 30 * time.Minute // a guided /aspirasi
	aspForwardTTL = 15 * time.Minute // a forwarded message waiting for /aspirasi
	aspPendingTTL = 30 * time.Minute // a moderator's Jawab/Tolak waiting for the text
)

// aspPending is a moderator's button press waiting for the text that
// completes it: the answer, or the reason of a rejection.
type aspPending struct {
	Action   string `json:"action"` // aspirations.ActionAnswer or ActionReject
	TicketID int64  `json:"ticket_id"`
	Number   string `json:"number"`
	// PostID is the post or card whose buttons started it; its buttons
	// are redrawn when the ticket changes.
	PostID int `json:"post_id,omitempty"`
}

// aspForward is a forwarded message the resident may file as cek hoaks.
type aspForward struct {
	Text     string `json:"text"`
	UpdateID int64  `json:"update_id"`
}

// aspStore keeps the flows' short-lived state in Redis under prefix.
type aspStore struct {
	rdb    *redis.Client
	prefix string
}

func (s aspStore) forwardKey(chatID int64) string {
	return s.prefix + "asp:fwd:" + strconv.FormatInt(chatID, 10)
}

func (s aspStore) pendingKey(chatID, userID int64) string {
	return s.prefix + "asp:pend:" + strconv.FormatInt(chatID, 10) + ":" + strconv.FormatInt(userID, 10)
}

// load reads key into v; found is false when there is nothing (or Redis
// is down, which the caller treats the same: start over).
func (s aspStore) load(ctx context.Context, key string, v any) (found bool, err error) {
	raw, err := s.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading flow state: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, nil // an old or broken state: start over
	}
	return true, nil
}

func (s aspStore) save(ctx context.Context, key string, v any, ttl time.Duration) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding flow state: %w", err)
	}
	if err := s.rdb.Set(ctx, key, raw, ttl).Err(); err != nil {
		return fmt.Errorf("saving flow state: %w", err)
	}
	return nil
}

func (s aspStore) drop(ctx context.Context, key string) {
	_ = s.rdb.Del(ctx, key).Err() // an undeleted key expires by itself
}

// aspNewDraftID names a draft; it becomes the filing's idempotency key.
func aspNewDraftID() string {
	var b [9]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b[:])
}
