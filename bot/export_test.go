package bot

// RouterOf lets tests add routes (a panicking or recording handler) to an
// App before it runs.
func RouterOf(a *App) *Router { return a.router }
