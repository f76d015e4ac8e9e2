package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
// still work, flows ask the person to try again (the router answers
// "coba lagi sebentar" for any handler error wrapping it).
var ErrStateUnavailable = errors.New("conversation state unavailable")

// DefaultStateTTL is how long an untouched flow is remembered.
const DefaultStateTTL = 30 * time.Minute

// Store is the one conversation-state store: every flow's half-done steps
// (a chat's State, a guided /aspirasi draft, a moderator's pending Jawab)
// as JSON in Redis under one key prefix, each with a TTL. Nothing kept
// here is ever the only copy of something a person was told is saved.
type Store struct {
	rdb    *redis.Client
	prefix string
	ttl    time.Duration
}

// NewStore keeps state in rdb (nil: always ErrStateUnavailable) under
// prefix; State lives ttl (DefaultStateTTL when 0).
func NewStore(rdb *redis.Client, prefix string, ttl time.Duration) *Store {
	if ttl <= 0 {
		ttl = DefaultStateTTL
	}
	return &Store{rdb: rdb, prefix: prefix, ttl: ttl}
}

// Key names one piece of state from its parts: Key("asp", "draft", 42)
// is "<prefix>asp:draft:42".
func (s *Store) Key(parts ...any) string {
	var b strings.Builder
	b.WriteString(s.prefix)
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(':')
		}
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}

// Load reads key into v. found is false when there is nothing, or what is
// there cannot be read (an old or broken state: start over).
func (s *Store) Load(ctx context.Context, key string, v any) (found bool, err error) {
	if s.rdb == nil {
		return false, ErrStateUnavailable
	}
	raw, err := s.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%w: reading: %w", ErrStateUnavailable, err)
	}
	if json.Unmarshal(raw, v) != nil {
		return false, nil
	}
	return true, nil
}

// Save keeps v under key for ttl.
func (s *Store) Save(ctx context.Context, key string, v any, ttl time.Duration) error {
	if s.rdb == nil {
		return ErrStateUnavailable
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding state: %w", err)
	}
	if err := s.rdb.Set(ctx, key, raw, ttl).Err(); err != nil {
		return fmt.Errorf("%w: saving: %w", ErrStateUnavailable, err)
	}
	return nil
}

// Drop deletes key. A failure only matters to callers that must not see
// the state again; the rest may ignore it, since every key expires.
func (s *Store) Drop(ctx context.Context, key string) error {
	if s.rdb == nil {
		return ErrStateUnavailable
	}
	if err := s.rdb.Del(ctx, key).Err(); err != nil {
		return fmt.Errorf("%w: clearing: %w", ErrStateUnavailable, err)
	}
	return nil
}

// First reports whether key is new: it marks key for ttl and is true for
// the first caller only (SET NX), so a flood of the same event is acted on
// once per ttl.
func (s *Store) First(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if s.rdb == nil {
		return false, ErrStateUnavailable
	}
	ok, err := s.rdb.SetNX(ctx, key, 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("%w: marking: %w", ErrStateUnavailable, err)
	}
	return ok, nil
}

// stateKey is where a chat's State lives.
func (s *Store) stateKey(chatID int64) string { return s.Key("bot", "state", chatID) }

// state returns the chat's State; the zero State when it has none.
func (s *Store) state(ctx context.Context, chatID int64) (State, error) {
	var st State
	_, err := s.Load(ctx, s.stateKey(chatID), &st)
	return st, err
}

// setState keeps st for the chat (refreshing the TTL); a State with no
// Flow clears it.
func (s *Store) setState(ctx context.Context, chatID int64, st State) error {
	if st.Flow == "" {
		return s.Drop(ctx, s.stateKey(chatID))
	}
	return s.Save(ctx, s.stateKey(chatID), st, s.ttl)
}
