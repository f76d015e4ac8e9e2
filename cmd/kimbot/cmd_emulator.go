package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"

	"github.com/kimbot/kimbot/emulator"
)

const emulatorUsage = "usage: kimbot emulator [--addr 127.0.0.1:8081] [--chat] [--user-id 1001] [--name Budi]"

// runEmulator serves the built-in Bot API emulator, so kimbot can run with
// no Telegram account. With --chat it also lets you chat with the bot from
// this terminal as a resident.
func runEmulator(ctx context.Context, app *cliApp, args []string) error {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	chat := fs.Bool("chat", false, "chat with the bot from this terminal")
	userID := fs.Int64("user-id", 1001, "Telegram user id of the terminal resident")
	name := fs.String("name", "Warga", "first name of the terminal resident")
	if err := fs.Parse(args); err != nil {
		return usagef("%v (%s)", err, emulatorUsage)
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usagef("--addr must be host:port, like 127.0.0.1:8081")
	}
	if *userID <= 0 {
		return usagef("--user-id must be a positive number")
	}
	if !*chat {
		fmt.Fprintf(app.stderr, "emulator: Bot API on http://%s (set TELEGRAM_API_URL to it)\n", *addr)
		return emulator.ListenAndServe(ctx, *addr, emulator.Options{Logger: app.logger})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	// No logger here: log lines would land in the middle of the chat.
	go func() { errc <- emulator.ListenAndServe(ctx, *addr, emulator.Options{}) }()
	user := emulator.User{ID: *userID, FirstName: *name}
	termErr := emulator.RunTerminal(ctx, "http://"+*addr, user, app.stdin, app.stdout)
	cancel()
	if err := <-errc; err != nil {
		return err
	}
	return termErr
}
