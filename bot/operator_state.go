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

// opSessionTTL is how long a half-composed /siaran is remembered. Expiry
// only means composing again; nothing is scheduled until the operator
// confirms.
const opSessionTTL = time.Hour

// opStore keeps /siaran sessions in Redis under prefix.
type opStore struct {
	rdb    *redis.Client
	prefix string
}

func (s opStore) key(chatID int64) string {
	return s.prefix + "op:siaran:" + strconv.FormatInt(chatID, 10)
}

// load returns the chat's session, or nil when there is none (or it is
// unreadable: the operator starts over).
func (s opStore) load(ctx context.Context, chatID int64) (*opSession, error) {
	raw, err := s.rdb.Get(ctx, s.key(chatID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading operator session: %w", err)
	}
	var sess opSession
	if err := json.Unmarshal(raw, &sess); err != nil || sess.Step == "" {
		return nil, nil
	}
	return &sess, nil
}

// save keeps sess, or forgets the chat's session when sess is nil.
func (s opStore) save(ctx context.Context, chatID int64, sess *opSession) error {
	if sess == nil {
		if err := s.rdb.Del(ctx, s.key(chatID)).Err(); err != nil {
			return fmt.Errorf("ending operator session: %w", err)
		}
		return nil
	}
	raw, err := json.Marshal(sess)
	if err != nil {
		return fmt.Errorf("encoding operator session: %w", err)
	}
	if err := s.rdb.Set(ctx, s.key(chatID), raw, opSessionTTL).Err(); err != nil {
		return fmt.Errorf("saving operator session: %w", err)
	}
	return nil
}
