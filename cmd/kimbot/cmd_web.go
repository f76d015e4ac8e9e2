package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/kimbot/kimbot/console"
	"github.com/kimbot/kimbot/staff"
)

const webUsage = `usage: kimbot web link --telegram-id N`

// runWeb is `kimbot web link`: a one-time sign-in link to the web console
// for a staff member, on stdout (for the first sign-in, before the person
// has used the bot, and for scripts). It is a secret until used: print it
// only where that person alone reads it.
func runWeb(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 || args[0] != "link" {
		return usagef("%s", webUsage)
	}
	fs := flag.NewFlagSet("web link", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	id := fs.Int64("telegram-id", 0, "the staff member's Telegram user id")
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v; %s", err, webUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; %s", fs.Arg(0), webUsage)
	}
	if *id <= 0 {
		return usagef("--telegram-id must be a positive Telegram user id; %s", webUsage)
	}
	directory := staff.New(app.db, app.clock)
	who, err := directory.Who(ctx, *id, "")
	if err != nil {
		return err
	}
	if !who.IsStaff() {
		return usagef("telegram user %d is neither an operator nor a moderator; add them first (kimbot operator add / moderator add)", *id)
	}
	web, stop := newConsole(app, console.Deps{Staff: directory})
	defer stop()
	link, err := web.NewLink(ctx, *id, "")
	if errors.Is(err, console.ErrTooManyLinks) {
		return usagef("telegram user %d asked for 5 sign-in links in the last 10 minutes; use the last one or wait", *id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(app.stdout, link)
	return nil
}
