package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

const aspirationsUsage = `usage: kimbot aspirations list [--region CODE] [--status S] [--format table|csv|xlsx] [--out FILE] | answer TICKET --text T | recap --month YYYY-MM [--region CODE] --out FILE.xlsx`

// runAspirations is `kimbot aspirations`: the admin's view of the tickets
// (a report Diskominfo can open in Excel) and answering from the shell.
// The CLI acts as the system admin: the whole country.
func runAspirations(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 {
		return usagef("%s", aspirationsUsage)
	}
	svc := aspirations.NewService(app.db, nil, "", app.clock, app.logger, aspirations.Config{TZ: app.cfg.TZ})
	switch args[0] {
	case "list":
		return aspirationsList(ctx, app, svc, args[1:])
	case "answer":
		return aspirationsAnswer(ctx, app, svc, args[1:])
	case "recap":
		return aspirationsRecap(ctx, app, svc, args[1:])
	}
	return usagef("unknown subcommand %q; %s", args[0], aspirationsUsage)
}

func aspirationsList(ctx context.Context, app *cliApp, svc *aspirations.Service, args []string) error {
	fs := flag.NewFlagSet("aspirations list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	scope := fs.String("region", "", "only tickets within this region code, e.g. 35.73.05")
	status := fs.String("status", "", "only tickets in this status: baru, diproses, dijawab, ditolak, diteruskan")
	format := fs.String("format", "table", "table, csv (RFC 4180, for machines) or xlsx (for Excel; needs --out)")
	outPath := fs.String("out", "", "write to this file instead of stdout")
	if err := fs.Parse(args); err != nil {
		return usagef("%v; %s", err, aspirationsUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; %s", fs.Arg(0), aspirationsUsage)
	}
	f := aspirations.ReportFilter{}
	code, err := parseScope(*scope, false)
	if err != nil {
		return err
	}
	f.Region = code
	if *status != "" {
		if f.Status, err = aspirations.ParseStatus(*status); err != nil {
			return usagef("--status: %v", err)
		}
	}
	if *format == "xlsx" && *outPath == "" {
		return usagef("--format xlsx needs --out FILE (a workbook is not for a terminal)")
	}
	if *format != "table" && *format != "csv" && *format != "xlsx" {
		return usagef("--format must be table, csv or xlsx")
	}
	return writeOut(app, *outPath, func(out io.Writer) error {
		var w interface {
			Write(aspirations.ReportRow) error
			Flush() error
		}
		var err error
		switch *format {
		case "table":
			w = aspirations.NewTableWriter(out, svc.TZ())
		case "csv":
			w, err = aspirations.NewCSVWriter(out, svc.TZ())
		case "xlsx":
			w, err = aspirations.NewXLSXWriter(out, svc.TZ())
		}
		if err != nil {
			return err
		}
		if err := svc.Report(ctx, staff.Admin(), f, w.Write); err != nil {
			return err
		}
		return w.Flush()
	})
}

func aspirationsAnswer(ctx context.Context, app *cliApp, svc *aspirations.Service, args []string) error {
	fs := flag.NewFlagSet("aspirations answer", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	text := fs.String("text", "", "the answer the resident receives")
	var ticket string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		ticket, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return usagef("%v; %s", err, aspirationsUsage)
	}
	if ticket == "" && fs.NArg() == 1 {
		ticket = fs.Arg(0)
	} else if fs.NArg() > 0 || ticket == "" {
		return usagef("name one ticket; %s", aspirationsUsage)
	}
	if strings.TrimSpace(*text) == "" {
		return usagef("--text is required; %s", aspirationsUsage)
	}
	admin := staff.Admin()
	t, _, err := svc.Get(ctx, admin, ticket)
	if errors.Is(err, aspirations.ErrNotFound) {
		return usagef("no ticket %q (numbers look like ASP-2026-000123)", ticket)
	}
	if err != nil {
		return err
	}
	answered, err := svc.Answer(ctx, admin, t.ID, *text)
	switch {
	case errors.Is(err, aspirations.ErrBadTransition):
		return usagef("%s is %s; only open tickets can be answered", t.Number, t.Status)
	case errors.Is(err, aspirations.ErrTextTooLong):
		n, limit, _ := aspirations.TooLong(err)
		return usagef("--text is %d characters as Telegram counts them (an emoji counts 2), at most %d: %d too many", n, limit, n-limit)
	case errors.Is(err, aspirations.ErrTextTooShort):
		return usagef("--text shows nothing (only spaces or invisible characters)")
	case err != nil:
		return err
	}
	fmt.Fprintf(app.stdout, "%s answered; the resident gets the answer from the running `kimbot serve`\n", answered.Number)
	return nil
}
