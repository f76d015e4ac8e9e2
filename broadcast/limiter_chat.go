package broadcast

import (
	"context"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
)

// Telegram's limits within one chat, on top of the bot's ~30 a second.
// Specs: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
//
// Both are paced 10% below Telegram's figure: a token is taken here but
// counted by Telegram when the send arrives, and a send that took longer
// on the way than the one after it would otherwise squeeze them closer.
var (
	// privateChatLimit: about one message a second in a private chat; a
	// short burst (the answer and the keyboard after it) goes through.
	privateChatLimit = redis_rate.Limit{Rate: 10, Period: 11 * time.Second, Burst: 3}
	// groupChatLimit: 20 messages a minute in a group, spaced (a burst
	// would let more than 20 into some minute).
	groupChatLimit = redis_rate.Limit{Rate: 20, Period: 66 * time.Second, Burst: 1}
)

// chatLimit is the per-chat limit of chatID: groups have negative ids.
func chatLimit(chatID int64) redis_rate.Limit {
	if chatID < 0 {
		return groupChatLimit
	}
	return privateChatLimit
}

// ChatDelay takes a token of chatID's own limit if one is free and
// returns 0, or returns how long until one is (taking nothing). Shared by
// every replica through Redis; with Redis away it returns 0 and Telegram's
// 429 is the guard.
func (l *Limiter) ChatDelay(ctx context.Context, chatID int64) time.Duration {
	if l.rl == nil || !l.useRedis() {
		return 0
	}
	rctx, cancel := context.WithTimeout(ctx, redisCallTimeout)
	defer cancel()
	res, err := l.rl.Allow(rctx, "chat:"+strconv.FormatInt(chatID, 10), chatLimit(chatID))
	if err != nil {
		if ctx.Err() == nil {
			l.redisFailed(err)
		}
		return 0
	}
	if res.Allowed > 0 {
		return 0
	}
	return max(res.RetryAfter, time.Millisecond)
}

// TakeReply blocks until a reply to chatID may go out: from the shared
// budget ahead of everything else (see TakeInteractive), then within the
// chat's own limit, or until ctx ends. The chat's token is taken last,
// right before the send: a send may leave later than its global token
// without harm, but one that left later than its chat token would crowd
// the chat's next message.
func (l *Limiter) TakeReply(ctx context.Context, chatID int64) error {
	if err := l.TakeInteractive(ctx); err != nil {
		return err
	}
	for {
		d := l.ChatDelay(ctx, chatID)
		if d <= 0 {
			return nil
		}
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
}

// TakeOutbox blocks until a message of the aspirations outbox (a ticket's
// post, an answer, a notice) may go out: from the shared budget after the
// replies but ahead of broadcast runs, whose sends may only take a token
// when the shared state is on time while the outbox may run half the
// replies' burst ahead. The caller then checks the chat's own limit
// (ChatDelay) right before sending, and puts the message back for later
// when the chat is busy, so a busy group never holds the outbox up.
func (l *Limiter) TakeOutbox(ctx context.Context) error {
	if l.cfg.Rate <= 0 {
		return ctx.Err()
	}
	return l.wait(ctx, l.outbox)
}
