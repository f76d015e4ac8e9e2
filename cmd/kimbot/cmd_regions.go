package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kimbot/kimbot/migrations"
	"github.com/kimbot/kimbot/region"
)

func runRegions(ctx context.Context, app *cliApp, args []string) error {
	if len(args) > 0 && args[0] == "boundaries" {
		return runBoundaries(ctx, app, args[1:])
	}
	if len(args) == 0 || args[0] != "import" {
		return usagef("usage: kimbot regions import [--root 35.73] | boundaries import FILE.geojson --code-property NAME")
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

const boundariesUsage = "usage: kimbot regions boundaries import FILE.geojson --code-property NAME"

// runBoundaries is `kimbot regions boundaries import`: an office's
// kelurahan polygons, for the peta KIM's map view.
func runBoundaries(ctx context.Context, app *cliApp, args []string) error {
	if len(args) < 2 || args[0] != "import" || strings.HasPrefix(args[1], "-") {
		return usagef("%s", boundariesUsage)
	}
	path := args[1]
	fs := flag.NewFlagSet("regions boundaries import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	prop := fs.String("code-property", "", "the feature property that holds the Kemendagri code, e.g. KODE_DESA")
	if err := fs.Parse(args[2:]); err != nil || fs.NArg() > 0 {
		return usagef("%s", boundariesUsage)
	}
	if strings.TrimSpace(*prop) == "" {
		return usagef("--code-property must name the property with the region code; %s", boundariesUsage)
	}
	f, err := os.Open(path)
	if err != nil {
		return usagef("%v", err)
	}
	defer f.Close()
	if _, err := migrations.Up(ctx, app.db.DB); err != nil {
		return err
	}
	st, err := region.ImportBoundaries(ctx, app.db, f, *prop)
	if err != nil {
		return usagef("%s: %v", path, err)
	}
	for _, why := range st.Refused {
		fmt.Fprintf(app.stdout, "refused %s\n", why)
	}
	fmt.Fprintf(app.stdout, "boundaries: %d features read, %d stored, %d refused\n", st.Read, st.Stored, st.RefusedCount)
	return nil
}
