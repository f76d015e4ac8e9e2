// Package bot is kimbot's Telegram transport and its chat flows. It is the
// only package that imports go-telegram/bot.
//
// # Incoming updates: the durable inbox
//
// Updates are stored in PostgreSQL (table bot_updates, unique on
// update_id) before Telegram is told they arrived:
//
//   - Long polling (default): one replica at a time polls (it holds a
//     PostgreSQL advisory lock on a connection of its own; the others wait
//     and take over within a second or so when its connection dies). The
//     poller calls getUpdates itself and reads the result as raw JSON per
//     update, so one update the library cannot decode is set aside instead
//     of stalling polling. It stores the batch (ON CONFLICT DO NOTHING) and
//     only then asks for the next offset, which confirms the batch.
//   - Webhook (WEBHOOK_URL set): WebhookHandler checks the secret token in
//     constant time (401 without it), refuses bodies that are not updates
//     (400) or too large (413), stores the update and only then answers
//     200; a failed store answers 503 so Telegram delivers it again.
//
// One feeder per replica claims stored updates for its idle workers with
// FOR UPDATE SKIP LOCKED and a lease: the oldest open update of each chat,
// never two of one chat at a time, so each chat's updates are handled in
// order while different chats run in parallel (Config.Workers). A claimed
// update goes through the library's ProcessUpdate synchronously; the
// worker reports how it ended and the feeder records the outcomes together
// with its next claim, one round trip for both. The poller and the webhook
// wake the feeder at once; a short fallback poll picks up rows stored by
// other replicas. A handler's panic is recovered, logged and the update
// retried with backoff, then set aside as failed after Config.MaxAttempts;
// an update that cannot be decoded is set aside at once. On shutdown (ctx
// cancelled) polling stops, the updates in hand finish (handlers run on a
// context of their own with a timeout) and their outcomes are recorded,
// and Run returns. Handled rows are pruned after Config.Retention.
//
// Guarantee: no update is lost — it is acknowledged only once stored. An
// update is handled a second time only if the process died (or lost its
// database) while handling it, after its lease ran out; so at most the
// number of updates in flight at the crash (Config.Workers). Handlers that
// must not act twice key their effect on the update id.
//
// # Chat flows: how to add one
//
// Every route is registered in routes.go, which calls one
// register<Area>Routes(a *App, rt *Router) per area; each area keeps its
// handlers in files of its own (resident*.go, operator*.go,
// aspiration*.go, moderator*.go). A handler is
//
//	func(ctx context.Context, r *Request) error
//
// and registers with
//
//	rt.Command("aspirasi", h)     // /aspirasi, /aspirasi@bot args, any case
//	rt.Menu("aspirasi", "key")    // the command menu entry (catalogue key)
//	rt.Callback("asp", h)         // buttons whose data starts "asp:"
//	rt.Flow("aspirasi", h)        // private messages while State.Flow == "aspirasi"
//	rt.Prompted(func(ctx, r) (handled bool, err error)) // input asked for out of band, before flows
//	rt.Message(func(ctx, r) (handled bool, err error)) // hooks for other messages
//	rt.ChatMember(h)              // my_chat_member updates
//
// Routing order for a message: a command (our own parser: "/cmd@bot args",
// invisible characters before the slash; commands for another bot are
// ignored) goes to its handler, an unknown one gets a short help in
// private chats. Otherwise the Prompted hooks (an answer the person was
// asked for by a button, such as Jawab, wins over an older flow); then, in
// a private chat, the flow named by the chat's State; then the Message
// hooks in order; then the resident fallback (a
// typed village name searches; anything else, such as a sticker, gets a
// helpful answer). Group chatter nobody handles is ignored. A button whose
// area nobody registered (stale, forged) gets a friendly answer and the
// menu; every press is answered (answerCallbackQuery) even if the handler
// forgot.
//
// Callback data is "area:action:arg…" (Callback, ParseCallback; at most 64
// bytes, letters, digits and ".-_"). It must carry everything the press
// needs, so buttons keep working after a restart and on any replica;
// check it again on every press, it can be forged.
//
// Conversation state (Request.State/SetState/ClearState) is one State
// {Flow, Step, Data} per chat in Redis under Deps.RedisPrefix with a TTL.
// If Redis is down, State returns ErrStateUnavailable; returning that
// error from a handler tells the person to try again in a moment, while
// commands keep working.
//
// Answer through the Request: Reply, Say (a catalogue key), Show (edits
// the message whose button was pressed), Answer (the button's notice).
// All of them go through the Sender, which classifies errors into
// *message.SendError; a resident found to have blocked the bot is marked
// blocked. Texts live in package catalog. A handler's error is logged with
// the update id only (never chat ids, names or text) and the person gets
// a short apology.
//
// Deps.DataErasers are called by /hapusdata before the subscription is
// deleted: every area that keeps a resident's data adds one.
package bot
