package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/bot/internal/inbox"
	"github.com/kimbot/kimbot/message"
)

type resultKey struct{}

func resultOf(ctx context.Context) *inbox.Result {
	if r, ok := ctx.Value(resultKey{}).(*inbox.Result); ok {
		return r
	}
	return &inbox.Result{}
}

// process is the inbox's Handler: it runs the library's ProcessUpdate
// synchronously (the client has WithNotAsyncHandlers) and reports how the
// update ended.
func (a *App) process(ctx context.Context, upd *models.Update) inbox.Result {
	res := &inbox.Result{Kind: "other"}
	a.tg.ProcessUpdate(context.WithValue(ctx, resultKey{}, res), upd)
	return *res
}

// recoverMiddleware turns a handler's panic into a logged, counted
// failure; the inbox then retries the update a bounded number of times.
func (a *App) recoverMiddleware(next tgbot.HandlerFunc) tgbot.HandlerFunc {
	return func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
		defer func() {
			if p := recover(); p != nil {
				resultOf(ctx).Panic = fmt.Sprint(p)
				a.log.Error("handler panicked", "update_id", u.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			}
		}()
		next(ctx, b, u)
	}
}

// dispatch is the library's only handler: it routes through the Router.
func (a *App) dispatch(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	r := chat.NewRequest(u, conn{a}, a.store, a.log)
	res := resultOf(ctx)
	res.Kind = r.Kind()
	if a.flooded(ctx, r) {
		res.Kind = "flood"
		return
	}
	if err := a.router.Handle(ctx, r, a.botUsername()); err != nil {
		res.Err = err
		a.log.Error("handling update", "update_id", u.ID, "kind", res.Kind, "err", err)
	}
}

// conn is how requests reach Telegram: every reply paced against the
// shared budget, sent through the classifying Sender, and a resident found
// to have blocked the bot marked so.
type conn struct{ a *App }

// replyRetries is how often a reply refused with 429 is tried again after
// waiting retry_after (within the handler's deadline): a ticket's
// confirmation must not be lost to a flood.
const replyRetries = 3

func (c conn) Send(ctx context.Context, chatID int64, m message.Message) (int, error) {
	id, err := c.send(ctx, chatID, m)
	if to, moved := message.MigratedTo(err); moved {
		// The group became a supergroup while we answered: the answer
		// belongs there (the service message moves stored links).
		id, err = c.send(ctx, to, m)
	}
	c.a.noteBlocked(ctx, chatID, err)
	return id, err
}

// send paces one reply and waits out Telegram's 429s.
func (c conn) send(ctx context.Context, chatID int64, m message.Message) (int, error) {
	for try := 0; ; try++ {
		c.a.pace(ctx, chatID)
		var id int
		err := c.call(ctx, func(ctx context.Context) (err error) {
			id, err = c.a.sender.Send(ctx, chatID, m)
			return err
		})
		wait := message.RetryAfterOf(err)
		if wait <= 0 || try == replyRetries {
			return id, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return id, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return id, err
		case <-t.C:
		}
	}
}

func (c conn) Edit(ctx context.Context, chatID int64, messageID int, m message.Message) error {
	c.a.pace(ctx, chatID)
	err := c.call(ctx, func(ctx context.Context) error { return c.a.sender.Edit(ctx, chatID, messageID, m) })
	c.a.noteBlocked(ctx, chatID, err)
	return err
}

func (c conn) EditButtons(ctx context.Context, chatID int64, messageID int, rows [][]message.Button) error {
	c.a.pace(ctx, chatID)
	err := c.call(ctx, func(ctx context.Context) error { return c.a.sender.EditButtons(ctx, chatID, messageID, rows) })
	c.a.noteBlocked(ctx, chatID, err)
	return err
}

func (c conn) AnswerCallback(ctx context.Context, queryID, text string, alert bool) error {
	return c.call(ctx, func(ctx context.Context) error { return c.a.sender.AnswerCallback(ctx, queryID, text, alert) })
}

// call runs one request to Telegram within Config.ReplyTimeout: a
// Telegram that takes the request and never answers must not hold the
// worker, and the residents queued behind it, for the client's timeout or
// the handler's. Telegram answers in well under a second; one that has
// not answered in 3 s is most likely hung (the reply then counts as
// uncertain: it may have arrived).
func (c conn) call(ctx context.Context, do func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.a.cfg.ReplyTimeout)
	defer cancel()
	return do(ctx)
}

func (a *App) pace(ctx context.Context, chatID int64) {
	if a.deps.Interactive != nil {
		_ = a.deps.Interactive.TakeReply(ctx, chatID) // on error send anyway: Telegram's 429 still guards
	}
}

func (a *App) noteBlocked(ctx context.Context, chatID int64, err error) {
	if message.KindOf(err) != message.Blocked || chatID <= 0 {
		return
	}
	if err := a.deps.Subscribers.MarkBlocked(ctx, chatID); err != nil {
		a.log.Error("marking a resident blocked", "err", err)
	}
}
