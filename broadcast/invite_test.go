package broadcast_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
)

func TestInvites_CreateAndRedeem(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	if _, err := e.operators.Add(ctx, broadcast.Admin, opMalang.TelegramID, "35.73"); err != nil {
		t.Fatal(err)
	}
	code, inv, err := e.invites.Create(ctx, opMalang, broadcast.RoleOperator, "35.73.05")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^KIM-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`).MatchString(code) {
		t.Fatalf("code %q is not of the form KIM-XXXX-XXXX", code)
	}
	if n := e.count(t, `SELECT count(*) FROM invites WHERE position(convert_to($1::text, 'UTF8') in code_hash) > 0`, code); n != 0 {
		t.Fatal("the code itself is stored")
	}
	if !inv.ExpiresAt.Equal(schedStart.Add(7 * 24 * time.Hour)) {
		t.Fatalf("expires %s", inv.ExpiresAt)
	}
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	_, op, err := e.invites.Redeem(ctx, typed, 8001)
	if err != nil || op.Scope != "35.73.05" || op.AddedBy == nil || *op.AddedBy != opMalang.TelegramID {
		t.Fatalf("Redeem(%q) = %+v, %v", typed, op, err)
	}
	if got, err := e.operators.Get(ctx, 8001); err != nil || got.Scope != "35.73.05" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if _, _, err := e.invites.Redeem(ctx, code, 8002); !errors.Is(err, broadcast.ErrInviteUsed) {
		t.Fatalf("second redeem = %v, want ErrInviteUsed", err)
	}
	if _, err := e.operators.Get(ctx, 8002); !errors.Is(err, broadcast.ErrNotFound) {
		t.Fatalf("second redeemer became an operator: %v", err)
	}
}

func TestInvites_Refused(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	if _, _, err := e.invites.Create(ctx, opMalang, broadcast.RoleOperator, "35.07"); !errors.Is(err, broadcast.ErrOutOfScope) {
		t.Fatalf("invite outside own scope = %v, want ErrOutOfScope", err)
	}
	if _, _, err := e.invites.Create(ctx, opMalang, broadcast.RoleOperator, "35"); !errors.Is(err, broadcast.ErrOutOfScope) {
		t.Fatalf("invite for a wider scope = %v, want ErrOutOfScope", err)
	}
	if _, _, err := e.invites.Create(ctx, opMalang, broadcast.RoleOperator, "35.73.99"); !errors.Is(err, broadcast.ErrUnknownRegion) {
		t.Fatalf("invite for an unknown region = %v", err)
	}
	if _, _, err := e.invites.Redeem(ctx, "KIM-2222-2222", 9001); !errors.Is(err, broadcast.ErrInviteInvalid) {
		t.Fatalf("unknown code = %v", err)
	}
	mod, _, err := e.invites.Create(ctx, opMalang, broadcast.RoleModerator, "35.73.05.1003")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.invites.Redeem(ctx, mod, 9001); !errors.Is(err, broadcast.ErrInviteInvalid) {
		t.Fatalf("moderator code redeemed as operator = %v", err)
	}
	tx := e.db.MustBegin()
	inv, err := broadcast.RedeemInviteTx(ctx, tx, mod, broadcast.RoleModerator, 9001, e.clock.Now())
	if err != nil || inv.Scope != "35.73.05.1003" || inv.Role != broadcast.RoleModerator {
		t.Fatalf("RedeemInviteTx = %+v, %v", inv, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	old, _, _ := e.invites.Create(ctx, opMalang, broadcast.RoleOperator, "35.73")
	e.clock.Advance(broadcast.InviteTTL + time.Second)
	if _, _, err := e.invites.Redeem(ctx, old, 9002); !errors.Is(err, broadcast.ErrInviteExpired) {
		t.Fatalf("expired code = %v", err)
	}
	fresh, _, _ := e.invites.Create(ctx, broadcast.Admin, broadcast.RoleOperator, "35.73")
	if _, err := e.operators.Add(ctx, broadcast.Admin, 9003, "35"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.invites.Redeem(ctx, fresh, 9003); !errors.Is(err, broadcast.ErrAlreadyInvited) {
		t.Fatalf("existing operator redeeming = %v", err)
	}
	modCode, _, _ := e.invites.Create(ctx, broadcast.Admin, broadcast.RoleModerator, "35.73.05.1003")
	if _, _, err := e.invites.Redeem(ctx, modCode, 9003); !errors.Is(err, broadcast.ErrInviteInvalid) {
		t.Fatalf("operator redeeming a moderator code as operator = %v, want ErrInviteInvalid", err)
	}
	if got, _ := e.operators.Get(ctx, 9003); got.Scope != "35" {
		t.Fatalf("existing operator's scope changed to %s", got.Scope)
	}
}

func TestInvites_RedeemRace(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	code, _, err := e.invites.Create(ctx, broadcast.Admin, broadcast.RoleOperator, "35.73")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = e.invites.Redeem(ctx, code, int64(10000+i))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, broadcast.ErrInviteUsed):
			t.Fatalf("racing redeem: %v", err)
		}
	}
	if ok != 1 || e.count(t, `SELECT count(*) FROM operators`) != 1 {
		t.Fatalf("%d redeems succeeded, want exactly 1", ok)
	}
}

func TestOperators_AddAndList(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	for id, scope := range map[int64]string{1: "35.73", 2: "35.73.05", 3: "35.07", 4: "35"} {
		if _, err := e.operators.Add(ctx, broadcast.Admin, id, region.Code(scope)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.operators.Add(ctx, broadcast.Admin, 5, "35.73.99"); !errors.Is(err, broadcast.ErrUnknownRegion) {
		t.Fatalf("unknown region = %v", err)
	}
	if _, err := e.operators.Add(ctx, opMalang, 6, "35.07"); !errors.Is(err, broadcast.ErrOutOfScope) {
		t.Fatalf("out of scope = %v", err)
	}
	list, err := e.operators.List(ctx, opMalang)
	if err != nil || len(list) != 2 || list[0].Scope != "35.73" || list[1].Scope != "35.73.05" {
		t.Fatalf("List(35.73) = %+v, %v", list, err)
	}
	if _, err := e.operators.Get(ctx, 99); !errors.Is(err, broadcast.ErrNotFound) {
		t.Fatalf("Get of a resident = %v", err)
	}
}

func TestOperators_OperatorsCovering(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	for id, scope := range map[int64]string{1: "35.73", 2: "35.73.05", 3: "35.07", 4: "35", 5: "35.73.01"} {
		if _, err := e.operators.Add(ctx, broadcast.Admin, id, region.Code(scope)); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := e.operators.OperatorsCovering(ctx, "35.73.05.1003")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids) != "[1 2 4]" {
		t.Fatalf("operators covering Tlogomas = %v, want the city, the district and the province: [1 2 4]", ids)
	}
}
