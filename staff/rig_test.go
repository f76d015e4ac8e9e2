package staff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// start is when every test's clock begins.
var start = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)

// The operator of Kota Malang who invites in these tests.
var opMalang = staff.Actor{Role: staff.RoleOperator, TelegramID: 7001, Scope: "35.73", Name: "Diskominfo Malang"}

type env struct {
	t     *testing.T
	ctx   context.Context
	dir   *staff.Directory
	clock *message.ManualClock
	count func(query string, args ...any) int
	db    *sqlx.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	db := testenv.DB(t)
	e := &env{t: t, ctx: context.Background(), clock: message.NewManualClock(start), db: db}
	e.dir = staff.New(db, e.clock)
	e.count = func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.Get(&n, query, args...); err != nil {
			t.Fatal(err)
		}
		return n
	}
	e.add(opMalang.TelegramID, staff.RoleOperator, opMalang.Scope, nil)
	return e
}

// add gives id role over scope as the CLI does, failing the test on error.
func (e *env) add(id int64, role staff.Role, scope region.Code, group *int64) staff.Member {
	e.t.Helper()
	m, err := e.dir.Add(e.ctx, staff.Admin(), id, role, scope, group)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func isErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}
