package broadcast_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// schedStart is a Sunday, 19:00 WIB.
var schedStart = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// schedEnv is a fresh database with the broadcast stores on a manual clock.
type schedEnv struct {
	db        *sqlx.DB
	clock     *message.ManualClock
	schedules *broadcast.Schedules
	disp      *broadcast.Dispatcher
}

func newSchedEnv(t testing.TB) *schedEnv {
	t.Helper()
	db := testenv.DB(t)
	clock := message.NewManualClock(schedStart)
	return &schedEnv{db: db, clock: clock,
		schedules: broadcast.NewSchedules(db, clock),
		disp:      broadcast.NewDispatcher(db, clock, slog.New(slog.DiscardHandler)),
	}
}

var (
	opMalang    = staff.Actor{Role: staff.RoleOperator, TelegramID: 7001, Scope: "35.73"}
	opKabMalang = staff.Actor{Role: staff.RoleOperator, TelegramID: 7002, Scope: "35.07"}
	opJatim     = staff.Actor{Role: staff.RoleOperator, TelegramID: 7003, Scope: "35"}
)

func textDraft(text string, timing broadcast.Timing, targets ...region.Code) broadcast.Draft {
	return broadcast.Draft{Content: broadcast.Content{Text: text}, Targets: targets, Timing: timing}
}

func (e *schedEnv) create(t testing.TB, by staff.Actor, d broadcast.Draft) broadcast.Schedule {
	t.Helper()
	sc, err := e.schedules.Create(context.Background(), by, d)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return sc
}

func (e *schedEnv) tick(t testing.TB) int {
	t.Helper()
	n, err := e.disp.Tick(context.Background())
	if err != nil {
		t.Fatalf("Tick: %v", err)
	}
	return n
}

func (e *schedEnv) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSchedules_Create_Targets(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	now := broadcast.Timing{Kind: broadcast.KindNow}
	sc := e.create(t, opMalang, textDraft("Halo", now, "35.73.05.1003", "35.73.05", "35.73.01", "35.73.05"))
	if want := []region.Code{"35.73.01", "35.73.05"}; !slices.Equal(sc.Targets, want) {
		t.Fatalf("targets = %v, want nested and duplicate targets dropped: %v", sc.Targets, want)
	}
	if sc.Scope != "35.73" || sc.CreatedBy == nil || *sc.CreatedBy != opMalang.TelegramID || sc.Status != broadcast.ScheduleActive {
		t.Fatalf("schedule = %+v", sc)
	}
	tests := []struct {
		name    string
		by      staff.Actor
		targets []region.Code
		reason  broadcast.Reason
		is      error
	}{
		{"other regency", opMalang, []region.Code{"35.07"}, broadcast.ReasonOutOfScope, broadcast.ErrOutOfScope},
		{"village of other regency", opMalang, []region.Code{"35.73.05", "35.07.06"}, broadcast.ReasonOutOfScope, broadcast.ErrOutOfScope},
		{"the province above", opMalang, []region.Code{"35"}, broadcast.ReasonOutOfScope, broadcast.ErrOutOfScope},
		{"unknown district", opMalang, []region.Code{"35.73.99"}, broadcast.ReasonUnknownRegion, broadcast.ErrUnknownRegion},
		{"no targets", staff.Admin(), nil, broadcast.ReasonBadTargets, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.schedules.Create(ctx, tt.by, textDraft("Halo", now, tt.targets...))
			if broadcast.ReasonOf(err) != tt.reason || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Fatalf("Create(%v) = %v, want %s", tt.targets, err, tt.reason)
			}
		})
	}
	if n := e.count(t, `SELECT count(*) FROM schedules`); n != 1 {
		t.Fatalf("%d schedules saved, want only the valid one", n)
	}
}

func TestSchedules_Create_Timing(t *testing.T) {
	e := newSchedEnv(t)
	wib := mustZone(t, "WIB")
	until := schedStart.Add(3 * 24 * time.Hour)
	tests := []struct {
		name   string
		timing broadcast.Timing
		next   time.Time
		reason broadcast.Reason
	}{
		{"now", broadcast.Timing{Kind: broadcast.KindNow}, schedStart, ""},
		{"once", broadcast.Timing{Kind: broadcast.KindOnce, At: schedStart.Add(time.Hour), Zone: wib}, schedStart.Add(time.Hour), ""},
		{"once in the past", broadcast.Timing{Kind: broadcast.KindOnce, At: schedStart.Add(-time.Minute), Zone: wib}, time.Time{}, broadcast.ReasonPastTime},
		{"once exactly now", broadcast.Timing{Kind: broadcast.KindOnce, At: schedStart, Zone: wib}, time.Time{}, broadcast.ReasonPastTime},
		// Monday 08:00 WIB = Monday 01:00 UTC.
		{"cron", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1", Zone: wib}, time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), ""},
		{"cron too often", broadcast.Timing{Kind: broadcast.KindCron, Cron: "*/5 * * * *", Zone: wib}, time.Time{}, broadcast.ReasonCronTooOften},
		{"cron ends before first fire", broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 1 * *", Zone: wib, Until: &until}, time.Time{}, broadcast.ReasonBadEnd},
		{"end date on a one-off", broadcast.Timing{Kind: broadcast.KindNow, Until: &until}, time.Time{}, broadcast.ReasonBadEnd},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := e.schedules.Create(context.Background(), staff.Admin(), textDraft("Halo", tt.timing, "35.73"))
			if tt.reason != "" {
				if broadcast.ReasonOf(err) != tt.reason {
					t.Fatalf("Create = %v, want reason %s", err, tt.reason)
				}
				return
			}
			if err != nil || sc.NextRunAt == nil || !sc.NextRunAt.Equal(tt.next) {
				t.Fatalf("Create = %+v, %v; want next run %s", sc.NextRunAt, err, tt.next)
			}
		})
	}
}

func TestSchedules_Scope(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	now := broadcast.Timing{Kind: broadcast.KindNow}
	kab := e.create(t, opKabMalang, textDraft("Kabupaten", now, "35.07"))
	kota := e.create(t, opMalang, textDraft("Kota", now, "35.73.05"))
	both := e.create(t, staff.Admin(), textDraft("Keduanya", now, "35.07", "35.73"))

	for name, op := range map[string]func(context.Context, staff.Actor, int64) (broadcast.Schedule, error){
		"get": e.schedules.Get, "pause": e.schedules.Pause, "resume": e.schedules.Resume, "cancel": e.schedules.Cancel,
	} {
		for _, id := range []int64{kab.ID, both.ID} {
			if _, err := op(ctx, opMalang, id); !errors.Is(err, broadcast.ErrNotFound) {
				t.Errorf("%s of schedule %d by the Kota Malang operator = %v, want ErrNotFound", name, id, err)
			}
		}
	}
	if _, err := e.schedules.Runs(ctx, opMalang, kab.ID, 10); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("Runs of another regency's schedule = %v, want ErrNotFound", err)
	}
	ids := func(by staff.Actor) []int64 {
		list, err := e.schedules.List(ctx, by, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	if got := ids(opMalang); !slices.Equal(got, []int64{kota.ID}) {
		t.Errorf("Kota Malang operator lists %v, want only %d", got, kota.ID)
	}
	if got := ids(opJatim); !slices.Equal(got, []int64{both.ID, kota.ID, kab.ID}) {
		t.Errorf("province operator lists %v, want all three", got)
	}
	if got := ids(staff.Admin()); len(got) != 3 {
		t.Errorf("admin lists %v, want all three", got)
	}
	e.tick(t)
	runs, err := e.schedules.Runs(ctx, opMalang, 0, 50)
	if err != nil || len(runs) != 1 || runs[0].ScheduleID != kota.ID {
		t.Errorf("Kota Malang operator's runs = %+v, %v; want only schedule %d's", runs, err, kota.ID)
	}
	if _, err := e.schedules.Cancel(ctx, opMalang, kab.ID); !errors.Is(err, broadcast.ErrNotFound) {
		t.Fatal(err)
	}
	if got, _ := e.schedules.Get(ctx, staff.Admin(), kab.ID); got.Status != broadcast.ScheduleFinished {
		t.Errorf("another regency's schedule became %s after a refused cancel", got.Status)
	}
}

// Only operators (and the CLI's admin) broadcast: a moderator of the same
// area, or a resident, is refused whatever scope they carry.
func TestSchedules_OnlyOperators(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	sc := e.create(t, opMalang, textDraft("Halo", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05"))
	for _, by := range []staff.Actor{
		{Role: staff.RoleModerator, TelegramID: 101, Scope: "35.73"},
		staff.Resident(9001),
		{Role: staff.RoleOperator, Scope: "35.73"}, // no Telegram id: not a real operator
	} {
		if _, err := e.schedules.Create(ctx, by, textDraft("x", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05")); !errors.Is(err, broadcast.ErrForbidden) {
			t.Errorf("%s creates: %v", by.Role, err)
		}
		if _, err := e.schedules.List(ctx, by, 0, 10); !errors.Is(err, broadcast.ErrForbidden) {
			t.Errorf("%s lists: %v", by.Role, err)
		}
		if _, err := e.schedules.Cancel(ctx, by, sc.ID); !errors.Is(err, broadcast.ErrForbidden) {
			t.Errorf("%s cancels: %v", by.Role, err)
		}
		if _, err := e.schedules.Runs(ctx, by, 0, 10); !errors.Is(err, broadcast.ErrForbidden) {
			t.Errorf("%s reads runs: %v", by.Role, err)
		}
	}
}

// Creating, pausing, resuming and cancelling write the audit log in the
// same transaction, whatever the transport (console, chat, CLI), with the
// smallest region holding the targets; a refused change writes nothing.
func TestSchedules_ActionsAudited(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	sc := e.create(t, opMalang, textDraft("Kerja bakti", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05.1003", "35.73.05.1002"))
	if _, err := e.schedules.Cancel(ctx, opMalang, sc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.schedules.Pause(ctx, opMalang, sc.ID); !errors.Is(err, broadcast.ErrScheduleState) {
		t.Fatalf("pausing a cancelled schedule: %v", err)
	}
	var rows []struct {
		Action string `db:"action"`
		Scope  string `db:"scope"`
		Actor  int64  `db:"actor_id"`
		Detail string `db:"detail"`
	}
	if err := e.db.Select(&rows, `SELECT action, scope, actor_id, detail FROM audit_log ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("[{buat 35.73.05 %[1]d siaran #%[2]d} {batal 35.73.05 %[1]d siaran #%[2]d}]", opMalang.TelegramID, sc.ID)
	if got := fmt.Sprint(rows); got != want {
		t.Errorf("audit log %s, want %s", got, want)
	}
}

// A draft created twice with one key (the console's draft confirmed
// twice) is one schedule with one announcement and one audit entry.
func TestSchedules_CreateWithKeyOnce(t *testing.T) {
	e := newSchedEnv(t)
	d := textDraft("Kerja bakti", broadcast.Timing{Kind: broadcast.KindNow}, "35.73.05")
	d.Key = "0123456789abcdef0123456789abcdef"
	first := e.create(t, opMalang, d)
	again := e.create(t, opMalang, d)
	if again.ID != first.ID {
		t.Fatalf("the same key made schedules %d and %d", first.ID, again.ID)
	}
	var schedules, announcements, audited int
	must(t, e.db.Get(&schedules, `SELECT count(*) FROM schedules`))
	must(t, e.db.Get(&announcements, `SELECT count(*) FROM announcements`))
	must(t, e.db.Get(&audited, `SELECT count(*) FROM audit_log WHERE action = 'buat'`))
	if schedules != 1 || announcements != 1 || audited != 1 {
		t.Fatalf("%d schedules, %d announcements, %d audit entries; want 1 each", schedules, announcements, audited)
	}
}
