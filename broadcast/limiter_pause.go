package broadcast

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// extendPause sets the pause key to expire after ARGV[1] ms unless it is
// already set to last longer: pauses only ever grow.
var extendPause = redis.NewScript(`
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1`)

// PauseAll stops every bulk and interactive send on every replica for d
// (Telegram's retry_after). The pause holds in this process even when Redis
// cannot store it; the error then says so.
func (l *Limiter) PauseAll(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	until := time.Now().Add(d)
	l.mu.Lock()
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	l.mu.Unlock()
	if l.rdb == nil {
		return nil
	}
	if !l.useRedis() {
		return errRedisless
	}
	rctx, cancel := context.WithTimeout(ctx, redisCallTimeout)
	defer cancel()
	ms := max(1, d.Milliseconds())
	if err := extendPause.Run(rctx, l.rdb, []string{l.pauseKey()}, ms).Err(); err != nil {
		if ctx.Err() == nil {
			l.redisFailed(err)
		}
		return fmt.Errorf("sharing a %s pause: %w (%w)", d, err, errRedisless)
	}
	return nil
}

// PausedUntil is when the last pause this process knows of ends (zero or
// past when sends may go out).
func (l *Limiter) PausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pausedUntil
}

func (l *Limiter) pauseKey() string { return l.cfg.KeyPrefix + "limiter:pause" }

// pauseLeft returns how long sends must still wait, reading the shared
// pause from Redis at most every pauseCheckEvery.
func (l *Limiter) pauseLeft(ctx context.Context) time.Duration {
	now := time.Now()
	l.mu.Lock()
	until := l.pausedUntil
	check := l.rdb != nil && l.redisDownAt.IsZero() && now.Sub(l.pauseSeen) >= pauseCheckEvery
	if check {
		l.pauseSeen = now
	}
	l.mu.Unlock()
	if check {
		rctx, cancel := context.WithTimeout(ctx, redisCallTimeout)
		left, err := l.rdb.PTTL(rctx, l.pauseKey()).Result()
		cancel()
		if err != nil && ctx.Err() == nil {
			l.redisFailed(err)
		}
		if err == nil && left > 0 && now.Add(left).After(until) {
			until = now.Add(left)
			l.mu.Lock()
			if until.After(l.pausedUntil) {
				l.pausedUntil = until
			}
			l.mu.Unlock()
		}
	}
	return until.Sub(now)
}
