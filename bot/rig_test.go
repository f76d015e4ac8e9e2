package bot_test

import (
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/chat"
)

// withRoutes adds test routes (a slow, a panicking or a recording
// handler) to the App before it runs.
func withRoutes(route func(*chat.Router)) func(*bot.App) {
	return func(a *bot.App) { route(bot.RouterOf(a)) }
}
