package main

import (
	"context"
	"fmt"

	"github.com/kimbot/kimbot/migrations"
)

func runMigrate(ctx context.Context, app *cliApp, args []string) error {
	if len(args) > 0 {
		return usagef("migrate takes no arguments")
	}
	n, err := migrations.Up(ctx, app.db.DB)
	if err != nil {
		return err
	}
	fmt.Fprintf(app.stdout, "applied %d migration(s)\n", n)
	return nil
}
