package aspirations_test

import (
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Every staff change is in the audit log with who, what, which village
// and which ticket, committed with the change; a refused one leaves none.
func TestService_StaffActionsAudited(t *testing.T) {
	r := newRig(t)
	a, b := r.file("Lampu jalan mati di RT 02"), r.file("Sampah menumpuk di pasar")
	_, err := r.svc.Claim(r.ctx, actorModA, a.ID)
	r.must(err)
	_, err = r.svc.Answer(r.ctx, actorModA, a.ID, "Sudah dilaporkan ke PLN")
	r.must(err)
	_, err = r.svc.Escalate(r.ctx, actorModA, b.ID, "perlu dinas")
	r.must(err)
	_, err = r.svc.Reject(r.ctx, actorOpCity, b.ID, "Bukan wewenang kota")
	r.must(err)
	if _, err := r.svc.Claim(r.ctx, actorModB, a.ID); err == nil {
		t.Fatal("the moderator of another village claimed")
	}
	var rows []struct {
		Action  string `db:"action"`
		ActorID int64  `db:"actor_id"`
		Scope   string `db:"scope"`
		Detail  string `db:"detail"`
	}
	r.must(r.db.Select(&rows, `SELECT action, actor_id, scope, detail FROM audit_log WHERE action LIKE '%aspirasi' ORDER BY id`))
	want := []struct {
		action string
		actor  int64
		ticket string
	}{{"ambil_aspirasi", modA, a.Number}, {"jawab_aspirasi", modA, a.Number},
		{"teruskan_aspirasi", modA, b.Number}, {"tolak_aspirasi", opCity, b.Number}}
	if len(rows) != len(want) {
		t.Fatalf("audit rows %+v, want %d", rows, len(want))
	}
	for i, w := range want {
		if g := rows[i]; g.Action != w.action || g.ActorID != w.actor || g.Detail != w.ticket || g.Scope != string(villageA) {
			t.Errorf("row %d = %+v, want %s by %d on %s in %s", i, g, w.action, w.actor, w.ticket, villageA)
		}
	}
}

// The console's filters narrow the queue inside the scope: by category,
// by a set of villages (a KIM's), never beyond the scope.
func TestService_QueueFiltered(t *testing.T) {
	r := newRig(t)
	a := r.file("Jalan berlubang di depan SD")
	r.clock.Advance(time.Minute)
	health, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident2, VillageCode: villageB,
		Category: aspirations.CategoryHealth, Text: "Posyandu butuh timbangan"})
	r.must(err)
	cases := []struct {
		name  string
		actor staff.Actor
		f     aspirations.QueueFilter
		want  []string
	}{
		{"district, all", actorModDist, aspirations.QueueFilter{}, []string{a.Number, health.Number}},
		{"district, health", actorModDist, aspirations.QueueFilter{Category: aspirations.CategoryHealth}, []string{health.Number}},
		{"district, village B", actorModDist, aspirations.QueueFilter{Areas: []region.Code{villageB}}, []string{health.Number}},
		{"district, both villages", actorModDist, aspirations.QueueFilter{Areas: []region.Code{villageA, villageB}}, []string{a.Number, health.Number}},
		{"village A asks for B", actorModA, aspirations.QueueFilter{Areas: []region.Code{villageB}}, nil},
		{"village A, answered", actorModA, aspirations.QueueFilter{Status: []aspirations.Status{aspirations.StatusAnswered}}, nil},
		{"city by district", actorOpCity, aspirations.QueueFilter{Areas: []region.Code{district}}, []string{a.Number, health.Number}},
	}
	for _, c := range cases {
		ts, total, err := r.svc.QueueFiltered(r.ctx, c.actor, c.f, 0, 10)
		r.must(err)
		var got []string
		for _, tk := range ts {
			got = append(got, tk.Number)
		}
		if total != len(c.want) || len(got) != len(c.want) || (len(got) > 0 && (got[0] != c.want[0] || got[len(got)-1] != c.want[len(c.want)-1])) {
			t.Errorf("%s: %v (total %d), want %v", c.name, got, total, c.want)
		}
	}
}

// An open ticket is on time for a day, late until three days, then
// overdue; a closed one has no level.
func TestService_Level(t *testing.T) {
	r := newRig(t)
	tk := r.file("Saluran air mampet")
	for _, c := range []struct {
		age  time.Duration
		want aspirations.Level
	}{{time.Hour, aspirations.LevelOnTime}, {25 * time.Hour, aspirations.LevelLate}, {73 * time.Hour, aspirations.LevelOverdue}} {
		if got := r.svc.Level(tk, tk.CreatedAt.Add(c.age)); got != c.want {
			t.Errorf("after %v: %q, want %q", c.age, got, c.want)
		}
	}
	tk.Status = aspirations.StatusAnswered
	if got := r.svc.Level(tk, tk.CreatedAt.Add(100*time.Hour)); got != aspirations.LevelNone {
		t.Errorf("answered: %q", got)
	}
}
