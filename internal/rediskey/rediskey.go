// Package rediskey keeps the Redis keys that libraries build under
// kimbot's key prefix (KIMBOT_REDIS_PREFIX).
package rediskey

import (
	"context"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RateLimiter returns a redis_rate limiter whose every key starts with
// prefix. The adapter exists because redis_rate puts its own "rate:"
// before the caller's key, so a caller's prefix would land in the middle
// ("rate:kimbot:limiter"), outside what a Redis ACL such as `~kimbot:*`
// allows and outside what a deployment sharing the Redis expects to own.
// Through the adapter, callers pass keys without the prefix and Redis sees
// prefix+"rate:"+key ("kimbot:rate:limiter").
func RateLimiter(rdb redis.UniversalClient, prefix string) *redis_rate.Limiter {
	return redis_rate.NewLimiter(&prefixed{rdb: rdb, prefix: prefix})
}

// prefixed is the subset of a Redis client redis_rate calls (its
// unexported rediser interface), with every key rewritten to prefix+key.
type prefixed struct {
	rdb    redis.UniversalClient
	prefix string
}

func (p *prefixed) keys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = p.prefix + k
	}
	return out
}

func (p *prefixed) Eval(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return p.rdb.Eval(ctx, script, p.keys(keys), args...)
}

func (p *prefixed) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return p.rdb.EvalSha(ctx, sha1, p.keys(keys), args...)
}

func (p *prefixed) EvalRO(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return p.rdb.EvalRO(ctx, script, p.keys(keys), args...)
}

func (p *prefixed) EvalShaRO(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return p.rdb.EvalShaRO(ctx, sha1, p.keys(keys), args...)
}

func (p *prefixed) ScriptExists(ctx context.Context, hashes ...string) *redis.BoolSliceCmd {
	return p.rdb.ScriptExists(ctx, hashes...)
}

func (p *prefixed) ScriptLoad(ctx context.Context, script string) *redis.StringCmd {
	return p.rdb.ScriptLoad(ctx, script)
}

func (p *prefixed) Del(ctx context.Context, keys ...string) *redis.IntCmd {
	return p.rdb.Del(ctx, p.keys(keys)...)
}
