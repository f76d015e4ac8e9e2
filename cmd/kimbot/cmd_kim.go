package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kimbot/kimbot/internal/sheet"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const kimUsage = `usage: kimbot kim add --name N --region CODE [--sk S] [--sk-date D] [--sk-issuer I] [--contact C] [--formed D]` +
	` | list [--region P] | show ID | edit ID [the flags of add] | import FILE [--dry-run] (an .xlsx or CSV with nama and kode wilayah or kelurahan/desa)`

// runKIM is `kimbot kim`: the KIM registry, with the admin's rights.
func runKIM(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 {
		return usagef("%s", kimUsage)
	}
	dir := staff.New(app.db, app.clock)
	switch args[0] {
	case "add", "edit":
		return kimWrite(ctx, app, dir, args[0], args[1:])
	case "list":
		fs := flag.NewFlagSet("kim list", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		scope := fs.String("region", "", "only KIM within this region code, e.g. 35.73")
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
			return usagef("%s", kimUsage)
		}
		within, err := parseScope(*scope, false)
		if err != nil {
			return err
		}
		return kimList(ctx, app, dir, within)
	case "show":
		id, err := kimID(args[1:])
		if err != nil || len(args) != 2 {
			return usagef("kim show needs the KIM's number (kimbot kim list shows it)")
		}
		return kimShow(ctx, app, dir, id)
	case "import":
		return kimImport(ctx, app, dir, args[1:])
	}
	return usagef("unknown subcommand %q; %s", args[0], kimUsage)
}

func kimID(args []string) (int64, error) {
	if len(args) == 0 {
		return 0, errors.New("no id")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, errors.New("bad id")
	}
	return id, nil
}

// kimWrite is `kim add` and `kim edit ID`: an edit changes only the
// flags given.
func kimWrite(ctx context.Context, app *cliApp, dir *staff.Directory, verb string, args []string) error {
	var id int64
	if verb == "edit" {
		var err error
		if id, err = kimID(args); err != nil {
			return usagef("kim edit needs the KIM's number first (kimbot kim list shows it); %s", kimUsage)
		}
		args = args[1:]
	}
	fs := flag.NewFlagSet("kim "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", `the KIM's name, e.g. "KIM Tlogomas"`)
	area := fs.String("region", "", "the kelurahan/desa (or kecamatan) it serves, e.g. 35.73.05.1003")
	sk := fs.String("sk", "", "the number of its decree (SK)")
	skDate := fs.String("sk-date", "", "the SK's date, e.g. 2019-03-04")
	skIssuer := fs.String("sk-issuer", "", `who issued the SK, e.g. "Wali Kota Malang"`)
	contact := fs.String("contact", "", "a phone number or e-mail address")
	formed := fs.String("formed", "", "when it was formed, e.g. 2019-03-04")
	if err := fs.Parse(args); err != nil {
		return usagef("%v; %s", err, kimUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; %s", fs.Arg(0), kimUsage)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var code region.Code
	if set["region"] || verb == "add" {
		var err error
		if code, err = parseScope(*area, true); err != nil {
			return err
		}
	}
	dates := map[string]*time.Time{}
	for flagName, s := range map[string]string{"sk-date": *skDate, "formed": *formed} {
		if set[flagName] && s != "" {
			d, err := sheet.ParseDate(s)
			if err != nil {
				return usagef("--%s: %v", flagName, err)
			}
			dates[flagName] = &d
		}
	}
	change := func(f *staff.KIMFields) {
		strs := map[string][2]*string{"name": {&f.Name, name}, "sk": {&f.SKNumber, sk}, "sk-issuer": {&f.SKIssuer, skIssuer},
			"contact": {&f.Contact, contact}}
		for flagName, p := range strs {
			if set[flagName] {
				*p[0] = *p[1]
			}
		}
		if set["region"] || verb == "add" {
			f.Area = code
		}
		if set["sk-date"] {
			f.SKDate = dates["sk-date"]
		}
		if set["formed"] {
			f.FormedOn = dates["formed"]
		}
	}
	var k staff.KIM
	var err error
	if verb == "add" {
		var f staff.KIMFields
		change(&f)
		k, err = dir.AddKIM(ctx, staff.Admin(), f)
	} else {
		k, err = dir.EditKIM(ctx, staff.Admin(), id, change)
	}
	if err := kimErr(err, id); err != nil {
		return err
	}
	fmt.Fprintf(app.stdout, "%d\t%s\t%s\n", k.ID, k.Name, k.Area)
	return nil
}

// kimErr turns the registry's refusals into one-line reasons.
func kimErr(err error, id int64) error {
	var fe *staff.KIMError
	flagOf := map[string]string{"name": "--name", "area": "--region", "sk_number": "--sk", "sk_date": "--sk-date",
		"sk_issuer": "--sk-issuer", "contact": "--contact", "formed_on": "--formed"}
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return usagef("%s: %s", flagOf[fe.Field], fe.Reason)
	case errors.Is(err, staff.ErrUnknownRegion):
		return usagef("--region: no such region (import regions first: kimbot regions import)")
	case errors.Is(err, staff.ErrKIMExists):
		return usagef("--name: a KIM of this name already serves this area (kimbot kim list shows it)")
	case errors.Is(err, staff.ErrNotFound):
		return usagef("no KIM number %d (kimbot kim list shows them)", id)
	}
	return err
}

func kimList(ctx context.Context, app *cliApp, dir *staff.Directory, within region.Code) error {
	ks, err := dir.ListKIM(ctx, staff.Admin(), within)
	if err != nil {
		return err
	}
	cache := region.NewCache(region.NewStore(app.db), time.Minute)
	tw := tabwriter.NewWriter(app.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "no\tnama\tkode\twilayah\tsk\tkontak")
	for _, k := range ks {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Area, cache.ShortLabel(ctx, k.Area), k.SKNumber, k.Contact)
	}
	return tw.Flush()
}

func kimShow(ctx context.Context, app *cliApp, dir *staff.Directory, id int64) error {
	k, err := dir.GetKIM(ctx, staff.Admin(), id)
	if err := kimErr(err, id); err != nil {
		return err
	}
	mods, err := dir.KIMModerators(ctx, staff.Admin(), id)
	if err != nil {
		return err
	}
	cache := region.NewCache(region.NewStore(app.db), time.Minute)
	date := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.Format(time.DateOnly)
	}
	w := app.stdout
	fmt.Fprintf(w, "KIM %d: %s\nwilayah: %s (%s)\n", k.ID, k.Name, cache.Label(ctx, k.Area), k.Area)
	fmt.Fprintf(w, "sk: %s, %s, %s\nkontak: %s\ndibentuk: %s\n", orDash(k.SKNumber), date(k.SKDate), orDash(k.SKIssuer),
		orDash(k.Contact), date(k.FormedOn))
	fmt.Fprintf(w, "moderator: %d\n", len(mods))
	for _, m := range mods {
		group := "chat pribadi"
		if m.GroupChatID != nil {
			group = fmt.Sprintf("grup %d", *m.GroupChatID)
		}
		fmt.Fprintf(w, "  %d (%s)\n", m.TelegramID, group)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// kimImport is `kim import FILE [--dry-run]`: it prints one line per row
// of the file, then the totals.
func kimImport(ctx context.Context, app *cliApp, dir *staff.Directory, args []string) error {
	fs := flag.NewFlagSet("kim import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dry := fs.Bool("dry-run", false, "show what would change and write nothing")
	var path string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		path, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || path == "" {
		return usagef("kim import FILE [--dry-run]: FILE is an .xlsx or CSV")
	}
	st, err := os.Stat(path)
	if err != nil {
		return usagef("%v", err)
	}
	if st.Size() > sheet.MaxReadBytes {
		return usagef("%s is over %d MB: a KIM list is much smaller", path, sheet.MaxReadBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return usagef("%v", err)
	}
	plan, err := dir.ImportKIM(ctx, staff.Admin(), data, !*dry)
	if errors.Is(err, staff.ErrImportFile) {
		return usagef("%s: %v", path, err)
	}
	if err != nil {
		return err
	}
	for _, r := range plan.Rows {
		switch r.Action {
		case staff.ImportUnmatched:
			fmt.Fprintf(app.stdout, "line %d: not matched %q: %s", r.Line, r.Fields.Name, r.Reason)
			for i, c := range r.Candidates {
				if i == 5 {
					fmt.Fprintf(app.stdout, " …")
					break
				}
				fmt.Fprintf(app.stdout, "; %s %s (%s, %s)", c.Code, c.Name, c.District, c.Regency)
			}
			fmt.Fprintln(app.stdout)
		case staff.ImportUpdate:
			fmt.Fprintf(app.stdout, "line %d: update %q %s: %s\n", r.Line, r.Fields.Name, r.Fields.Area, strings.Join(r.Changes, ", "))
		default:
			fmt.Fprintf(app.stdout, "line %d: %s %q %s (%s)\n", r.Line, map[staff.ImportAction]string{
				staff.ImportCreate: "add", staff.ImportSame: "unchanged"}[r.Action], r.Fields.Name, r.Fields.Area, r.Place)
		}
	}
	verb := "written"
	if *dry {
		verb = "dry run, nothing written"
	}
	fmt.Fprintf(app.stdout, "%d add, %d update, %d unchanged, %d not matched (%s)\n", plan.Count(staff.ImportCreate),
		plan.Count(staff.ImportUpdate), plan.Count(staff.ImportSame), plan.Count(staff.ImportUnmatched), verb)
	return nil
}
