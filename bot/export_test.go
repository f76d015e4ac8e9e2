package bot

import "github.com/kimbot/kimbot/bot/internal/chat"

// RouterOf lets tests add routes (a panicking or recording handler) to an
// App before it runs.
func RouterOf(a *App) *chat.Router { return a.router }
