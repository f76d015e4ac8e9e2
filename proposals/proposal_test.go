package proposals_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

var start = time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)

type env struct {
	ctx   context.Context
	svc   *proposals.Service
	dir   *staff.Directory
	mod   staff.Actor
	op    staff.Actor
	count func(q string, args ...any) int
	exec  func(q string, args ...any)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	db := testenv.DB(t)
	clock := message.NewManualClock(start)
	e := &env{ctx: context.Background(), dir: staff.New(db, clock)}
	e.svc = proposals.New(db, e.dir, broadcast.NewSchedules(db, clock), clock, nil, nil)
	e.count = func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.Get(&n, q, args...); err != nil {
			t.Fatal(err)
		}
		return n
	}
	e.exec = func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	m, err := e.dir.Add(e.ctx, staff.Admin(), 6001, staff.RoleModerator, "35.73.05.1003", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.mod = m.Actor("Sari")
	o, err := e.dir.Add(e.ctx, staff.Admin(), 7001, staff.RoleOperator, "35.73", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.op = o.Actor("Dinas")
	return e
}

func is(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

// TestProposals_OnlyTheirOperatorsDecide walks every refusal: another
// regency's operator, another KIM's moderator, a target outside the
// scope, a past time, a short reason, a second decision.
func TestProposals_OnlyTheirOperatorsDecide(t *testing.T) {
	e := newEnv(t)
	p, err := e.svc.File(e.ctx, e.mod, proposals.Filing{Text: "Posyandu pindah ke balai RW 2", Wider: true, SourceKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	if again, err := e.svc.File(e.ctx, e.mod, proposals.Filing{Text: "Posyandu pindah ke balai RW 2", SourceKey: "k1"}); err != nil || again.ID != p.ID {
		t.Fatalf("the same update filed again: %d, %v", again.ID, err)
	}
	if p.Requested() != "35.73.05" {
		t.Fatalf("a wider request asks for %s", p.Requested())
	}
	other := staff.Actor{Role: staff.RoleOperator, TelegramID: 7002, Scope: "35.07", Name: "Kab. Malang"}
	_, err = e.svc.Approve(e.ctx, other, p.ID, proposals.Approval{})
	is(t, err, proposals.ErrNotFound)
	_, err = e.svc.Reject(e.ctx, other, p.ID, "bukan wilayah kami")
	is(t, err, proposals.ErrNotFound)
	m2, err := e.dir.Add(e.ctx, staff.Admin(), 6002, staff.RoleModerator, "35.73.05.1002", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Get(e.ctx, m2.Actor("Budi"), p.ID)
	is(t, err, proposals.ErrNotFound)
	_, err = e.svc.Approve(e.ctx, m2.Actor("Budi"), p.ID, proposals.Approval{})
	is(t, err, proposals.ErrForbidden)
	_, err = e.svc.Approve(e.ctx, e.op, p.ID, proposals.Approval{Target: "35.07"})
	is(t, err, proposals.ErrTarget)
	_, err = e.svc.Approve(e.ctx, e.op, p.ID, proposals.Approval{At: start.Add(-time.Hour)})
	is(t, err, proposals.ErrWhen)
	_, err = e.svc.Reject(e.ctx, e.op, p.ID, "no")
	is(t, err, proposals.ErrReason)
	_, err = e.svc.Reject(e.ctx, e.op, p.ID, "\u200b\u200b\u200b\u200b\u200b\u200b")
	is(t, err, proposals.ErrReason)
	_, err = e.svc.Approve(e.ctx, e.op, p.ID, proposals.Approval{Text: "\u200b"})
	is(t, err, proposals.ErrEmpty)
	if n := e.count(`SELECT count(*) FROM schedules`); n != 0 {
		t.Fatalf("%d schedules before any approval", n)
	}
	at := start.Add(2 * time.Hour)
	ok, err := e.svc.Approve(e.ctx, e.op, p.ID, proposals.Approval{Text: "Posyandu pindah ke <b>balai RW 2</b>", At: at})
	if err != nil || ok.Status != proposals.Approved || ok.ScheduleID == nil || *ok.Target != "35.73.05" {
		t.Fatalf("approve: %+v, %v", ok, err)
	}
	if n := e.count(`SELECT count(*) FROM schedules s JOIN announcements a ON a.id = s.announcement_id
		WHERE a.text = '<b>Dari KIM Tlogomas</b>' || chr(10) || chr(10) || 'Posyandu pindah ke <b>balai RW 2</b>'
		AND s.next_run_at = $1 AND a.issuer = 'KIM Tlogomas'`, at); n != 1 {
		t.Fatalf("%d schedules of the edited, credited text at the chosen time", n)
	}
	_, err = e.svc.Reject(e.ctx, e.op, p.ID, "terlambat sekali")
	is(t, err, proposals.ErrDecided)
	counts, err := e.svc.ApprovedIn(e.ctx, e.op, start.Add(-time.Hour), start.Add(time.Hour), []region.Area{
		{Key: "t", Codes: []region.Code{"35.73.05.1003"}}, {Key: "l", Codes: []region.Code{"35.73.05"}},
		{Key: "m", Codes: []region.Code{"35.73.05.1002"}}})
	if err != nil || fmt.Sprint(counts) != "[1 1 0]" {
		t.Fatalf("approved per area: %v, %v", counts, err)
	}
	// The moderator was told, through the outbox.
	if n := e.count(`SELECT count(*) FROM aspiration_outbox WHERE chat_id = 6001 AND payload->>'text' LIKE '%disetujui%'`); n != 1 {
		t.Fatalf("%d approval notices to the moderator", n)
	}
}

// TestProposals_FinishAfterACrash leaves a proposal as a crash between
// the approval's commit and its schedule would (approved, no schedule),
// then lets the sweep run twice: exactly one schedule, one notice.
func TestProposals_FinishAfterACrash(t *testing.T) {
	e := newEnv(t)
	p, err := e.svc.File(e.ctx, e.mod, proposals.Filing{Text: "Kerja bakti Minggu"})
	if err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE proposals SET status = 'disetujui', target = area, send_at = $2, decided_by = 7001, decided_at = $2
		WHERE id = $1`, p.ID, start)
	for i := 0; i < 2; i++ {
		if err := e.svc.Finish(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.count(`SELECT count(*) FROM schedules WHERE request_key = $1`, fmt.Sprintf("usul-%d", p.ID)); n != 1 {
		t.Fatalf("%d schedules", n)
	}
	if n := e.count(`SELECT count(*) FROM aspiration_outbox WHERE chat_id = 6001`); n != 1 {
		t.Fatalf("%d notices to the KIM", n)
	}
}

func TestProposals_FilingRefusals(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.File(e.ctx, e.op, proposals.Filing{Text: "Operator bukan KIM"})
	is(t, err, proposals.ErrForbidden)
	var inErr *broadcast.InputError
	if _, err := e.svc.File(e.ctx, e.mod, proposals.Filing{Text: "<b>tidak ditutup"}); !errors.As(err, &inErr) {
		t.Fatalf("broken HTML: %v", err)
	}
	_, err = e.svc.File(e.ctx, e.mod, proposals.Filing{Text: "\u200b \u200b\u2060"})
	is(t, err, proposals.ErrEmpty)
	for i := 0; i < proposals.MaxWaiting; i++ {
		if _, err := e.svc.File(e.ctx, e.mod, proposals.Filing{Text: fmt.Sprintf("Kabar ke-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.svc.File(e.ctx, e.mod, proposals.Filing{Text: "Satu lagi"})
	is(t, err, proposals.ErrTooMany)
	lone, err := e.dir.Add(e.ctx, staff.Admin(), 6009, staff.RoleModerator, "35.07.23.2001", nil) // no operator covers it
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.File(e.ctx, lone.Actor("Dewi"), proposals.Filing{Text: "Kabar desa"})
	is(t, err, proposals.ErrNoOperator)
}

// A nudge reaches every moderator of the KIM through the outbox, once a
// day, audited; a KIM without moderators or outside the scope gets none.
func TestNudge_OnceADayToTheModerators(t *testing.T) {
	e := newEnv(t)
	n, err := e.svc.Nudge(e.ctx, e.op, e.mod.KIM, "Tidak ada jawaban")
	if err != nil || n != 1 {
		t.Fatalf("nudge: %d, %v", n, err)
	}
	if got := e.count(`SELECT count(*) FROM aspiration_outbox WHERE chat_id = 6001 AND payload->>'text' LIKE '%Tidak ada jawaban%'`); got != 1 {
		t.Fatalf("%d nudges queued", got)
	}
	_, err = e.svc.Nudge(e.ctx, e.op, e.mod.KIM, "lagi")
	is(t, err, staff.ErrNudgedToday)
	other := staff.Actor{Role: staff.RoleOperator, TelegramID: 7002, Scope: "35.07", Name: "Kab. Malang"}
	_, err = e.svc.Nudge(e.ctx, other, e.mod.KIM, "bukan")
	is(t, err, staff.ErrNotFound)
	empty, err := e.dir.AddKIM(e.ctx, e.op, staff.KIMFields{Name: "KIM Kosong", Area: "35.73.05.1002"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Nudge(e.ctx, e.op, empty.ID, "kosong")
	is(t, err, proposals.ErrNobody)
	if got := e.count(`SELECT count(*) FROM audit_log WHERE action = 'kim_ingatkan'`); got != 1 {
		t.Fatalf("%d nudges audited", got)
	}
}

// Filings of one KIM at once never pass the cap of waiting proposals.
func TestProposals_CapHoldsUnderConcurrentFilings(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := 0; i < proposals.MaxWaiting+5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = e.svc.File(e.ctx, e.mod, proposals.Filing{Text: fmt.Sprintf("Kabar serentak ke-%d", i)})
		}()
	}
	wg.Wait()
	if n := e.count(`SELECT count(*) FROM proposals WHERE status = 'menunggu'`); n != proposals.MaxWaiting {
		t.Fatalf("%d waiting, the cap is %d", n, proposals.MaxWaiting)
	}
}
