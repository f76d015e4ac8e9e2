package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/kimbot/kimbot/migrations"
	"github.com/kimbot/kimbot/region"
)

func runRegions(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return usagef("usage: kimbot regions import [--root 35.73]")
	}
	fs := flag.NewFlagSet("regions import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	root := fs.String("root", "", "import only this province/city/district (default: all of Indonesia)")
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v (usage: kimbot regions import [--root 35.73])", err)
	}
	var code region.Code
	if *root != "" {
		c, err := region.ParseCode(*root)
		if err != nil {
			return usagef("--root: %v", err)
		}
		code = c
	}
	if _, err := migrations.Up(ctx, app.db.DB); err != nil {
		return err
	}
	start := time.Now()
	stats, err := region.Import(ctx, app.db, code)
	if err != nil {
		return err
	}
	fmt.Fprintf(app.stdout, "regions: %d read, %d inserted or updated in %s (data: %s, ODbL 1.0)\n",
		stats.Read, stats.Changed, time.Since(start).Round(time.Millisecond), region.DataVersion)
	return nil
}
