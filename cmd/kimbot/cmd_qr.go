package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kimbot/kimbot/poster"
	"github.com/kimbot/kimbot/region"
)

const qrUsage = "usage: kimbot qr --region 35.73.05.1003 --out DIR --bot-username NAME"

func runQR(ctx context.Context, app *cliApp, args []string) error {
	fs := flag.NewFlagSet("qr", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	code := fs.String("region", "", "village, district or city code")
	out := fs.String("out", "", "directory for the PNG files")
	username := fs.String("bot-username", "", "the bot's @username, as in https://t.me/<username>")
	if err := fs.Parse(args); err != nil {
		return usagef("%v (%s)", err, qrUsage)
	}
	if *code == "" || *out == "" || *username == "" {
		return usagef("--region, --out and --bot-username are required (%s)", qrUsage)
	}
	c, err := region.ParseCode(*code)
	if err != nil {
		return usagef("--region: %v", err)
	}
	name := strings.TrimPrefix(*username, "@")
	files, err := poster.WriteVillages(ctx, region.NewStore(app.db), c, name, *out)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(app.stdout, f)
	}
	return nil
}
