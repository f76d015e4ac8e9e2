package staff_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/migrations"
	"github.com/kimbot/kimbot/staff"
)

func day(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// TestKIM_WritesStayInScope registers, edits and lists KIM as operators
// of two scopes and a moderator, and checks every refusal.
func TestKIM_WritesStayInScope(t *testing.T) {
	e := newEnv(t)
	k, err := e.dir.AddKIM(e.ctx, opMalang, staff.KIMFields{Name: "  KIM   Tlogomas ", Area: "35.73.05.1003",
		SKNumber: "188.45/12/35.73.112/2019", SKDate: day("2019-03-04"), SKIssuer: "Wali Kota Malang", Contact: "0812 3456 7890"})
	if err != nil {
		t.Fatal(err)
	}
	if k.Name != "KIM Tlogomas" || k.SKDate.Format(time.DateOnly) != "2019-03-04" {
		t.Fatalf("stored %+v", k)
	}
	_, err = e.dir.AddKIM(e.ctx, opMalang, staff.KIMFields{Name: "kim tlogomas", Area: "35.73.05.1003"})
	isErr(t, err, staff.ErrKIMExists)

	other := staff.Actor{Role: staff.RoleOperator, TelegramID: 7002, Scope: "35.07", Name: "Kab. Malang"}
	_, err = e.dir.AddKIM(e.ctx, other, staff.KIMFields{Name: "KIM Luar", Area: "35.73.05.1002"})
	isErr(t, err, staff.ErrOutOfScope)
	_, err = e.dir.GetKIM(e.ctx, other, k.ID)
	isErr(t, err, staff.ErrNotFound)
	_, err = e.dir.EditKIM(e.ctx, other, k.ID, func(f *staff.KIMFields) { f.Name = "Diambil" })
	isErr(t, err, staff.ErrNotFound)
	_, err = e.dir.AddKIM(e.ctx, opMalang, staff.KIMFields{Name: "KIM Kota", Area: "35.73"})
	var fe *staff.KIMError
	if !errors.As(err, &fe) || fe.Field != "area" {
		t.Fatalf("a KIM of a whole city: %v", err)
	}
	_, err = e.dir.AddKIM(e.ctx, opMalang, staff.KIMFields{Name: "\u200b\u200b\u200b\u200b\u200b", Area: "35.73.05.1002"})
	if !errors.As(err, &fe) || fe.Field != "name" {
		t.Fatalf("an invisible name: %v", err)
	}
	_, err = e.dir.AddKIM(e.ctx, opMalang, staff.KIMFields{Name: "KIM Besok", Area: "35.73.05.1002", FormedOn: day("2030-01-01")})
	if !errors.As(err, &fe) || fe.Field != "formed_on" {
		t.Fatalf("formed in the future: %v", err)
	}
	_, err = e.dir.AddKIM(e.ctx, opMalang, staff.KIMFields{Name: "KIM Hilang", Area: "35.73.05.9999"})
	isErr(t, err, staff.ErrUnknownRegion)

	mod := e.add(6001, staff.RoleModerator, "35.73.05.1003", nil)
	if mod.KIMID == nil || *mod.KIMID != k.ID {
		t.Fatalf("a moderator of Tlogomas joined KIM %v, want %d", mod.KIMID, k.ID)
	}
	_, err = e.dir.AddKIM(e.ctx, mod.Actor("Sari"), staff.KIMFields{Name: "KIM Sendiri", Area: "35.73.05.1003"})
	isErr(t, err, staff.ErrForbidden)

	// Moving the KIM moves its moderators: their scope is its area.
	moved, err := e.dir.EditKIM(e.ctx, opMalang, k.ID, func(f *staff.KIMFields) { f.Area = "35.73.05" })
	if err != nil || moved.Area != "35.73.05" || moved.SKNumber != k.SKNumber {
		t.Fatalf("edit: %+v, %v", moved, err)
	}
	if got, _ := e.dir.Get(e.ctx, 6001, staff.RoleModerator); got.Scope != "35.73.05" {
		t.Fatalf("the moderator's scope stayed %s", got.Scope)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action IN ('kim_tambah', 'kim_ubah')`); n != 2 {
		t.Fatalf("%d audit entries, want 2", n)
	}

	e.add(6002, staff.RoleModerator, "35.73.05.1002", nil) // makes "KIM Merjosari"
	all, err := e.dir.ListKIM(e.ctx, opMalang, "")
	if err != nil || len(all) != 2 || all[0].Name != "KIM Tlogomas" || all[1].Name != "KIM Merjosari" {
		t.Fatalf("the city's list: %+v, %v", all, err)
	}
	m2, _ := e.dir.Get(e.ctx, 6002, staff.RoleModerator)
	own, err := e.dir.ListKIM(e.ctx, m2.Actor("Budi"), "")
	if err != nil || len(own) != 1 || own[0].Name != "KIM Merjosari" {
		t.Fatalf("a moderator's list: %+v, %v", own, err)
	}
	if none, _ := e.dir.ListKIM(e.ctx, other, ""); len(none) != 0 {
		t.Fatalf("another regency sees %+v", none)
	}
}

// A name keeps no control or direction characters: they would garble
// the pages and the spreadsheets it is shown in.
func TestKIM_NamesArePrintable(t *testing.T) {
	e := newEnv(t)
	odd, err := e.dir.AddKIM(e.ctx, opMalang, staff.KIMFields{Name: "KIM\x01 Ganjil\u200f", Area: "35.73.05.1002"})
	if err != nil || odd.Name != "KIM Ganjil" {
		t.Fatalf("control and direction characters kept: %q, %v", odd.Name, err)
	}
}

// TestMigration_EveryModeratorJoinsAKIM fills staff as it was before the
// registry (two moderators of one village with their group, one of a
// kecamatan, an operator) and checks 00020 gives each area one KIM and
// keeps every row's scope and group.
func TestMigration_EveryModeratorJoinsAKIM(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.EmptyDB(t)
	if err := migrations.UpTo(ctx, db.DB, 19); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `
INSERT INTO regions (code, parent_code, level, name, search_name) VALUES
  ('35', NULL, 1, 'Jawa Timur', 'jawatimur'), ('35.73', '35', 2, 'Kota Malang', 'kotamalang'),
  ('35.73.05', '35.73', 3, 'Lowokwaru', 'lowokwaru'), ('35.73.05.1003', '35.73.05', 4, 'Tlogomas', 'tlogomas');
INSERT INTO staff (telegram_id, role, scope, group_chat_id, group_thread_id, created_at, updated_at) VALUES
  (101, 'moderator', '35.73.05.1003', -5001, 7, '2026-03-01', '2026-03-01'),
  (102, 'moderator', '35.73.05.1003', -5001, NULL, '2026-02-01', '2026-02-01'),
  (103, 'moderator', '35.73.05', NULL, NULL, '2026-04-01', '2026-04-01'),
  (201, 'operator', '35.73', NULL, NULL, '2026-01-01', '2026-01-01');`); err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID     int64  `db:"telegram_id"`
		Scope  string `db:"scope"`
		Group  *int64 `db:"group_chat_id"`
		Thread *int   `db:"group_thread_id"`
		KIM    *string
		Since  *time.Time `db:"created_at"`
	}
	if err := db.SelectContext(ctx, &rows, `SELECT s.telegram_id, s.scope, s.group_chat_id, s.group_thread_id,
		k.name AS kim, k.created_at FROM staff s LEFT JOIN kim k ON k.id = s.kim_id ORDER BY s.telegram_id`); err != nil {
		t.Fatal(err)
	}
	want := []string{"101 35.73.05.1003 -5001/7 KIM Tlogomas 2026-02-01", "102 35.73.05.1003 -5001/0 KIM Tlogomas 2026-02-01",
		"103 35.73.05 0/0 KIM Lowokwaru 2026-04-01", "201 35.73 0/0 - -"}
	for i, r := range rows {
		g, th, name, since := int64(0), 0, "-", "-"
		if r.Group != nil {
			g = *r.Group
		}
		if r.Thread != nil {
			th = *r.Thread
		}
		if r.KIM != nil {
			name, since = *r.KIM, r.Since.UTC().Format(time.DateOnly)
		}
		if got := fmt.Sprintf("%d %s %d/%d %s %s", r.ID, r.Scope, g, th, name, since); i >= len(want) || got != want[i] {
			t.Errorf("row %d: %s", i, got)
		}
	}
	if len(rows) != len(want) {
		t.Fatalf("%d staff rows, want %d", len(rows), len(want))
	}
	if err := migrations.DownTo(ctx, db.DB, 19); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM staff WHERE group_chat_id = -5001`); err != nil || n != 2 {
		t.Fatalf("down: %d moderators kept their group, %v", n, err)
	}
}

// A moderator of a whole city belongs to no KIM: a KIM serves a
// kelurahan or a kecamatan, and one of a city could never be edited.
func TestKIM_CityModeratorNoKIM(t *testing.T) {
	e := newEnv(t)
	m := e.add(6005, staff.RoleModerator, "35.73", nil)
	if m.KIMID != nil {
		t.Fatalf("a city's moderator joined KIM %d", *m.KIMID)
	}
	if n := e.count(`SELECT count(*) FROM kim`); n != 0 {
		t.Fatalf("%d KIM made for a city's moderator", n)
	}
}
