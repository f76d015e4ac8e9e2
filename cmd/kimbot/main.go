// Command kimbot is the KIM Telegram bot: one binary whose subcommands run
// the service, migrate the database, import regions and drive
// announcements and aspirations from the shell. See README.md.
//
// It only wires: configuration from the environment, connections, the
// parts each subcommand runs. Business rules live in the packages it
// wires, never here.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // WIB/WITA/WIT resolve even in images without zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
