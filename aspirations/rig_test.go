package aspirations_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// The places and people of the tests: two villages of one district of
// Kota Malang, and another city.
const (
	villageA = region.Code("35.73.05.1003") // Tlogomas
	villageB = region.Code("35.73.05.1002") // Merjosari
	district = region.Code("35.73.05")      // Lowokwaru
	city     = region.Code("35.73")         // Kota Malang
	other    = region.Code("35.78")         // Kota Surabaya

	modA        = int64(101)
	modB        = int64(102)
	modDistrict = int64(103)
	opCity      = int64(201)
	opOther     = int64(202)
	groupA      = int64(-5001)
	groupDist   = int64(-5003)
	resident    = int64(9001)
	resident2   = int64(9002)
)

var (
	actorModA     = staff.Actor{Role: staff.RoleModerator, TelegramID: modA, Scope: villageA, Name: "Sari"}
	actorModB     = staff.Actor{Role: staff.RoleModerator, TelegramID: modB, Scope: villageB, Name: "Budi"}
	actorModDist  = staff.Actor{Role: staff.RoleModerator, TelegramID: modDistrict, Scope: district, Name: "Dewi"}
	actorOpCity   = staff.Actor{Role: staff.RoleOperator, TelegramID: opCity, Scope: city, Name: "Diskominfo Malang"}
	actorOpOther  = staff.Actor{Role: staff.RoleOperator, TelegramID: opOther, Scope: other, Name: "Diskominfo Surabaya"}
	actorResident = staff.Actor{Role: staff.RoleResident, TelegramID: resident, Scope: villageA}
)

// start is 10:00 WIB on a Sunday.
var start = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)

// addStaff gives id role over scope (with a moderator's group), as the
// CLI would.
func addStaff(t testing.TB, db *sqlx.DB, role staff.Role, id int64, scope region.Code, group *int64) {
	t.Helper()
	if _, err := staff.New(db, nil).Add(context.Background(), staff.Admin(), id, role, scope, group); err != nil {
		t.Fatal(err)
	}
}

type rig struct {
	t           testing.TB
	ctx         context.Context
	svc         *aspirations.Service
	emu         *emulator.Server
	clock       *message.ManualClock
	cfg         aspirations.Config
	db          *sqlx.DB
	rdb         *redis.Client
	redisPrefix string
}

// newRig is a service over a fresh database and Redis prefix, sending
// through the real bot.Sender to an emulator, with moderators of village
// A (with a group), village B (private chat) and the district (group).
func newRig(t testing.TB, tweak ...func(*aspirations.Config)) *rig {
	t.Helper()
	db := testenv.DB(t)
	rdb, prefix := testenv.Redis(t)
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true, AnyChat: true})
	sender, err := bot.NewSender("123:test", emu.URL(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, ctx: context.Background(), emu: emu, db: db, clock: message.NewManualClock(start)}
	r.rdb, r.redisPrefix = rdb, prefix
	r.cfg = aspirations.Config{Sender: sender}
	for _, f := range tweak {
		f(&r.cfg)
	}
	r.svc = aspirations.NewService(db, rdb, prefix, r.clock, nil, r.cfg)
	ga, gd := groupA, groupDist
	addStaff(t, db, staff.RoleModerator, modA, villageA, &ga)
	addStaff(t, db, staff.RoleModerator, modB, villageB, nil)
	addStaff(t, db, staff.RoleModerator, modDistrict, district, &gd)
	addStaff(t, db, staff.RoleOperator, opCity, city, nil)
	addStaff(t, db, staff.RoleOperator, opOther, other, nil)
	return r
}

func (r *rig) must(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// file files a named ticket of resident in village A.
func (r *rig) file(text string) aspirations.Ticket {
	r.t.Helper()
	t, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, ResidentName: "Siti Aminah",
		VillageCode: villageA, Category: aspirations.CategoryInfrastructure, Text: text})
	r.must(err)
	return t
}

// flush sends everything due and returns how many went out.
func (r *rig) flush() int {
	r.t.Helper()
	n, err := r.svc.FlushOutbox(r.ctx)
	r.must(err)
	return n
}

// last is the newest message the emulator recorded in chat, failing the
// test when there is none.
func (r *rig) last(chat int64) emulator.Sent {
	r.t.Helper()
	ms := r.emu.Messages(chat)
	if len(ms) == 0 {
		r.t.Fatalf("chat %d got nothing", chat)
	}
	return ms[len(ms)-1]
}

// outboxStates counts outbox rows by status and last error.
func (r *rig) outboxStates() map[string]int {
	r.t.Helper()
	var rows []struct {
		Status string `db:"status"`
		Why    string `db:"last_error"`
		N      int    `db:"n"`
	}
	r.must(r.db.SelectContext(r.ctx, &rows, `SELECT status, last_error, count(*) AS n FROM aspiration_outbox GROUP BY 1, 2`))
	out := map[string]int{}
	for _, x := range rows {
		k := x.Status
		if x.Why != "" {
			k += "/" + x.Why
		}
		out[k] = x.N
	}
	return out
}

func (r *rig) count(chat int64) int { return len(r.emu.Messages(chat)) }

func buttonData(s emulator.Sent) []string {
	var out []string
	for _, row := range s.Buttons {
		for _, b := range row {
			out = append(out, b.CallbackData)
		}
	}
	return out
}

func contains(t testing.TB, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s %q lacks %q", what, s, w)
		}
	}
}

func isErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}
