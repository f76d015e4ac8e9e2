package peta_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/peta"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

var now = time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)

var opMalang = staff.Actor{Role: staff.RoleOperator, TelegramID: 7001, Scope: "35.73", Name: "Diskominfo Malang"}

type fixture struct {
	t     testing.TB
	ctx   context.Context
	db    *sqlx.DB
	dir   *staff.Directory
	subs  *broadcast.Subscribers
	m     *peta.Map
	clock *message.ManualClock
	props countedProposals
	asp   *aspirations.Service
	n     int
}

// countedProposals is a ProposalCounter over a map the test fills.
type countedProposals map[int64]int

func (c countedProposals) ProposalsSince(_ context.Context, ids []int64, _ time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	for _, id := range ids {
		out[id] = c[id]
	}
	return out, nil
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	return newFixtureTB(t)
}

func newFixtureTB(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), db: testenv.DB(t), clock: message.NewManualClock(now), props: countedProposals{}}
	f.dir = staff.New(f.db, f.clock)
	f.subs = broadcast.NewSubscribers(f.db, f.clock)
	f.asp = aspirations.NewService(f.db, nil, "", f.clock, nil, aspirations.Config{})
	f.m = peta.New(peta.Deps{Staff: f.dir, Aspirations: f.asp, Subscribers: f.subs, Proposals: f.props, Clock: f.clock})
	return f
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.ExecContext(f.ctx, q, args...); err != nil {
		f.t.Fatal(err)
	}
}

// kim registers a KIM with moderators; seen is how long ago its first
// moderator last wrote to the bot (0: never).
func (f *fixture) kim(name string, area region.Code, moderators int, seen time.Duration) int64 {
	f.t.Helper()
	k, err := f.dir.AddKIM(f.ctx, opMalang, staff.KIMFields{Name: name, Area: area})
	if err != nil {
		f.t.Fatal(err)
	}
	for i := 0; i < moderators; i++ {
		f.n++
		id := int64(60000 + f.n)
		if _, err := f.dir.Add(f.ctx, staff.Admin(), id, staff.RoleModerator, area, nil); err != nil {
			f.t.Fatal(err)
		}
		if i == 0 && seen > 0 {
			f.exec(`UPDATE staff SET last_seen_at = $2 WHERE telegram_id = $1`, id, now.Add(-seen))
		}
	}
	return k.ID
}

// ticket files a ticket in village age ago, first answered after
// answeredIn (0: open).
func (f *fixture) ticket(village region.Code, age, answeredIn time.Duration) {
	f.t.Helper()
	f.n++
	created := now.Add(-age)
	status, first := "baru", any(nil)
	if answeredIn > 0 {
		status, first = "dijawab", created.Add(answeredIn)
	}
	f.exec(`INSERT INTO aspiration_tickets (number, village_code, category, text, status, created_at, updated_at, queued_at,
		first_response_at) VALUES ($1, $2, 'lainnya', 'jalan rusak', $3, $4, $4, $4, $5)`,
		fmt.Sprintf("T-%d", f.n), string(village), status, created, first)
}

// TestVillages_KotaMalang seeds KIM of every kind in Kota Malang (5
// kecamatan, 57 kelurahan) and checks every tile's status and the
// summaries.
func TestVillages_KotaMalang(t *testing.T) {
	f := newFixture(t)
	day := 24 * time.Hour
	tlogomas := f.kim("KIM Tlogomas", "35.73.05.1003", 2, 2*day) // answers: aktif
	f.ticket("35.73.05.1003", 10*day, time.Hour)
	f.ticket("35.73.05.1003", 20*day, 3*time.Hour)
	f.ticket("35.73.05.1003", 200*day, 5*time.Hour)            // outside the window
	merjosari := f.kim("KIM Merjosari", "35.73.05.1002", 1, 0) // its moderator never came back
	f.ticket("35.73.05.1002", 4*day, 0)                        // open, overdue
	klojen := f.kim("KIM Klojen", "35.73.02", 1, day)          // a KIM kecamatan that leaves aspirations unanswered
	f.ticket("35.73.02.1001", 5*day, 0)
	sukun := f.kim("KIM Sukun", "35.73.04.1005", 0, 0)          // nobody moderates it
	blimbing := f.kim("KIM Polehan", "35.73.01.1001", 1, 3*day) // proposes news, no aspirations: aktif
	f.props[blimbing] = 2
	idle := f.kim("KIM Sepi", "35.73.03.1001", 1, day) // reachable but did nothing
	for i := int64(0); i < 3; i++ {
		if _, err := f.subs.Subscribe(f.ctx, 9000+i, "35.73.05.1003"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.subs.Subscribe(f.ctx, 9100, "35.73.05.1002"); err != nil {
		t.Fatal(err)
	}

	if _, err := f.asp.RefreshAreaService(f.ctx); err != nil {
		t.Fatal(err)
	}
	acts, err := f.m.Activities(f.ctx, opMalang, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{tlogomas: "aktif []", merjosari: "vakum [unreachable unanswered]", klojen: "vakum [unanswered]",
		sukun: "vakum [no_moderator idle]", blimbing: "aktif []", idle: "vakum [idle]"}
	for _, a := range acts {
		if got := fmt.Sprintf("%s %v", a.Status, a.Reasons); got != want[a.ID] {
			t.Errorf("%s: %s, want %s", a.Name, got, want[a.ID])
		}
		if a.ID == tlogomas && (a.Service.Answered != 2 || a.Service.MedianFirstResponse != 2*time.Hour || a.Crew.Moderators != 2) {
			t.Errorf("Tlogomas's activity: %+v %+v", a.Service, a.Crew)
		}
	}

	p, err := f.m.Villages(f.ctx, opMalang, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Districts) != 5 || p.Summary.Villages != 57 {
		t.Fatalf("%d kecamatan, %d kelurahan", len(p.Districts), p.Summary.Villages)
	}
	status := map[region.Code]peta.Status{}
	for _, d := range p.Districts {
		for _, v := range d.Villages {
			status[v.Code] = v.Status
		}
	}
	for code, st := range status {
		want := peta.None
		switch {
		case code == "35.73.05.1003" || code == "35.73.01.1001":
			want = peta.Aktif
		case code == "35.73.05.1002" || code.Parent() == "35.73.02" || code == "35.73.04.1005" || code == "35.73.03.1001":
			want = peta.Vakum
		}
		if st != want {
			t.Errorf("%s: %s, want %s", code, st, want)
		}
	}
	s := p.Summary
	if s.Aktif != 2 || s.Vakum != 14 || s.None != 41 || s.Subscribers != 4 || s.SubscribersCovered != 3 ||
		s.Open != 2 || s.Overdue != 2 || s.MedianFirstResponse != 2*time.Hour {
		t.Errorf("the city's summary: %+v", s)
	}
	for _, d := range p.Districts {
		if d.Code == "35.73.05" && (d.Summary.Aktif != 1 || d.Summary.Vakum != 1 || d.Summary.Overdue != 1) {
			t.Errorf("Lowokwaru's summary: %+v", d.Summary)
		}
	}

	// A moderator's map is their KIM's kelurahan, with its KIM kecamatan.
	m, _ := f.dir.Get(f.ctx, 60001+0, staff.RoleModerator)
	own, err := f.m.Villages(f.ctx, m.Actor("Sari"), "")
	if err != nil || own.Summary.Villages != 1 || own.Districts[0].Villages[0].Status != peta.Aktif {
		t.Fatalf("a moderator's map: %+v, %v", own, err)
	}
	other := staff.Actor{Role: staff.RoleOperator, TelegramID: 7002, Scope: "35.07", Name: "Kab. Malang"}
	if _, err := f.m.Villages(f.ctx, other, "35.73"); err == nil {
		t.Fatal("another regency's operator drew Kota Malang")
	}
}
