// Package bot is kimbot's Telegram transport: the only package tree that
// imports go-telegram/bot. Its public surface is small: Config and Deps,
// New and Run, the webhook handler, and the Sender that every message
// goes through (one per process; it classifies Telegram's failures into
// *message.SendError and counts every call by kind: reply, broadcast,
// outbox).
//
// It must not know other packages' tables or rules: it asks staff who a
// person is, broadcast and aspirations what to do, and only translates
// updates into their calls and their answers into messages.
//
// # Layout
//
//   - internal/inbox: the durable inbox. Every update is stored in
//     PostgreSQL before Telegram is told it arrived, then claimed, handled
//     and settled; see its package doc for the guarantee.
//   - internal/chat: the chat framework: Router, Request, command parsing,
//     the one conversation-state Store, Page and Truncate.
//   - internal/resident, internal/aspiration, internal/operator: the flows
//     of each role, each with New(Deps) and Register(*chat.Router).
//   - internal/bottest: the end-to-end rig their tests share.
//
// This package ties them: the inbox hands each update to the library's
// ProcessUpdate (synchronously, with a panic recovered and counted), whose
// only handler builds a chat.Request over the App's conn (replies paced
// against the shared budget, sent through the Sender, residents who
// blocked the bot marked) and routes it.
//
// # Adding a chat flow
//
// Put it in the package of its role under internal/, with a Deps struct of
// what it uses, New(Deps) and Register(rt *chat.Router), and add one line
// to registerRoutes (routes.go). Handlers are
//
//	func(ctx context.Context, r *chat.Request) error
//
// and register with rt.Command, rt.Callback (buttons of an area, with the
// chat.Access that says where and by whom they may be pressed), rt.Flow
// (a private chat's messages while its State names the flow), rt.Prompted,
// rt.Message, rt.ChatMember; package chat says in which order they are
// tried. Button data is a message.Callback, checked again on every press
// (it can be forged). Texts live in package catalog.
package bot
