package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
)

// newAspirationsApp is a cliApp on a fresh database at Sunday 22 Nov 2026
// 10:00 WIB with one ticket filed in Tlogomas.
func newAspirationsApp(t *testing.T) (*cliApp, *bytes.Buffer, aspirations.Ticket) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	app := &cliApp{cfg: Config{TZ: loc}, db: testenv.DB(t), stdout: out, stderr: &bytes.Buffer{},
		clock: message.NewManualClock(time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC))}
	svc := aspirations.NewService(app.db, nil, "", app.clock, nil, aspirations.Config{TZ: loc})
	tk, err := svc.File(context.Background(), aspirations.NewTicket{ResidentChat: 9001, ResidentName: "Siti",
		VillageCode: "35.73.05.1003", Category: aspirations.CategoryHealth, Text: "Posyandu butuh timbangan baru"})
	if err != nil {
		t.Fatal(err)
	}
	return app, out, tk
}

func runAsp(app *cliApp, out *bytes.Buffer, run func(context.Context, *cliApp, []string) error, args ...string) (string, error) {
	out.Reset()
	err := run(context.Background(), app, args)
	return out.String(), err
}

func TestRunModerator(t *testing.T) {
	app, out, _ := newAspirationsApp(t)
	got, err := runAsp(app, out, runModerator, "add", "--telegram-id", "101", "--region", "3573051003", "--group-chat-id", "-1001234")
	if err != nil || !strings.Contains(got, "moderator 101 reviews aspirations within 35.73.05.1003 (posts to group -1001234)") {
		t.Fatalf("add: %q, %v", got, err)
	}
	var scope string
	if err := app.db.Get(&scope, `SELECT scope FROM staff WHERE telegram_id = 101 AND role = 'moderator'`); err != nil || scope != "35.73.05.1003" {
		t.Fatalf("stored scope %q, %v", scope, err)
	}
	// Moved without a group, the moderator keeps the one linked before, and
	// the answer says where posts really go.
	got, err = runAsp(app, out, runModerator, "add", "--telegram-id", "101", "--region", "35.73.05")
	if err != nil || !strings.Contains(got, "within 35.73.05 (posts to group -1001234)") {
		t.Fatalf("move: %q, %v", got, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "usage: kimbot moderator add"},
		{[]string{"add", "--region", "35.73"}, "--telegram-id must be"},
		{[]string{"add", "--telegram-id", "5", "--region", "35.73.99"}, "no such region"},
		{[]string{"add", "--telegram-id", "5", "--region", "malang"}, "--region"},
		{[]string{"add", "--telegram-id", "5", "--region", "35.73", "--group-chat-id", "42"}, "negative"},
		{[]string{"add", "--telegram", "5"}, "flag provided but not defined"},
	} {
		_, err := runAsp(app, out, runModerator, c.args...)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want a one-line usage error with %q", c.args, err, c.want)
		}
	}
}

func TestRunAspirations_List(t *testing.T) {
	app, out, tk := newAspirationsApp(t)
	got, err := runAsp(app, out, runAspirations, "list")
	if err != nil || !strings.HasPrefix(got, "tiket") || !strings.Contains(got, tk.Number) || !strings.Contains(got, "Tlogomas") {
		t.Fatalf("table: %q, %v", got, err)
	}
	got, err = runAsp(app, out, runAspirations, "list", "--region", "35.73.05", "--status", "baru", "--format", "csv")
	if err != nil || !strings.HasPrefix(got, "\uFEFF\"tiket\"") || !strings.Contains(got, "\""+tk.Number+"\",\"2026-11-22 10:00\",\"Tlogomas\",\"Lowokwaru\",\"Kesehatan\",\"Baru\",\"\",\"\"\r\n") {
		t.Fatalf("csv: %q, %v", got, err)
	}
	if strings.Contains(got, "Siti") {
		t.Error("the report names the resident")
	}
	got, err = runAsp(app, out, runAspirations, "list", "--region", "35.78", "--format", "csv")
	if err != nil || strings.Count(got, "\r\n") != 1 {
		t.Errorf("other city: %q, %v", got, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "usage: kimbot aspirations"},
		{[]string{"delete"}, "unknown subcommand"},
		{[]string{"list", "--status", "open"}, "unknown status"},
		{[]string{"list", "--format", "xlsx"}, "needs --out"},
		{[]string{"list", "--format", "ods"}, "table, csv or xlsx"},
		{[]string{"list", "--region", "x"}, "--region"},
		{[]string{"list", "extra"}, "unexpected"},
	} {
		_, err := runAsp(app, out, runAspirations, c.args...)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want usage error with %q", c.args, err, c.want)
		}
	}
}

func TestRunAspirations_Answer(t *testing.T) {
	app, out, tk := newAspirationsApp(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"answer", "--text", "x"}, "name one ticket"},
		{[]string{"answer", tk.Number}, "--text is required"},
		{[]string{"answer", "ASP-2026-999999", "--text", "x"}, "no ticket"},
	} {
		_, err := runAsp(app, out, runAspirations, c.args...)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want usage error with %q", c.args, err, c.want)
		}
	}
	got, err := runAsp(app, out, runAspirations, "answer", strings.ToLower(tk.Number), "--text", "Timbangan datang minggu depan.")
	if err != nil || !strings.Contains(got, tk.Number+" answered") {
		t.Fatalf("answer: %q, %v", got, err)
	}
	var status, payload string
	if err := app.db.QueryRow(`SELECT t.status, o.payload::text FROM aspiration_tickets t JOIN aspiration_outbox o
		ON o.ticket_id = t.id AND o.kind = 'answer' WHERE t.id = $1`, tk.ID).Scan(&status, &payload); err != nil {
		t.Fatal(err)
	}
	if status != "dijawab" || !strings.Contains(payload, "Timbangan datang") {
		t.Errorf("status %s, queued %s", status, payload)
	}
	_, err = runAsp(app, out, runAspirations, "answer", "--text", "lagi", tk.Number)
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "dijawab") {
		t.Errorf("answering twice: %v", err)
	}
}

// --format xlsx --out FILE writes a workbook Excel opens with typed cells;
// `kimbot subscribers list` does the same per village.
func TestRunAspirations_XLSX(t *testing.T) {
	app, out, tk := newAspirationsApp(t)
	path := filepath.Join(t.TempDir(), "aspirasi.xlsx")
	if _, err := runAsp(app, out, runAspirations, "list", "--format", "xlsx", "--out", path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Aspirasi", "A2"); v != tk.Number {
		t.Errorf("A2 = %q, want %s", v, tk.Number)
	}
	if v, _ := f.GetCellValue("Aspirasi", "B2"); v != "22/11/2026 10:00" {
		t.Errorf("B2 = %q, want the date in WIB", v)
	}

	if _, err := app.db.Exec(`INSERT INTO subscribers (chat_id, village_code, status) VALUES (1, '35.73.05.1003', 'active'), (2, '35.73.05.1003', 'blocked')`); err != nil {
		t.Fatal(err)
	}
	got, err := runAsp(app, out, runSubscribers, "list", "--region", "35.73.05")
	if err != nil || !strings.Contains(got, "35.73.05.1003") || !strings.Contains(got, "Tlogomas") {
		t.Fatalf("subscribers table: %q, %v", got, err)
	}
	if _, err := runAsp(app, out, runSubscribers, "list", "--region", "99.99"); err == nil || !strings.Contains(err.Error(), "no such region") {
		t.Errorf("a region that does not exist: %v", err)
	}
	path = filepath.Join(t.TempDir(), "pelanggan.xlsx")
	if _, err := runAsp(app, out, runSubscribers, "list", "--region", "35.73.05", "--format", "xlsx", "--out", path); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	rows, _ := g.GetRows(g.GetSheetName(0))
	found := false
	for _, r := range rows {
		if r[0] == "35.73.05.1003" {
			found = r[3] == "1" && r[5] == "1"
		}
	}
	if !found {
		t.Errorf("Tlogomas row missing or wrong: %q", rows)
	}
	if _, err := runAsp(app, out, runSubscribers, "list", "--format", "xlsx"); !errors.As(err, new(usageError)) {
		t.Errorf("xlsx without --out: %v", err)
	}
}
