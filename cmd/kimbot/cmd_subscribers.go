package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const subscribersUsage = `usage: kimbot subscribers list [--region CODE] [--format table|xlsx] [--out FILE]`

// runSubscribers is `kimbot subscribers`: subscribers per kelurahan/desa
// (active, stopped, blocked), for a terminal or as an .xlsx for Excel.
func runSubscribers(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return usagef("%s", subscribersUsage)
	}
	fs := flag.NewFlagSet("subscribers list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	scope := fs.String("region", "", "only villages within this region code, e.g. 35.73")
	format := fs.String("format", "table", "table or xlsx (needs --out)")
	outPath := fs.String("out", "", "write to this file instead of stdout")
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v; %s", err, subscribersUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; %s", fs.Arg(0), subscribersUsage)
	}
	within, err := parseScope(*scope, false)
	if err != nil {
		return err
	}
	if within != "" {
		if _, err := region.NewStore(app.db).Get(ctx, within); err != nil {
			return usagef("--region %s: no such region (kimbot regions import loads them)", within)
		}
	}
	subs := broadcast.NewSubscribers(app.db, app.clock)
	switch {
	case *format == "xlsx" && *outPath == "":
		return usagef("--format xlsx needs --out FILE (a workbook is not for a terminal)")
	case *format == "xlsx":
		return writeOut(app, *outPath, func(out io.Writer) error {
			return subs.WriteVillagesXLSX(ctx, staff.Admin(), within, app.cfg.TZ, out)
		})
	case *format != "table":
		return usagef("--format must be table or xlsx")
	}
	return writeOut(app, *outPath, func(out io.Writer) error {
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "kode\tkelurahan/desa\tkecamatan\taktif\tberhenti\tmemblokir")
		err := subs.SubscribersByVillage(ctx, staff.Admin(), within, func(v broadcast.VillageCounts) error {
			_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", v.Code, v.Village, v.District, v.Active, v.Stopped, v.Blocked)
			return err
		})
		if err != nil {
			return err
		}
		return tw.Flush()
	})
}
