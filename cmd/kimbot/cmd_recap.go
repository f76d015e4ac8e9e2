package main

import (
	"context"
	"flag"
	"io"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
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
	src := recap.Sources{Aspirations: svc, Schedules: broadcast.NewSchedules(app.db, app.clock)}
	total := region.Area{Key: string(code), Name: name, Codes: []region.Code{code}}
	var tables []recap.Table
	for _, g := range []struct {
		title catalog.Key
		group func(context.Context, recap.Regions, region.Code) ([]region.Area, error)
	}{{"web.rekap.by_district", recap.ByDistrict}, {"web.rekap.by_village", recap.ByVillage}} {
		areas, err := g.group(ctx, store, code)
		if err != nil {
			return err
		}
		t, err := src.Compute(ctx, actor, m, catalog.T(g.title), areas, total)
		if err != nil {
			return err
		}
		tables = append(tables, t)
	}
	return writeOut(app, *outPath, func(out io.Writer) error {
		return recap.WriteXLSX(out, app.cfg.TZ, m, name, app.clock.Now(), tables...)
	})
}
