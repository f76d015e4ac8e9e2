package staff_test

import (
	"fmt"
	"testing"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

func TestDirectory_Who(t *testing.T) {
	e := newEnv(t)
	group := int64(-5001)
	e.add(101, staff.RoleModerator, "35.73.05.1003", &group)
	e.add(102, staff.RoleModerator, "35.73.05.1002", nil)
	e.add(102, staff.RoleOperator, "35.73.05", nil) // both: the operator role wins
	for _, c := range []struct {
		id    int64
		role  staff.Role
		scope region.Code
	}{
		{101, staff.RoleModerator, "35.73.05.1003"},
		{102, staff.RoleOperator, "35.73.05"},
		{opMalang.TelegramID, staff.RoleOperator, "35.73"},
		{9001, staff.RoleResident, ""},
		{0, staff.RoleResident, ""},
	} {
		a, err := e.dir.Who(e.ctx, c.id, "Sari")
		if err != nil || a.Role != c.role || a.Scope != c.scope || a.TelegramID != c.id {
			t.Errorf("Who(%d) = %+v, %v; want %s of %q", c.id, a, err, c.role, c.scope)
		}
		if (a.Role == staff.RoleResident) == a.IsStaff() {
			t.Errorf("Who(%d).IsStaff() = %v", c.id, a.IsStaff())
		}
	}
}

func TestDirectory_AddAndList(t *testing.T) {
	e := newEnv(t)
	for id, scope := range map[int64]region.Code{1: "35.73", 2: "35.73.05", 3: "35.07", 4: "35"} {
		e.add(id, staff.RoleOperator, scope, nil)
	}
	_, err := e.dir.Add(e.ctx, staff.Admin(), 5, staff.RoleOperator, "35.73.99", nil)
	isErr(t, err, staff.ErrUnknownRegion)
	_, err = e.dir.Add(e.ctx, opMalang, 6, staff.RoleOperator, "35.07", nil)
	isErr(t, err, staff.ErrOutOfScope)
	mod := staff.Actor{Role: staff.RoleModerator, TelegramID: 50, Scope: "35.73"}
	_, err = e.dir.Add(e.ctx, mod, 6, staff.RoleModerator, "35.73.05.1003", nil)
	isErr(t, err, staff.ErrForbidden)
	group := int64(-10)
	_, err = e.dir.Add(e.ctx, staff.Admin(), 7, staff.RoleOperator, "35.73", &group)
	isErr(t, err, staff.ErrInvalid) // operators have no group
	_, err = e.dir.Add(e.ctx, staff.Admin(), -7, staff.RoleOperator, "35.73", nil)
	isErr(t, err, staff.ErrInvalid)
	list, err := e.dir.List(e.ctx, opMalang, staff.RoleOperator)
	if err != nil || len(list) != 3 || list[0].Scope != "35.73" || list[2].Scope != "35.73.05" {
		t.Fatalf("List(35.73) = %+v, %v", list, err)
	}
	_, err = e.dir.Get(e.ctx, 99, staff.RoleOperator)
	isErr(t, err, staff.ErrNotFound)
	// Moving a moderator keeps their group unless a new one is given.
	e.add(60, staff.RoleModerator, "35.73.05.1003", &group)
	m := e.add(60, staff.RoleModerator, "35.73.05", nil)
	if m.Scope != "35.73.05" || m.GroupChatID == nil || *m.GroupChatID != group {
		t.Errorf("moved moderator %+v", m)
	}
}

func TestDirectory_Covering(t *testing.T) {
	e := newEnv(t)
	for id, scope := range map[int64]region.Code{1: "35.73.05", 2: "35.07", 3: "35", 4: "35.73.01"} {
		e.add(id, staff.RoleOperator, scope, nil)
	}
	ids, err := e.dir.OperatorsCovering(e.ctx, "35.73.05.1003")
	if err != nil || fmt.Sprint(ids) != "[1 3 7001]" {
		t.Fatalf("operators covering Tlogomas = %v, %v; want the district, the province and the city", ids, err)
	}
	group := int64(-5001)
	e.add(101, staff.RoleModerator, "35.73.05.1003", &group)
	e.add(102, staff.RoleModerator, "35.73.05", nil)
	e.add(103, staff.RoleModerator, "35.73.05.1002", nil)
	chats, err := e.dir.ModeratorChatsCovering(e.ctx, "35.73.05.1003")
	if err != nil || fmt.Sprint(chats) != "[{-5001 0} {102 0}]" {
		t.Fatalf("moderator chats of Tlogomas = %v, %v; want its KIM group and the district moderator", chats, err)
	}
}
