package main

import (
	"context"
)

const aspirationsUsage = `usage: kimbot aspirations list [--region CODE] [--status S] [--format table|csv] | answer TICKET --text T`

// runAspirations is `kimbot aspirations`: the admin's view of the tickets
// (a report Diskominfo can open in Excel) and answering from the shell.
func runAspirations(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 {
		return usagef("%s", aspirationsUsage)
	}
	return usagef("unknown subcommand %q; %s", args[0], aspirationsUsage)
}
