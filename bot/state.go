package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// State is where a chat is in a multi-step flow ("resident"/"pick": the
// resident is choosing a village). It lives in Redis with a TTL, so it
// survives a restart and is shared by every replica; losing it only means
// the person starts the step again.
type State struct {
	Flow string            `json:"flow"`
	Step string            `json:"step"`
	Data map[string]string `json:"data,omitempty"`
}

// ErrStateUnavailable is returned when Redis cannot be reached: commands
// still work, flows ask the person to try again.
var ErrStateUnavailable = errors.New("conversation state unavailable")

// DefaultStateTTL is how long an untouched flow is remembered.
const DefaultStateTTL = 30 * time.Minute

// states keeps State per chat under prefix.
type states struct {
	rdb    *redis.Client
	prefix string
	ttl    time.Duration
}

func (s states) key(chatID int64) string {
	return s.prefix + "bot:state:" + strconv.FormatInt(chatID, 10)
}

// get returns the chat's state; the zero State when it has none (or an
// unreadable one).
func (s states) get(ctx context.Context, chatID int64) (State, error) {
	if s.rdb == nil {
		return State{}, ErrStateUnavailable
	}
	raw, err := s.rdb.Get(ctx, s.key(chatID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("%w: reading: %w", ErrStateUnavailable, err)
	}
	var st State
	if json.Unmarshal(raw, &st) != nil {
		return State{}, nil
	}
	return st, nil
}

// set keeps st for the chat (refreshing the TTL); a State with no Flow
// clears it.
func (s states) set(ctx context.Context, chatID int64, st State) error {
	if s.rdb == nil {
		return ErrStateUnavailable
	}
	if st.Flow == "" {
		return s.clear(ctx, chatID)
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encoding state: %w", err)
	}
	if err := s.rdb.Set(ctx, s.key(chatID), raw, s.ttl).Err(); err != nil {
		return fmt.Errorf("%w: saving: %w", ErrStateUnavailable, err)
	}
	return nil
}

func (s states) clear(ctx context.Context, chatID int64) error {
	if s.rdb == nil {
		return ErrStateUnavailable
	}
	if err := s.rdb.Del(ctx, s.key(chatID)).Err(); err != nil {
		return fmt.Errorf("%w: clearing: %w", ErrStateUnavailable, err)
	}
	return nil
}
