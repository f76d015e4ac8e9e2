package staff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/staff"
)

// The operator of Kabupaten Malang, a regency beside the city.
var opKabMalang = staff.Actor{Role: staff.RoleOperator, TelegramID: 7002, Scope: "35.07", Name: "Diskominfo Kab. Malang"}

// An operator sees the invitations of their scope, with who redeemed
// which, and none of another regency's.
func TestDirectory_ListInvites(t *testing.T) {
	e := newEnv(t)
	e.add(opKabMalang.TelegramID, staff.RoleOperator, opKabMalang.Scope, nil)
	code, _, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleModerator, "35.73.05.1003")
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if _, _, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleOperator, "35.73.05"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.dir.CreateInvite(e.ctx, opKabMalang, staff.RoleOperator, "35.07"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.dir.Redeem(e.ctx, code, 8001); err != nil {
		t.Fatal(err)
	}
	got, err := e.dir.ListInvites(e.ctx, opMalang)
	if err != nil || len(got) != 2 {
		t.Fatalf("ListInvites = %+v, %v; want the city's 2", got, err)
	}
	if got[0].Scope != "35.73.05" || got[1].RedeemedBy == nil || *got[1].RedeemedBy != 8001 {
		t.Fatalf("newest first, with the redeemer: %+v", got)
	}
	if other, _ := e.dir.ListInvites(e.ctx, opKabMalang); len(other) != 1 || other[0].Scope != "35.07" {
		t.Fatalf("the regency sees %+v", other)
	}
	if all, _ := e.dir.ListInvites(e.ctx, staff.Admin()); len(all) != 3 {
		t.Fatalf("the admin sees %d, want 3", len(all))
	}
	moderator := staff.Actor{Role: staff.RoleModerator, TelegramID: 8001, Scope: "35.73.05.1003"}
	_, err = e.dir.ListInvites(e.ctx, moderator)
	isErr(t, err, staff.ErrForbidden)
}

// A revoked code can no longer be redeemed; a code outside the scope is
// as if it did not exist; a used or expired one says so.
func TestDirectory_RevokeInvite(t *testing.T) {
	e := newEnv(t)
	code, inv, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleModerator, "35.73.05.1003")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.dir.RevokeInvite(e.ctx, opKabMalang, inv.ID)
	isErr(t, err, staff.ErrNotFound)
	if _, err := e.dir.RevokeInvite(e.ctx, opMalang, inv.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.dir.Redeem(e.ctx, code, 8001)
	isErr(t, err, staff.ErrInviteExpired)
	_, err = e.dir.RevokeInvite(e.ctx, opMalang, inv.ID)
	isErr(t, err, staff.ErrInviteExpired)

	used, inv2, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleModerator, "35.73.05.1002")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.dir.Redeem(e.ctx, used, 8002); err != nil {
		t.Fatal(err)
	}
	_, err = e.dir.RevokeInvite(e.ctx, opMalang, inv2.ID)
	isErr(t, err, staff.ErrInviteUsed)
	_, err = e.dir.RevokeInvite(e.ctx, opMalang, 999999)
	isErr(t, err, staff.ErrNotFound)
}

// An operator removes roles inside their scope only, never their own.
func TestDirectory_Remove(t *testing.T) {
	e := newEnv(t)
	e.add(8001, staff.RoleModerator, "35.73.05.1003", nil)
	e.add(8002, staff.RoleModerator, "35.07.01.2001", nil)
	e.add(opKabMalang.TelegramID, staff.RoleOperator, opKabMalang.Scope, nil)

	_, err := e.dir.Remove(e.ctx, opMalang, 8002, staff.RoleModerator)
	isErr(t, err, staff.ErrNotFound)
	_, err = e.dir.Remove(e.ctx, opMalang, opKabMalang.TelegramID, staff.RoleOperator)
	isErr(t, err, staff.ErrNotFound)
	_, err = e.dir.Remove(e.ctx, opMalang, opMalang.TelegramID, staff.RoleOperator)
	isErr(t, err, staff.ErrForbidden)
	_, err = e.dir.Remove(e.ctx, opMalang, 8001, staff.RoleOperator) // holds no such role
	isErr(t, err, staff.ErrNotFound)

	m, err := e.dir.Remove(e.ctx, opMalang, 8001, staff.RoleModerator)
	if err != nil || m.Scope != "35.73.05.1003" {
		t.Fatalf("Remove = %+v, %v", m, err)
	}
	if a, _ := e.dir.Who(e.ctx, 8001, ""); a.IsStaff() {
		t.Fatalf("8001 is still %+v", a)
	}
	if n := e.count(`SELECT count(*) FROM staff WHERE telegram_id = 8002`); n != 1 {
		t.Fatal("another regency's moderator was touched")
	}
}

// Every change to who is staff is in the audit log, with who did it and
// the region it concerned, whatever the transport: the CLI's admin adding
// someone, an operator inviting, the invitee joining, an operator revoking
// and removing; refused changes write nothing.
func TestDirectory_ChangesAudited(t *testing.T) {
	e := newEnv(t)
	e.add(8001, staff.RoleModerator, "35.73.05.1003", nil) // by the CLI's admin
	_, err := e.dir.Remove(e.ctx, opKabMalang, 8001, staff.RoleModerator)
	isErr(t, err, staff.ErrNotFound) // outside the regency's scope: refused, nothing written
	code, _, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleModerator, "35.73.05.1002")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.dir.Redeem(e.ctx, code, 8002); err != nil {
		t.Fatal(err)
	}
	_, other, err := e.dir.CreateInvite(e.ctx, opMalang, staff.RoleOperator, "35.73")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.dir.RevokeInvite(e.ctx, opMalang, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.dir.Remove(e.ctx, opMalang, 8001, staff.RoleModerator); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"admin 0 tambah_peran 35.73", // newEnv's operator
		"admin 0 tambah_peran 35.73.05.1003",
		"operator 7001 undang 35.73.05.1002",
		"moderator 8002 gabung 35.73.05.1002",
		"operator 7001 undang 35.73",
		"operator 7001 cabut_undangan 35.73",
		"operator 7001 hapus_peran 35.73.05.1003",
	}
	var got []string
	if err := e.db.Select(&got, `SELECT actor_role || ' ' || actor_id || ' ' || action || ' ' || scope FROM audit_log ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
