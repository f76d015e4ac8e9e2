package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

// newBroadcastApp is a cliApp on a fresh database at Sunday 22 Nov 2026 19:00 WIB.
func newBroadcastApp(t *testing.T) (*cliApp, *bytes.Buffer) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	return &cliApp{cfg: Config{TZ: loc}, db: testenv.DB(t), stdin: strings.NewReader("dari stdin"), stdout: out, stderr: &bytes.Buffer{},
		clock: message.NewManualClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))}, out
}

func cli(t *testing.T, app *cliApp, out *bytes.Buffer, args ...string) (string, error) {
	t.Helper()
	out.Reset()
	err := runBroadcast(context.Background(), app, args)
	return out.String(), err
}

func TestRunBroadcast_BadInput(t *testing.T) {
	app, out := newBroadcastApp(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "usage: kimbot broadcast"},
		{"unknown subcommand", []string{"send"}, "unknown subcommand"},
		{"bad at", []string{"create", "--region", "35.73", "--text", "x", "--at", "besok"}, "--at: \"besok\" is not a date and time (e.g. 2026-11-23T08:00:00+07:00"},
		{"past at", []string{"create", "--region", "35.73", "--text", "x", "--at", "2026-11-22T08:00:00+07:00"}, "already in the past"},
		{"bad cron", []string{"create", "--region", "35.73", "--text", "x", "--cron", "every monday"}, `"0 8 * * 1" = every Monday 08:00`},
		{"cron too often", []string{"create", "--region", "35.73", "--text", "x", "--cron", "*/10 * * * *"}, "more than once an hour"},
		{"both day fields", []string{"create", "--region", "35.73.05.1003", "--text", "Kerja bakti Senin pertama", "--cron", "0 8 1-7 * 1"},
			`cron then fires when EITHER matches (on days 1-7 and also on day of week 1)`},
		{"both day fields hint", []string{"create", "--region", "35.73", "--text", "x", "--cron", "0 8 1-7 * 1"}, `0 = Minggu (Sunday)`},
		{"both day fields way out", []string{"create", "--region", "35.73", "--text", "x", "--cron", "0 8 1-7 * 1"}, `(e.g. Senin pertama 08.00)`},
		{"bad monthly weekday", []string{"create", "--region", "35.73", "--text", "x", "--monthly-weekday", "Senin 08.00"}, `--monthly-weekday: "Senin 08.00" needs a weekday`},
		{"cron and monthly weekday", []string{"create", "--region", "35.73", "--text", "x", "--cron", "0 8 * * 1", "--monthly-weekday", "Senin pertama 08.00"}, "not both"},
		{"at and cron", []string{"create", "--region", "35.73", "--text", "x", "--at", "2026-12-01 08:00", "--cron", "0 8 * * 1"}, "not both"},
		{"unknown region", []string{"create", "--region", "35.73.99", "--text", "x"}, "unknown region 35.73.99"},
		{"malformed region", []string{"create", "--region", "malang", "--text", "x"}, "--region"},
		{"no region", []string{"create", "--text", "x"}, "--region"},
		{"no text", []string{"create", "--region", "35.73"}, "--text"},
		{"bad html", []string{"create", "--region", "35.73", "--text", "<div>x</div>"}, "<div> is not supported"},
		{"bad zone", []string{"create", "--region", "35.73", "--text", "x", "--tz", "UTC"}, "Asia/Makassar (WITA)"},
		{"bad flag", []string{"create", "--regio", "35.73"}, "flag provided but not defined"},
		{"bad id", []string{"show", "abc"}, "positive number"},
		{"two ids", []string{"pause", "1", "2"}, "one schedule id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, err := cli(t, app, out, tt.args...)
			var ue usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("broadcast %v = %v; want a one-line usage error containing %q", tt.args, err, tt.want)
			}
			if stdout != "" {
				t.Fatalf("wrote %q on stdout for bad input", stdout)
			}
		})
	}
	var n int
	if err := app.db.Get(&n, `SELECT count(*) FROM schedules`); err != nil || n != 0 {
		t.Fatalf("%d schedules saved from bad input (%v)", n, err)
	}
}

func TestRunBroadcast_Lifecycle(t *testing.T) {
	app, out := newBroadcastApp(t)
	stdout, err := cli(t, app, out, "create", "--region", "35.73.05,35.73.05.1003", "--text", "<b>ASO</b> 30 November",
		"--cron", "0 8 * * 1", "--tz", "WITA", "--until", "2026-12-31", "--urgent", "--button", "Info=https://malangkota.go.id")
	if err != nil {
		t.Fatal(err)
	}
	id, err := strconv.ParseInt(strings.TrimSpace(stdout), 10, 64)
	if err != nil {
		t.Fatalf("create printed %q, want only the schedule id", stdout)
	}
	sid := strconv.FormatInt(id, 10)
	if stdout, err = cli(t, app, out, "list"); err != nil || !strings.Contains(stdout, sid+"  ") || !strings.Contains(stdout, `setiap Senin pukul 08.00 WITA, sampai 31 Desember 2026 (cron "0 8 * * 1")`) ||
		!strings.Contains(stdout, "2026-11-23T08:00:00+08:00") || !strings.Contains(stdout, "35.73.05 ") {
		t.Fatalf("list = %q, %v", stdout, err)
	}
	for _, step := range []struct{ cmd, want string }{{"pause", "paused"}, {"resume", "status active"}, {"cancel", "status cancelled"}} {
		if stdout, err = cli(t, app, out, step.cmd, sid); err != nil || !strings.Contains(stdout, step.want) {
			t.Fatalf("%s = %q, %v", step.cmd, stdout, err)
		}
	}
	if _, err = cli(t, app, out, "resume", sid); err == nil || !strings.Contains(err.Error(), "status does not allow") {
		t.Fatalf("resume of a cancelled schedule = %v", err)
	}
	if _, err = cli(t, app, out, "show", "999"); err == nil || err.Error() != "no schedule 999" {
		t.Fatalf("show of a missing schedule = %v", err)
	}
}

func TestRunBroadcast_ShowCounts(t *testing.T) {
	app, out := newBroadcastApp(t)
	if _, err := app.db.Exec(`INSERT INTO subscribers (chat_id, village_code) VALUES (1, '35.73.05.1003'), (2, '35.73.05.1003'), (3, '35.73.05.1003')`); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pengumuman.html")
	if err := os.WriteFile(file, []byte("Vaksinasi &amp; imunisasi\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, err := cli(t, app, out, "create", "--region", "3573051003", "--text-file", file)
	if err != nil {
		t.Fatal(err)
	}
	sid := strings.TrimSpace(stdout)
	if _, err := app.db.Exec(`INSERT INTO runs (schedule_id, fire_at, status, urgent, targeted, created_at, started_at)
VALUES ($1, $2, 'sending', false, 3, $2, $2)`, sid, app.clock.Now().Add(-90*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := app.db.Exec(`INSERT INTO deliveries (run_id, chat_id, status, next_attempt_at)
SELECT r.id, c.chat_id, c.status, now() FROM runs r,
 (VALUES (1, 'sent'), (2, 'blocked'), (3, 'pending')) AS c(chat_id, status)`); err != nil {
		t.Fatal(err)
	}
	stdout, err = cli(t, app, out, "show", sid)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"status: active", "targets: 35.73.05.1003", "Vaksinasi &amp; imunisasi", "TARGETED SENT FAILED BLOCKED UNCERTAIN PENDING CANCELLED DURATION", "sending 3 1 0 1 0 1 0 1m30s"} {
		if !strings.Contains(strings.Join(strings.Fields(stdout), " "), want) {
			t.Fatalf("show = \n%s\nwant it to contain %q", stdout, want)
		}
	}
}

// TestRunBroadcast_ExplainsTiming: create says on stderr, in plain
// Indonesian, when the schedule sends and its next five fires (stdout
// stays the id alone); show says the same.
func TestRunBroadcast_ExplainsTiming(t *testing.T) {
	app, out := newBroadcastApp(t)
	stderr := app.stderr.(*bytes.Buffer)
	stdout, err := cli(t, app, out, "create", "--region", "35.73.05.1003", "--text", "Kerja bakti Senin pertama",
		"--monthly-weekday", "Senin pertama 08.00", "--tz", "WIT")
	if err != nil {
		t.Fatal(err)
	}
	sid := strings.TrimSpace(stdout)
	if _, err := strconv.Atoi(sid); err != nil {
		t.Fatalf("create printed %q, want only the schedule id", stdout)
	}
	fires := []string{
		"2026-12-07T08:00:00+09:00  Senin 7 Desember 2026 pukul 08.00 WIT",
		"2027-01-04T08:00:00+09:00  Senin 4 Januari 2027 pukul 08.00 WIT",
		"2027-02-01T08:00:00+09:00  Senin 1 Februari 2027 pukul 08.00 WIT",
		"2027-03-01T08:00:00+09:00  Senin 1 Maret 2027 pukul 08.00 WIT",
		"2027-04-05T08:00:00+09:00  Senin 5 April 2027 pukul 08.00 WIT",
	}
	want := "schedule " + sid + `: Senin pertama setiap bulan pukul 08.00 WIT (cron "0 8 * * 1#1")` + "\nnext fires:\n  " + strings.Join(fires, "\n  ") + "\n"
	if stderr.String() != want {
		t.Fatalf("create told\n%s\nwant\n%s", stderr, want)
	}
	if stdout, err = cli(t, app, out, "show", sid); err != nil {
		t.Fatal(err)
	}
	for _, line := range append([]string{`when:      Senin pertama setiap bulan pukul 08.00 WIT (cron "0 8 * * 1#1")`, "next run:  2026-12-07T08:00:00+09:00", "next fires:"}, fires...) {
		if !strings.Contains(stdout, line) {
			t.Fatalf("show =\n%s\nwant a line %q", stdout, line)
		}
	}
	stderr.Reset()
	if stdout, err = cli(t, app, out, "create", "--region", "35.73", "--text", "x", "--at", "2026-11-30 08:00"); err != nil {
		t.Fatal(err)
	}
	if want := "schedule " + strings.TrimSpace(stdout) + ": sekali, Senin 30 November 2026 pukul 08.00 WIB\nnext fires:\n  2026-11-30T08:00:00+07:00  Senin 30 November 2026 pukul 08.00 WIB\n"; stderr.String() != want {
		t.Fatalf("create told %q, want %q", stderr, want)
	}
}

func TestRunOperator(t *testing.T) {
	app, out := newBroadcastApp(t)
	run := func(args ...string) (string, error) {
		out.Reset()
		err := runOperator(context.Background(), app, args)
		return out.String(), err
	}
	if stdout, err := run("add", "--telegram-id", "123", "--region", "35.73"); err != nil || stdout != "operator 123 may broadcast within 35.73\n" {
		t.Fatalf("add = %q, %v", stdout, err)
	}
	for _, args := range [][]string{{"add", "--region", "35.73"}, {"add", "--telegram-id", "5", "--region", "35.73.99"}, {"add", "--telegram-id", "5", "--region", "x"}, {"remove"}, {}} {
		var ue usageError
		if _, err := run(args...); !errors.As(err, &ue) {
			t.Fatalf("operator %v = %v, want a usage error", args, err)
		}
	}
	if stdout, err := run("list", "--region", "35.73"); err != nil || !strings.Contains(stdout, "123          35.73") {
		t.Fatalf("list = %q, %v", stdout, err)
	}
	stdout, err := run("invite", "--region", "35.73.05", "--role", "moderator")
	if err != nil || !strings.HasPrefix(stdout, "KIM-") || len(strings.TrimSpace(stdout)) != len("KIM-XXXX-XXXX") {
		t.Fatalf("invite = %q, %v", stdout, err)
	}
}

// TestRun_BroadcastCreateRefusesWhatTelegramWouldNot: a text Telegram would
// answer "message text is empty" or "message is too long" for is refused
// when it is created, not at every delivery.
func TestRun_BroadcastCreateRefusesWhatTelegramWouldNot(t *testing.T) {
	db, dbURL := testenv.DBWithURL(t)
	env := envOf(map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": testenv.RedisURL()})
	tests := []struct {
		name, text, want string
	}{
		{"blank in tags", "<b> </b>", "shows no text"},
		{"zero-width spaces", strings.Repeat("\u200b", 5), "shows no text"},
		{"emoji counted twice", "<b>Kerja bakti</b> " + strings.Repeat("🙏", 2100), "this one has 4212: 116 too many"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut strings.Builder
			code := run(t.Context(), []string{"broadcast", "create", "--region", "35.73.05.1003", "--text", tt.text},
				env, strings.NewReader(""), &out, &errOut)
			if code != 2 || !strings.Contains(errOut.String(), tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", code, errOut.String(), tt.want)
			}
		})
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM schedules`); err != nil || n != 0 {
		t.Fatalf("%d schedules saved (%v)", n, err)
	}
}

// `broadcast report ID RUN --out FILE` writes the run page's workbook:
// typed counts per kecamatan, for the CLI's admin; bad ids and a missing
// --out get a one-line reason.
func TestRunBroadcast_ReportXLSX(t *testing.T) {
	app, out := newBroadcastApp(t)
	if _, err := app.db.Exec(`INSERT INTO subscribers (chat_id, village_code) VALUES (1, '35.73.05.1003'), (2, '35.73.05.1002'), (3, '35.73.01.1001')`); err != nil {
		t.Fatal(err)
	}
	stdout, err := cli(t, app, out, "create", "--region", "35.73", "--text", "Kerja bakti")
	if err != nil {
		t.Fatal(err)
	}
	sid := strings.TrimSpace(stdout)
	var runID int64
	if err := app.db.Get(&runID, `INSERT INTO runs (schedule_id, fire_at, status, urgent, targeted, created_at, started_at, finished_at)
VALUES ($1, $2, 'done', false, 3, $2, $2, $3) RETURNING id`, sid, app.clock.Now(), app.clock.Now().Add(90*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := app.db.Exec(`INSERT INTO deliveries (run_id, chat_id, status, last_error, next_attempt_at)
SELECT $1, c.chat_id, c.status, c.err, now() FROM (VALUES (1, 'sent', ''), (2, 'sent', ''), (3, 'blocked', 'Forbidden: bot was blocked by the user'))
AS c(chat_id, status, err)`, runID); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "laporan.xlsx")
	if _, err := cli(t, app, out, "report", sid, strconv.FormatInt(runID, 10), "--out", path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Per kecamatan")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"35.73.01", "Kec. Blimbing", "1", "0", "0", "1"}, {"35.73.05", "Kec. Lowokwaru", "2", "2", "0", "0"}}
	for i, w := range want {
		if len(rows) <= i+1 || !slices.Equal(rows[i+1][:6], w) {
			t.Fatalf("Per kecamatan = %v, want rows %v", rows, want)
		}
	}
	// A cell without a type attribute is a number in OOXML (excelize: Unset).
	if typ, _ := f.GetCellType("Ringkasan", "I2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("the sent count is a %v cell, want a number", typ)
	}
	if v, _ := f.GetCellValue("Penyebab gagal", "A2"); v != "Forbidden: bot was blocked by the user" {
		t.Errorf("first failure reason %q", v)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", sid, strconv.FormatInt(runID, 10)}, "--out FILE.xlsx is required"},
		{[]string{"report", sid, strconv.FormatInt(runID, 10), "--out", "laporan.csv"}, "ending in .xlsx"},
		{[]string{"report", sid, "--out", path}, "want a schedule id and a run id"},
		{[]string{"report", sid, "x", "--out", path}, "must be positive numbers"},
		{[]string{"report", sid, "999", "--out", path}, "has no run 999"},
		{[]string{"report", "999", strconv.FormatInt(runID, 10), "--out", path}, "has no run"},
	} {
		if _, err := cli(t, app, out, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}
