package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/internal/redisconn"
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
//
// It sits on nearly every update's path, so each call has a short deadline
// and, once Redis failed, the Store does not ask it again for a moment
// (redisconn.Guard): a Redis that hangs costs an update at most
// redisconn.CallTimeout, and most updates nothing, instead of go-redis's
// seconds per call.
type Store struct {
	rdb    *redis.Client
	prefix string
	ttl    time.Duration
	guard  *redisconn.Guard
}

// NewStore keeps state in rdb (nil: always ErrStateUnavailable) under
// prefix; State lives ttl (DefaultStateTTL when 0).
func NewStore(rdb *redis.Client, prefix string, ttl time.Duration) *Store {
	if ttl <= 0 {
		ttl = DefaultStateTTL
	}
	return &Store{rdb: rdb, prefix: prefix, ttl: ttl, guard: redisconn.NewGuard(guardName, nil)}
}

const guardName = "conversation state"

// LogTo makes the Store log on logger when Redis stops and starts
// answering (once each); it returns s.
func (s *Store) LogTo(logger *slog.Logger) *Store {
	s.guard = redisconn.NewGuard(guardName, logger)
	return s
}

// do runs one call to Redis under the guard; a failure wraps
// ErrStateUnavailable.
func (s *Store) do(ctx context.Context, doing string, call func(ctx context.Context) error) error {
	err := s.guard.Do(ctx, call)
	if err == nil || errors.Is(err, redis.Nil) {
		return err
	}
	return fmt.Errorf("%w: %s: %w", ErrStateUnavailable, doing, err)
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
	var raw []byte
	err = s.do(ctx, "reading", func(ctx context.Context) (err error) {
		raw, err = s.rdb.Get(ctx, key).Bytes()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, err
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
	return s.do(ctx, "saving", func(ctx context.Context) error { return s.rdb.Set(ctx, key, raw, ttl).Err() })
}

// Drop deletes key. A failure only matters to callers that must not see
// the state again; the rest may ignore it, since every key expires.
func (s *Store) Drop(ctx context.Context, key string) error {
	if s.rdb == nil {
		return ErrStateUnavailable
	}
	return s.do(ctx, "clearing", func(ctx context.Context) error { return s.rdb.Del(ctx, key).Err() })
}

// First reports whether key is new: it marks key for ttl and is true for
// the first caller only (SET NX), so a flood of the same event is acted on
// once per ttl.
func (s *Store) First(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if s.rdb == nil {
		return false, ErrStateUnavailable
	}
	var ok bool
	err := s.do(ctx, "marking", func(ctx context.Context) (err error) {
		ok, err = s.rdb.SetNX(ctx, key, 1, ttl).Result()
		return err
	})
	return ok, err
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
