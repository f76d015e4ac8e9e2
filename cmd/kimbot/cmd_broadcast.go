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

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// broadcastUsage is one line so that every error stays one line.
const broadcastUsage = `usage: kimbot broadcast create --region P[,P] (--text T | --text-file F) [--at TIME | --cron SPEC | --monthly-weekday "Senin pertama 08.00"] [--tz ZONE] [--until TIME] [--urgent] | list | show ID | pause ID | resume ID | cancel ID | report ID RUN --out FILE.xlsx (details: kimbot broadcast help)`

const broadcastHelp = `usage: kimbot broadcast create --region P[,P] (--text T | --text-file F) [--photo FILE_ID | --document FILE_ID]
                        [--button "Label=https://…"]... [--at TIME | --cron SPEC | --monthly-weekday PHRASE] [--tz ZONE]
                        [--until TIME] [--urgent]
       kimbot broadcast list [--limit N] | show ID | pause ID | resume ID | cancel ID
       kimbot broadcast report ID RUN --out FILE.xlsx   a run's delivery report for Excel (show ID lists the runs)

  --region    region codes (province 35, city 35.73, district 35.73.05, village 35.73.05.1003), comma-separated
  --text      the announcement in Telegram HTML (<b>, <i>, <u>, <s>, <a href>, <code>, <pre>, <blockquote>);
              write a literal < > & as &lt; &gt; &amp;. At most 4096 characters as Telegram counts them
              (tags not counted, an emoji counts 2; 1024 as a caption); spaces alone are no text
  --text-file read the text from a file (- = stdin)
  --at        once at this time: 2026-11-30T08:00:00+07:00, or "2026-11-30 08:00" in --tz
  --cron      repeatedly: "0 8 * * 1" = every Monday 08:00, "30 6 * * *" = daily 06:30, @weekly, @daily,
              @every 24h; at most once an hour. Day of week: 0 = Minggu (Sunday), 1 = Senin … 6 = Sabtu.
              Never both a day of month and a day of week: cron then sends when EITHER matches
              ("0 8 1-7 * 1" = days 1-7 AND every Monday); for the first Monday use --monthly-weekday
  --monthly-weekday  the nth weekday of every month: "Senin pertama 08.00", "1 Senin 08:00",
              "Jumat terakhir 13.30" (pertama, kedua, ketiga, keempat or terakhir); shown as cron "0 8 * * 1#1"
  --tz        Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT); default KIMBOT_TZ
  --until     no repeats after this time or date (2026-12-31 = end of that day), with --cron
  --urgent    ahead of other announcements (disaster warnings)
  --archive   --archive=false keeps it out of the public archive (/arsip); default KIMBOT_ARCHIVE_DEFAULT
  Without --at or --cron the announcement goes out now. create prints the new schedule's id on stdout,
  and on stderr when it sends, in plain Indonesian, with its next five fires.`

// runBroadcast is `kimbot broadcast`: the CLI twin of the operator's chat
// flow, acting as the system admin (whole country).
func runBroadcast(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 {
		return usagef("%s", broadcastUsage)
	}
	s := broadcast.NewSchedules(app.db, app.clock).ArchiveByDefault(app.cfg.ArchiveDefault)
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprintln(app.stdout, broadcastHelp)
		return nil
	case "create":
		return broadcastCreate(ctx, app, s, args[1:])
	case "list":
		return broadcastList(ctx, app, s, args[1:])
	case "show":
		return withScheduleID(args[1:], func(id int64) error { return broadcastShow(ctx, app, s, id) })
	case "pause":
		return withScheduleID(args[1:], func(id int64) error { return broadcastChange(ctx, app, s.Pause, id, "paused") })
	case "resume":
		return withScheduleID(args[1:], func(id int64) error { return broadcastChange(ctx, app, s.Resume, id, "resumed") })
	case "cancel":
		return withScheduleID(args[1:], func(id int64) error { return broadcastChange(ctx, app, s.Cancel, id, "cancelled") })
	case "report":
		return broadcastReport(ctx, app, s, args[1:])
	}
	return usagef("unknown subcommand %q; %s", args[0], broadcastUsage)
}

type createFlags struct {
	region, text, textFile, photo, document string
	at, cron, monthly, tz, until            string
	urgent                                  bool
	buttons                                 buttonFlag
	archive                                 switchFlag
}

func parseCreateFlags(args []string) (createFlags, error) {
	var f createFlags
	fs := flag.NewFlagSet("broadcast create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.region, "region", "", "target region codes, comma-separated")
	fs.StringVar(&f.text, "text", "", "the announcement (Telegram HTML)")
	fs.StringVar(&f.textFile, "text-file", "", "read the announcement from this file (- = stdin)")
	fs.StringVar(&f.photo, "photo", "", "Telegram file_id of a photo; the text becomes its caption")
	fs.StringVar(&f.document, "document", "", "Telegram file_id of a document; the text becomes its caption")
	fs.StringVar(&f.at, "at", "", "send once at this time (RFC 3339, or 2006-01-02 15:04 in --tz)")
	fs.StringVar(&f.cron, "cron", "", "send repeatedly by this cron spec in --tz")
	fs.StringVar(&f.monthly, "monthly-weekday", "", `send on the nth weekday of every month, e.g. "Senin pertama 08.00"`)
	fs.StringVar(&f.tz, "tz", "", "time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT); default KIMBOT_TZ")
	fs.StringVar(&f.until, "until", "", "no repeats after this time or date (with --cron)")
	fs.BoolVar(&f.urgent, "urgent", false, "send ahead of other announcements (warnings)")
	fs.Var(&f.buttons, "button", `a link button "Label=https://…" (repeat for up to 3 rows)`)
	fs.Var(&f.archive, "archive", "put it in the public archive once sent (--archive=false: keep it out); default KIMBOT_ARCHIVE_DEFAULT")
	if err := fs.Parse(args); err != nil {
		return f, usagef("%v; %s", err, broadcastUsage)
	}
	if fs.NArg() > 0 {
		return f, usagef("unexpected argument %q; %s", fs.Arg(0), broadcastUsage)
	}
	return f, nil
}

func broadcastCreate(ctx context.Context, app *cliApp, s *broadcast.Schedules, args []string) error {
	f, err := parseCreateFlags(args)
	if err != nil {
		return err
	}
	d, err := f.draft(app)
	if err != nil {
		return err
	}
	sc, err := s.Create(ctx, staff.Admin(), d)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintln(app.stdout, sc.ID)
	// The id alone on stdout stays scriptable; people read the rest.
	fmt.Fprintf(app.stderr, "schedule %d: %s\n", sc.ID, describeTiming(sc))
	printFires(app.stderr, sc, app.clock.Now())
	return nil
}

func (f createFlags) draft(app *cliApp) (broadcast.Draft, error) {
	var d broadcast.Draft
	text, err := f.readText(app)
	if err != nil {
		return d, err
	}
	if d.Targets, err = broadcast.ParseTargets(f.region); err != nil {
		return d, usagef("--%v", err)
	}
	d.Content = broadcast.Content{Text: text, PhotoFileID: f.photo, DocumentFileID: f.document, Buttons: f.buttons}
	d.Urgent = f.urgent
	if f.archive.set {
		d.Archive = &f.archive.on
	}
	d.Timing, err = f.timing(app)
	return d, err
}

func (f createFlags) readText(app *cliApp) (string, error) {
	switch {
	case f.text != "" && f.textFile != "":
		return "", usagef("give --text or --text-file, not both")
	case f.textFile == "-":
		b, err := io.ReadAll(io.LimitReader(app.stdin, 1<<20))
		return strings.TrimRight(string(b), "\n"), err
	case f.textFile != "":
		b, err := os.ReadFile(f.textFile)
		if err != nil {
			return "", usagef("--text-file: %v", err)
		}
		return strings.TrimRight(string(b), "\n"), nil
	case f.text == "" && f.photo == "" && f.document == "":
		return "", usagef("give the announcement with --text or --text-file; %s", broadcastUsage)
	}
	return f.text, nil
}

func (f createFlags) timing(app *cliApp) (broadcast.Timing, error) {
	t := broadcast.Timing{Kind: broadcast.KindNow, Zone: app.cfg.TZ}
	if f.tz != "" {
		loc, err := broadcast.ParseZone(f.tz)
		if err != nil {
			return t, cliError(err)
		}
		t.Zone = loc
	}
	if t.Zone == nil {
		t.Zone, _ = broadcast.ParseZone("Asia/Jakarta")
	}
	now := app.clock.Now()
	var err error
	if f.monthly != "" {
		if f.cron != "" {
			return t, usagef("give --cron or --monthly-weekday, not both")
		}
		if f.cron, err = broadcast.ParseMonthlyWeekday(f.monthly); err != nil {
			return t, cliError(err)
		}
	}
	switch {
	case f.at != "" && f.cron != "":
		return t, usagef("give --at or --cron (or --monthly-weekday), not both")
	case f.at != "":
		t.Kind = broadcast.KindOnce
		t.At, err = broadcast.ParseAt(f.at, t.Zone, now)
	case f.cron != "":
		t.Kind, t.Cron = broadcast.KindCron, f.cron
		_, err = broadcast.ParseCron(f.cron, t.Zone, now)
	}
	if err == nil && f.until != "" {
		var until time.Time
		until, err = broadcast.ParseUntil(f.until, t.Zone, now)
		t.Until = &until
	}
	return t, cliError(err)
}

// cliError turns bad input into a usage error (exit 2) naming the flag.
func cliError(err error) error {
	var ie *broadcast.InputError
	if errors.As(err, &ie) {
		return usagef("--%s", ie.Error())
	}
	return err
}

func withScheduleID(args []string, do func(id int64) error) error {
	if len(args) != 1 {
		return usagef("want one schedule id; %s", broadcastUsage)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return usagef("schedule id must be a positive number, not %q", args[0])
	}
	return do(id)
}

func scheduleErr(err error, id int64) error {
	switch {
	case errors.Is(err, broadcast.ErrNotFound):
		return fmt.Errorf("no schedule %d", id)
	case errors.Is(err, broadcast.ErrScheduleState):
		return fmt.Errorf("schedule %d: %w", id, err)
	}
	return err
}

func broadcastChange(ctx context.Context, app *cliApp, change func(context.Context, staff.Actor, int64) (broadcast.Schedule, error), id int64, done string) error {
	sc, err := change(ctx, staff.Admin(), id)
	if err != nil {
		return scheduleErr(err, id)
	}
	fmt.Fprintf(app.stdout, "schedule %d %s (status %s)\n", id, done, sc.Status)
	return nil
}

func broadcastList(ctx context.Context, app *cliApp, s *broadcast.Schedules, args []string) error {
	fs := flag.NewFlagSet("broadcast list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	limit := fs.Int("limit", 50, "how many schedules, newest first")
	if err := fs.Parse(args); err != nil || *limit < 1 {
		return usagef("usage: kimbot broadcast list [--limit N]")
	}
	list, err := s.List(ctx, staff.Admin(), 0, *limit)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(app.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTATUS\tWHEN\tNEXT RUN\tTARGETS\tTEXT")
	for _, sc := range list {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", sc.ID, sc.Status, describeTiming(sc), formatNext(sc), joinCodes(sc), preview(sc.Content.Text, 40))
	}
	return w.Flush()
}

func broadcastShow(ctx context.Context, app *cliApp, s *broadcast.Schedules, id int64) error {
	sc, err := s.Get(ctx, staff.Admin(), id)
	if err != nil {
		return scheduleErr(err, id)
	}
	runs, err := s.Runs(ctx, staff.Admin(), id, 100)
	if err != nil {
		return err
	}
	out := app.stdout
	fmt.Fprintf(out, "schedule:  %d\nstatus:    %s\nwhen:      %s\nnext run:  %s\ntargets:   %s\nurgent:    %t\n",
		sc.ID, sc.Status, describeTiming(sc), formatNext(sc), joinCodes(sc), sc.Urgent)
	if sc.EndAt != nil {
		fmt.Fprintf(out, "until:     %s\n", sc.EndAt.In(sc.Zone).Format(time.RFC3339))
	}
	printFires(out, sc, app.clock.Now())
	fmt.Fprintf(out, "text:      %s\n\n", preview(sc.Content.Text, 200))
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RUN\tFIRE AT\tSTATUS\tTARGETED\tSENT\tFAILED\tBLOCKED\tUNCERTAIN\tPENDING\tCANCELLED\tDURATION")
	now := app.clock.Now()
	for _, r := range runs {
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.RunID, r.FireAt.In(sc.Zone).Format(time.RFC3339),
			r.Status, r.Targeted, r.Sent, r.Failed, r.Blocked, r.Uncertain, r.Pending, r.Cancelled, r.Duration(now).Round(time.Second))
	}
	return w.Flush()
}

// describeTiming is when sc sends in plain Indonesian, as the chat says
// it, with the spec of a cron schedule for whoever wrote it.
func describeTiming(sc broadcast.Schedule) string {
	d := sc.Timing().Describe()
	if sc.Kind == broadcast.KindCron {
		d += fmt.Sprintf(" (cron %q)", sc.CronSpec)
	}
	return d
}

// fireCount is how many next fires create and show list.
const fireCount = 5

// printFires lists sc's next fires, each as RFC 3339 and in Indonesian.
func printFires(w io.Writer, sc broadcast.Schedule, now time.Time) {
	fires := sc.NextFires(fireCount, now)
	if len(fires) == 0 {
		return
	}
	fmt.Fprintln(w, "next fires:")
	for _, t := range fires {
		fmt.Fprintf(w, "  %s  %s\n", t.In(sc.Zone).Format(time.RFC3339), broadcast.LongTime(t, sc.Zone))
	}
}

func formatNext(sc broadcast.Schedule) string {
	if sc.NextRunAt == nil {
		return "-"
	}
	return sc.NextRunAt.In(sc.Zone).Format(time.RFC3339)
}

func joinCodes(sc broadcast.Schedule) string {
	parts := make([]string, len(sc.Targets))
	for i, c := range sc.Targets {
		parts[i] = string(c)
	}
	return strings.Join(parts, ",")
}

// preview is the first n characters of text on one line.
func preview(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}

// broadcastReport writes one run's delivery report as .xlsx (the same
// workbook as the console's run page): kimbot broadcast report ID RUN
// --out FILE.
func broadcastReport(ctx context.Context, app *cliApp, s *broadcast.Schedules, args []string) error {
	const usage = "usage: kimbot broadcast report ID RUN --out FILE.xlsx"
	var ids []int64
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return usagef("schedule and run ids must be positive numbers, not %q; %s", args[0], usage)
		}
		ids, args = append(ids, id), args[1:]
	}
	fs := flag.NewFlagSet("broadcast report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "the .xlsx file to write")
	if err := fs.Parse(args); err != nil {
		return usagef("%v; %s", err, usage)
	}
	if len(ids) != 2 || fs.NArg() > 0 {
		return usagef("want a schedule id and a run id (kimbot broadcast show ID lists the runs); %s", usage)
	}
	if !strings.HasSuffix(strings.ToLower(*out), ".xlsx") {
		return usagef("--out FILE.xlsx is required, ending in .xlsx (the file is an Excel workbook); %s", usage)
	}
	names := region.NewCache(region.NewStore(app.db), time.Minute)
	name := func(code region.Code) string {
		if code == "" {
			return catalog.T("web.run.unknown")
		}
		return names.ShortLabel(ctx, code)
	}
	err := writeOut(app, *out, func(w io.Writer) error {
		return s.WriteRunXLSX(ctx, staff.Admin(), ids[0], ids[1], name, app.cfg.TZ, w)
	})
	if errors.Is(err, broadcast.ErrNotFound) {
		return usagef("schedule %d has no run %d (kimbot broadcast show %d lists its runs)", ids[0], ids[1], ids[0])
	}
	return err
}
