package main

import (
	"context"
	"flag"
	"io"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/recap"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// aspirationsRecap is `kimbot aspirations recap`: the monthly recap the
// console shows at /aspirasi/rekap, per kecamatan and per kelurahan/desa
// of --region (the whole country without it), as .xlsx.
func aspirationsRecap(ctx context.Context, app *cliApp, svc *aspirations.Service, args []string) error {
	fs := flag.NewFlagSet("aspirations recap", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	month := fs.String("month", "", "the month, YYYY-MM (in KIMBOT_TZ), e.g. 2026-11")
	scope := fs.String("region", "", "the region the recap covers, e.g. 35.73 (default: the whole country)")
	outPath := fs.String("out", "", "the .xlsx file to write")
	if err := fs.Parse(args); err != nil {
		return usagef("%v; %s", err, aspirationsUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; %s", fs.Arg(0), aspirationsUsage)
	}
	m, err := recap.ParseMonth(*month, app.cfg.TZ)
	if err != nil {
		return usagef("--month: %v", err)
	}
	if *outPath == "" {
		return usagef("--out FILE.xlsx is required (a workbook is not for a terminal)")
	}
	code, err := parseScope(*scope, false)
	if err != nil {
		return err
	}
	store := region.NewStore(app.db)
	name := catalog.T("web.scope_all")
	if code != "" {
		if _, err := store.Get(ctx, code); err != nil {
			return usagef("--region %s: no such region", code)
		}
		name = region.NewCache(store, 0).Label(ctx, code)
	}
	actor := staff.Admin().Within(code)
	schedules, dir := broadcast.NewSchedules(app.db, app.clock), staff.New(app.db, app.clock)
	src := recap.Sources{Aspirations: svc, Schedules: schedules, Staff: dir,
		Proposals: proposals.New(app.db, dir, schedules, app.clock, app.cfg.TZ, app.logger)}
	tables, err := src.Tables(ctx, store, actor, m, name)
	if err != nil {
		return err
	}
	return writeOut(app, *outPath, func(out io.Writer) error {
		return recap.WriteXLSX(out, app.cfg.TZ, m, name, app.clock.Now(), tables...)
	})
}
