// Package chat is the framework the chat flows are written in: the
// Router that maps updates to handlers, the Request a handler answers
// through, command parsing, the one conversation-state Store, and the
// helpers every flow needs (Page for lists, Truncate for text).
//
// # Routing
//
// A service message of a group that became a supergroup goes to the
// ChatMigrated handlers and nowhere else. A later part of several
// messages sent together (an album's other items, a burst of forwards;
// see Request.LaterInBatch) is acknowledged and answered by nothing, so a
// step that expects one message answers once. A message whose text or
// caption is a command ("/cmd@bot args", invisible characters before the
// slash allowed; commands for another bot ignored) goes to its handler; an unknown one gets a short help in private chats. Otherwise
// the Prompted hooks run first (an answer the person was asked for by a
// button, such as Jawab, wins over an older flow); then, in a private
// chat, the flow named by the chat's State; then the Message hooks in
// order; then the Fallback. Group chatter nobody handles is ignored. A
// button press goes to the route of its "area:action", else of its area;
// a press of an area nobody registered (stale, forged) goes to Stale in a
// private chat. Every route declares an Access, checked before its
// handler runs: the kind of chat (private, group), the presser's role
// (Router.Who), and that the pressed message carries a button of the same
// route, so a forged press never acts in the wrong chat, for the wrong
// person, or on a message of another kind; it gets a short alert. Every
// press is answered (answerCallbackQuery), even if its handler forgot.
//
// # State
//
// The Store keeps every flow's half-done steps in Redis under one key
// prefix with TTLs: the chat's State {Flow, Step, Data}, and whatever a
// flow keys itself with Store.Key (a guided aspiration, a moderator's
// pending Jawab). When Redis is down every call fails with
// ErrStateUnavailable; a handler that returns it makes the person hear
// "coba lagi sebentar", while commands keep working.
//
// # Answers
//
// Reply, Say (a catalogue key), Show (edits the message whose button was
// pressed), Answer and Alert (the button's notice) all go through Conn,
// the bot's classifying Sender. A handler's error is logged with the
// update id only (never chat ids, names or text) and the person gets a
// short apology.
//
// It must not know any area's flows: they register with it.
package chat
