package broadcast

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/internal/rediskey"
)

// MaxRate is the highest KIMBOT_RATE: Telegram's paid broadcast ceiling.
const MaxRate = 1000

// freeRate is Telegram's "about 30 messages per second" for a bot that
// does not pay for broadcasts. Specs: https://core.telegram.org/bots/faq
const freeRate = 30

// DefaultRate is the bulk rate when KIMBOT_RATE is unset: below Telegram's
// "about 30 messages per second" so that replies keep some room.
const DefaultRate = 25

// jitterAllowance is how much network and scheduling jitter between the
// limiter and Telegram the pace leaves room for: rate+1 sends never fit in
// one second on Telegram's side unless they arrive this much closer
// together than they left. 15 ms, plus 5 µs per message per second (at
// high rates the machine is busy and jitter grows).
func jitterAllowance(rate int) float64 { return 0.015 + 0.000005*float64(rate) }

// tokenCost is how many GCRA tokens one send costs. Counting in hundredths
// of a send lets the burst tolerance be a fraction of a send (see bulkLimit).
const tokenCost = 100

// earlyTolerance is how early a bulk send may take its slot: it absorbs
// timer and Redis latency, so that a waiter waking up a little late does
// not lose its slot and the pace stays on the rate.
const earlyTolerance = 5 * time.Millisecond

const (
	pauseCheckEvery  = 50 * time.Millisecond // how stale a replica's view of the shared pause may be
	redisRetryEvery  = time.Second           // how often a limiter in fallback tries Redis again
	heartbeatEvery   = 5 * time.Second       // how often a limiter counts the replicas sharing the rate
	memberTTL        = 3 * heartbeatEvery
	redisCallTimeout = 250 * time.Millisecond
)

// LimiterConfig configures a Limiter.
type LimiterConfig struct {
	// Rate is the bulk messages per second for all replicas together
	// (KIMBOT_RATE); 0 or less turns limiting off (engine headroom tests).
	Rate int
	// KeyPrefix goes before every Redis key ("kimbot:" in production, the
	// testenv prefix in tests).
	KeyPrefix string
	// InteractiveBurst is how many replies may go out at once on top of a
	// saturated bulk pace; default max(5, Rate/5), but at Telegram's free
	// rates no more than keeps the pace plus the burst 2 under 30 a
	// second (3 at the default rate of 25), and at least 2.
	InteractiveBurst int
}

// Limiter paces Telegram sends for every replica at once. It keeps one
// GCRA state (redis_rate, a "theoretical arrival time" in Redis) per bot:
//
//   - Bulk sends (WaitBulk) may take a token only when the shared state is
//     at most 5 ms ahead of now (see bulkLimit), so together they never
//     run above the rate. Within one process a sliding window on top
//     (sendWindow) holds a send back while the send a rate's worth before
//     it was answered less than a second ago, so a late answer (a busy
//     machine, a slow network) cannot squeeze rate+1 sends into one of
//     Telegram's seconds.
//   - Replies to residents who are chatting (TakeInteractive) take from the
//     SAME state but tolerate it running InteractiveBurst intervals further
//     ahead. Bulk keeps the state at most a burst ahead, so a reply always
//     finds room and never waits behind a broadcast; each reply pushes the
//     state forward by one interval, so the bulk sends that follow wait one
//     interval longer: bulk yields to replies and the total stays at the
//     rate (plus at most InteractiveBurst in a burst of replies).
//   - The aspirations outbox (TakeOutbox) sits between: it tolerates half
//     the replies' burst, so ticket posts and answers pass broadcast runs
//     (urgent runs first among those, by the engine's claim order) but
//     yield to people chatting. Each chat's own limit (ChatDelay, TakeReply:
//     about 1 a second in a private chat, 20 a minute in a group) is kept
//     for replies and outbox alike.
//   - A 429 calls PauseAll: the pause-until is kept in process and in Redis
//     (a key with the pause as its expiry), every replica re-reads it at
//     least every 50 ms, and nothing takes a token until it has passed.
//   - When Redis does not answer, the limiter falls back to the same GCRA
//     in process, at the rate divided by the number of replicas it last saw
//     sharing it (heartbeats in Redis), logs that once, and tries Redis
//     again every second: sending neither stops nor exceeds the rate.
type Limiter struct {
	rdb    redis.UniversalClient
	rl     *redis_rate.Limiter
	cfg    LimiterConfig
	logger *slog.Logger
	id     string

	bulk, outbox, interactive redis_rate.Limit
	gate                      chan struct{} // one goroutine per process asks for bulk tokens
	window                    *sendWindow   // this process's bulk sends, as Telegram counts them
	local                     *localGCRA

	mu          sync.Mutex
	pausedUntil time.Time
	pauseSeen   time.Time // when the Redis pause key was last read
	lastBeat    time.Time
	redisDownAt time.Time // zero while Redis answers
	members     atomic.Int64
}

// NewLimiter returns a limiter over rdb (nil means in-process only).
func NewLimiter(rdb redis.UniversalClient, cfg LimiterConfig, logger *slog.Logger) *Limiter {
	cfg.Rate = min(cfg.Rate, MaxRate)
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.InteractiveBurst <= 0 {
		cfg.InteractiveBurst = max(5, cfg.Rate/5)
		if cfg.Rate <= freeRate {
			cfg.InteractiveBurst = max(2, min(cfg.InteractiveBurst, freeRate-2-cfg.Rate))
		}
	}
	l := &Limiter{rdb: rdb, cfg: cfg, logger: logger, id: randomID(), gate: make(chan struct{}, 1)}
	l.members.Store(1)
	if cfg.Rate > 0 {
		l.bulk = bulkLimit(cfg.Rate)
		l.interactive, l.outbox = l.bulk, l.bulk
		l.interactive.Burst += cfg.InteractiveBurst * tokenCost
		l.outbox.Burst += max(1, cfg.InteractiveBurst/2) * tokenCost
		l.local = newLocalGCRA(l.bulk)
		l.window = newSendWindow(cfg.Rate)
	}
	if rdb != nil {
		l.rl = rediskey.RateLimiter(rdb, cfg.KeyPrefix)
	}
	return l
}

// bulkLimit is the GCRA limit of bulk sends at rate per second. A send may
// come earlyTolerance before its slot (τ = rate × 5 ms emission intervals:
// 0.15 at 30/s, 5 at 1000/s), so k sends span at least ((k-1) − τ) / pace
// seconds. For rate+1 sends to span more than 1 s plus the jitter
// allowance J, the pace is (rate − τ) / (1 + J): 29.4/s for 30 (98%),
// 975/s for 1000 (97.5%). Rates are counted per 10 s in hundredths of a send.
func bulkLimit(rate int) redis_rate.Limit {
	tau := float64(rate) * earlyTolerance.Seconds()
	pace := (float64(rate) - tau) / (1 + jitterAllowance(rate))
	return redis_rate.Limit{
		Rate:   max(1, int(pace*10*tokenCost)),
		Period: 10 * time.Second,
		Burst:  tokenCost + int(tau*tokenCost),
	}
}

// Rate is the configured bulk rate (0 when limiting is off).
func (l *Limiter) Rate() int { return max(0, l.cfg.Rate) }

// WaitBulk blocks until a bulk send may go out, or ctx ends. The caller
// must call answered once Telegram answered the send, or at once if it
// decided not to send after all.
func (l *Limiter) WaitBulk(ctx context.Context) (answered func(), err error) {
	if l.cfg.Rate <= 0 {
		return func() {}, ctx.Err()
	}
	select {
	case l.gate <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-l.gate }()
	if err := l.wait(ctx, l.bulk); err != nil {
		return nil, err
	}
	return l.window.enter(ctx)
}

// TakeInteractive blocks until a reply to a resident may go out, or ctx
// ends. It respects a 429 pause (Telegram would refuse the reply too) but
// never queues behind bulk sends.
func (l *Limiter) TakeInteractive(ctx context.Context) error {
	if l.cfg.Rate <= 0 {
		return ctx.Err()
	}
	return l.wait(ctx, l.interactive)
}

func (l *Limiter) wait(ctx context.Context, limit redis_rate.Limit) error {
	for {
		if d := l.pauseLeft(ctx); d > 0 {
			if err := sleepCtx(ctx, d); err != nil {
				return err
			}
			continue
		}
		d := l.take(ctx, limit)
		if d <= 0 {
			return ctx.Err()
		}
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
}

// take asks for one token and returns 0 when granted, else how long to
// wait before asking again.
func (l *Limiter) take(ctx context.Context, limit redis_rate.Limit) time.Duration {
	if l.useRedis() {
		l.heartbeat(ctx)
	}
	if l.useRedis() {
		rctx, cancel := context.WithTimeout(ctx, redisCallTimeout)
		res, err := l.rl.AllowN(rctx, "limiter", limit, tokenCost) // rediskey adds the prefix
		cancel()
		if err == nil {
			if res.Allowed > 0 {
				return 0
			}
			return res.RetryAfter
		}
		if ctx.Err() != nil {
			return 0
		}
		l.redisFailed(err)
	}
	return l.local.take(time.Now(), limit.Burst, int(l.members.Load()))
}

func (l *Limiter) useRedis() bool {
	if l.rl == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.redisDownAt.IsZero()
}

// redisFailed switches to the in-process limiter and starts probing Redis
// in the background, so no send waits on a dead connection.
func (l *Limiter) redisFailed(err error) {
	l.mu.Lock()
	first := l.redisDownAt.IsZero()
	if first {
		l.redisDownAt = time.Now()
	}
	l.mu.Unlock()
	if !first {
		return
	}
	l.logger.Warn("rate limiter: Redis unavailable, limiting in process until it is back",
		"rate_per_replica", float64(l.bulk.Rate)/tokenCost/l.bulk.Period.Seconds()/float64(l.members.Load()),
		"replicas_seen", l.members.Load(), "err", err)
	go l.probe()
}

// probe pings Redis every redisRetryEvery until it answers.
func (l *Limiter) probe() {
	for {
		time.Sleep(redisRetryEvery)
		ctx, cancel := context.WithTimeout(context.Background(), redisCallTimeout)
		err := l.rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			l.mu.Lock()
			l.redisDownAt = time.Time{}
			l.mu.Unlock()
			l.logger.Info("rate limiter: Redis is back, limiting across replicas again")
			return
		}
	}
}

// heartbeat records this limiter as a member sharing the rate and counts
// the members, so the in-process fallback knows its share.
func (l *Limiter) heartbeat(ctx context.Context) {
	l.mu.Lock()
	due := time.Since(l.lastBeat) >= heartbeatEvery
	if due {
		l.lastBeat = time.Now()
	}
	l.mu.Unlock()
	if !due {
		return
	}
	key := l.cfg.KeyPrefix + "limiter:members"
	now := time.Now()
	rctx, cancel := context.WithTimeout(ctx, redisCallTimeout)
	defer cancel()
	var card *redis.IntCmd
	_, err := l.rdb.TxPipelined(rctx, func(p redis.Pipeliner) error {
		p.ZAdd(rctx, key, redis.Z{Score: float64(now.Add(memberTTL).UnixMilli()), Member: l.id})
		p.ZRemRangeByScore(rctx, key, "-inf", fmt.Sprint(now.UnixMilli()))
		p.PExpire(rctx, key, memberTTL)
		card = p.ZCard(rctx, key)
		return nil
	})
	if err == nil {
		l.members.Store(max(1, card.Val()))
	} else if ctx.Err() == nil {
		l.redisFailed(err)
	}
}

func randomID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errRedisless is what PauseAll reports when it could only pause locally.
var errRedisless = errors.New("pause kept in process only")
