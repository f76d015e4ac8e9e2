package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/poster"
	"github.com/kimbot/kimbot/region"
)

const qrUsage = "usage: kimbot qr --region 35.73.05.1003 --out DIR [--bot-username NAME]"

func runQR(ctx context.Context, app *cliApp, args []string) error {
	fs := flag.NewFlagSet("qr", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	code := fs.String("region", "", "village, district or city code")
	out := fs.String("out", "", "directory for the PNG files")
	username := fs.String("bot-username", "", "the bot's @username (default: asked from Telegram with TELEGRAM_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return usagef("%v (%s)", err, qrUsage)
	}
	if *code == "" || *out == "" {
		return usagef("--region and --out are required (%s)", qrUsage)
	}
	c, err := region.ParseCode(*code)
	if err != nil {
		return usagef("--region: %v", err)
	}
	name := strings.TrimPrefix(*username, "@")
	if name == "" {
		if name, err = botUsername(ctx, app); err != nil {
			return err
		}
	}
	files, err := poster.WriteVillages(ctx, region.NewStore(app.db), c, name, *out)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(app.stdout, f)
	}
	return nil
}

func botUsername(ctx context.Context, app *cliApp) (string, error) {
	if err := app.cfg.requireToken(); err != nil {
		return "", errors.New("pass --bot-username, or set TELEGRAM_TOKEN so kimbot can ask Telegram (getMe)")
	}
	name, err := bot.Username(ctx, app.cfg.TelegramToken, app.cfg.TelegramAPIURL)
	if err != nil {
		return "", fmt.Errorf("asking Telegram for the bot's username (or pass --bot-username): %w", err)
	}
	return name, nil
}
