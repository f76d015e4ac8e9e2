package staff_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/migrations"
	"github.com/kimbot/kimbot/staff"
)

// sqlOldStaff fills the schema before migration 00012 the way kimbot did:
// operators and moderators in tables of their own (one person both), a
// moderator group, a pending group link code and an invitation.
const sqlOldStaff = `
INSERT INTO regions (code, parent_code, level, name, search_name) VALUES
  ('35', NULL, 1, 'Jawa Timur', 'jawatimur'),
  ('35.73', '35', 2, 'Kota Malang', 'kotamalang'),
  ('35.73.05', '35.73', 3, 'Lowokwaru', 'lowokwaru'),
  ('35.73.05.1003', '35.73.05', 4, 'Tlogomas', 'tlogomas');
INSERT INTO operators (telegram_id, scope, added_by, created_at, updated_at) VALUES
  (201, '35.73', NULL, '2026-01-02 03:04:05+00', '2026-01-03 00:00:00+00'),
  (101, '35.73.05', 201, '2026-02-01 00:00:00+00', '2026-02-01 00:00:00+00');
INSERT INTO moderators (telegram_id, scope, group_chat_id, added_by, created_at, updated_at) VALUES
  (101, '35.73.05.1003', -5001, 201, '2026-03-01 00:00:00+00', '2026-03-02 00:00:00+00'),
  (102, '35.73.05', NULL, NULL, '2026-03-05 00:00:00+00', '2026-03-05 00:00:00+00');
INSERT INTO moderator_link_codes (code_hash, moderator_id, created_at, expires_at) VALUES
  ('\x01', 102, '2026-11-22 03:00:00+00', '2026-11-22 04:00:00+00');
INSERT INTO invites (code_hash, role, scope, created_by, created_at, expires_at) VALUES
  ('\x02', 'moderator', '35.73.05.1003', 201, '2026-11-22 03:00:00+00', '2026-11-29 03:00:00+00');`

// TestMigration_StaffKeepsEveryRole fills the old schema, migrates it and
// checks that every operator, moderator, group, link code and invitation
// is still there, and that down and up again keeps them too.
func TestMigration_StaffKeepsEveryRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.EmptyDB(t)
	if err := migrations.UpTo(ctx, db.DB, 11); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, sqlOldStaff); err != nil {
		t.Fatal(err)
	}
	check := func(stage string) {
		t.Helper()
		var rows []staff.Member
		if err := db.SelectContext(ctx, &rows, `SELECT telegram_id, role, scope, group_chat_id, added_by, created_at, updated_at
			FROM staff ORDER BY telegram_id, role`); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		want := []struct {
			id    int64
			role  staff.Role
			scope string
			group int64
			by    int64
			at    string
		}{
			{101, staff.RoleModerator, "35.73.05.1003", -5001, 201, "2026-03-01"},
			{101, staff.RoleOperator, "35.73.05", 0, 201, "2026-02-01"},
			{102, staff.RoleModerator, "35.73.05", 0, 0, "2026-03-05"},
			{201, staff.RoleOperator, "35.73", 0, 0, "2026-01-02"},
		}
		if len(rows) != len(want) {
			t.Fatalf("%s: %d staff rows %+v, want %d", stage, len(rows), rows, len(want))
		}
		for i, w := range want {
			m := rows[i]
			group, by := int64(0), int64(0)
			if m.GroupChatID != nil {
				group = *m.GroupChatID
			}
			if m.AddedBy != nil {
				by = *m.AddedBy
			}
			if m.TelegramID != w.id || m.Role != w.role || string(m.Scope) != w.scope || group != w.group || by != w.by ||
				m.CreatedAt.UTC().Format(time.DateOnly) != w.at {
				t.Errorf("%s: row %d = %+v, want %+v", stage, i, m, w)
			}
		}
		var codes, invites int
		if err := db.GetContext(ctx, &codes, `SELECT count(*) FROM group_link_codes WHERE moderator_id = 102`); err != nil || codes != 1 {
			t.Errorf("%s: %d group link codes, %v", stage, codes, err)
		}
		if err := db.GetContext(ctx, &invites, `SELECT count(*) FROM invites WHERE role = 'moderator'`); err != nil || invites != 1 {
			t.Errorf("%s: %d invites, %v", stage, invites, err)
		}
	}
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	check("after 00012")
	// The link code still cascades when its moderator goes.
	if _, err := db.ExecContext(ctx, `DELETE FROM staff WHERE telegram_id = 102`); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.GetContext(ctx, &left, `SELECT count(*) FROM group_link_codes`); err != nil || left != 0 {
		t.Fatalf("%d link codes left after their moderator went, %v", left, err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO staff VALUES (102, 'moderator', '35.73.05', NULL, NULL, '2026-03-05', '2026-03-05');
		INSERT INTO group_link_codes (code_hash, moderator_id, created_at, expires_at) VALUES ('\x01', 102, now(), now())`); err != nil {
		t.Fatal(err)
	}
	if err := migrations.DownTo(ctx, db.DB, 11); err != nil {
		t.Fatal(err)
	}
	var ops, mods int
	if err := db.GetContext(ctx, &ops, `SELECT count(*) FROM operators`); err != nil || ops != 2 {
		t.Fatalf("down: %d operators, %v", ops, err)
	}
	if err := db.GetContext(ctx, &mods, `SELECT count(*) FROM moderators WHERE group_chat_id = -5001`); err != nil || mods != 1 {
		t.Fatalf("down: %d moderators with their group, %v", mods, err)
	}
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	check("after down and up")
}

// TestMigration_StaffGroupTopic: 00013 adds the group link's forum topic
// without touching a row (every link made before it means General), a
// topic without a group is refused, and down and up again keep the rows.
func TestMigration_StaffGroupTopic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.EmptyDB(t)
	if err := migrations.UpTo(ctx, db.DB, 12); err != nil {
		t.Fatal(err)
	}
	const rows = `
INSERT INTO regions (code, parent_code, level, name, search_name) VALUES
  ('35', NULL, 1, 'Jawa Timur', 'jawatimur'),
  ('35.73', '35', 2, 'Kota Malang', 'kotamalang');
INSERT INTO staff (telegram_id, role, scope, group_chat_id, added_by, created_at, updated_at) VALUES
  (101, 'moderator', '35.73', -5001, 201, '2026-03-01 00:00:00+00', '2026-03-02 00:00:00+00'),
  (102, 'moderator', '35.73', NULL, NULL, '2026-03-05 00:00:00+00', '2026-03-05 00:00:00+00'),
  (201, 'operator', '35', NULL, NULL, '2026-01-02 00:00:00+00', '2026-01-02 00:00:00+00');`
	if _, err := db.ExecContext(ctx, rows); err != nil {
		t.Fatal(err)
	}
	const sqlRows = `SELECT telegram_id, role, scope, group_chat_id, added_by, created_at, updated_at FROM staff ORDER BY telegram_id`
	var before []staff.Member
	if err := db.SelectContext(ctx, &before, sqlRows); err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	var after []staff.Member
	if err := db.SelectContext(ctx, &after, `SELECT * FROM staff ORDER BY telegram_id`); err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("%d rows after 00013, want %d", len(after), len(before))
	}
	for i, m := range after {
		if m.GroupThreadID != nil {
			t.Errorf("row %d has topic %d, want General (NULL)", i, *m.GroupThreadID)
		}
		if memberRow(m) != memberRow(before[i]) {
			t.Errorf("row %d = %+v, want %+v", i, m, before[i])
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE staff SET group_thread_id = 17 WHERE telegram_id = 101`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE staff SET group_thread_id = 17 WHERE telegram_id = 102`); err == nil {
		t.Fatal("a topic without a group was accepted")
	}
	if err := migrations.DownTo(ctx, db.DB, 12); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM staff WHERE group_chat_id = -5001`); err != nil || n != 1 {
		t.Fatalf("down: %d rows with the group, %v", n, err)
	}
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
}

// memberRow is m's columns as text, pointers followed.
func memberRow(m staff.Member) string {
	val := func(p *int64) string {
		if p == nil {
			return "NULL"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("%d %s %s %s %s %s %s", m.TelegramID, m.Role, m.Scope, val(m.GroupChatID), val(m.AddedBy),
		m.CreatedAt.UTC().Format(time.RFC3339), m.UpdatedAt.UTC().Format(time.RFC3339))
}
