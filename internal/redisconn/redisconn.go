// Package redisconn builds kimbot's Redis clients. Redis holds only what
// may be lost (the shared rate limiter, conversation state, flood
// counters), so a Redis that accepts connections and never answers must
// cost a caller a fraction of a second, not go-redis's default of 5 s a
// call: every client gets short socket deadlines and honours the
// deadline of each call's context. Guard keeps a Redis that failed from
// costing every later caller its deadline, and RouteLogs sends go-redis's
// own log lines through slog.
package redisconn

import (
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Deadlines of every client, unless REDIS_URL sets its own
// (dial_timeout, read_timeout, write_timeout, pool_timeout, max_retries).
// Redis answers in well under a millisecond; a connection that did not
// answer in these is hung, not busy.
const (
	DialTimeout = time.Second
	IOTimeout   = 500 * time.Millisecond // one read or write on the socket
	PoolTimeout = 500 * time.Millisecond // waiting for a free connection
	// MaxRetries retries a command once (a connection Redis closed while
	// idle); more would multiply the wait on a hung Redis.
	MaxRetries = 1
)

// Options parses a redis:// URL (REDIS_URL) into kimbot's client options.
func Options(rawURL string) (*redis.Options, error) {
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parsing the Redis URL: %w", err)
	}
	return Harden(o), nil
}

// Harden sets kimbot's deadlines where o leaves go-redis's defaults, and
// makes the client honour each call's context deadline (go-redis ignores
// it by default and waits for its own read timeout).
func Harden(o *redis.Options) *redis.Options {
	o.ContextTimeoutEnabled = true
	if o.DialTimeout == 0 {
		o.DialTimeout = DialTimeout
	}
	if o.ReadTimeout == 0 {
		o.ReadTimeout = IOTimeout
	}
	if o.WriteTimeout == 0 {
		o.WriteTimeout = IOTimeout
	}
	if o.PoolTimeout == 0 {
		o.PoolTimeout = PoolTimeout
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = MaxRetries
	}
	if o.DialerRetries == 0 {
		o.DialerRetries = 1 // one dial a call: a refused dial is refused again 100 ms later
	}
	return o
}

// New opens a client for rawURL with kimbot's deadlines; it does not
// connect until the first call.
func New(rawURL string) (*redis.Client, error) {
	o, err := Options(rawURL)
	if err != nil {
		return nil, err
	}
	return redis.NewClient(o), nil
}
