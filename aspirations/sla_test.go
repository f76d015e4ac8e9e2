package aspirations_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

// Two (here eight) moderators press Ambil at once: exactly one wins, the
// others learn who has it.
func TestService_ConcurrentClaim(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Warga minta fogging DBD")
	actors := []staff.Actor{actorModA, actorModDist, actorOpCity, actorModA, actorModDist, actorOpCity, actorModA, actorModDist}
	// Distinct moderators: give each its own id inside the same scopes.
	for i := range actors {
		actors[i].TelegramID = int64(500 + i)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(actors))
	for i, a := range actors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = r.svc.Claim(r.ctx, a, tk.ID)
		}()
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("both %d and %d won", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("nobody won: %v", errs)
	}
	for i, err := range errs {
		if i == winner {
			continue
		}
		id, name, ok := aspirations.ClaimedBy(err)
		if !ok || id != actors[winner].TelegramID || name != actors[winner].Name {
			t.Errorf("loser %d: %v (%d %q)", i, err, id, name)
		}
	}
	// Claiming again one's own ticket is no error.
	if _, err := r.svc.Claim(r.ctx, actors[winner], tk.ID); err != nil {
		t.Errorf("re-claim by the holder: %v", err)
	}
}

// A ticket nobody claims within 3 days is escalated; not a minute before.
func TestSLA_AutoEscalation(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Tiang listrik miring hampir roboh")
	r.flush()
	r.clock.Advance(72*time.Hour - time.Minute)
	r.must(r.svc.SLATick(r.ctx))
	if got, _, _ := r.svc.Get(r.ctx, actorModA, tk.Number); got.Status != aspirations.StatusNew {
		t.Fatalf("escalated early: %s", got.Status)
	}
	r.clock.Advance(time.Minute)
	r.must(r.svc.SLATick(r.ctx))
	got, _, err := r.svc.Get(r.ctx, actorOpCity, tk.Number)
	r.must(err)
	if got.Status != aspirations.StatusEscalated || got.EscalatedAt == nil || got.FirstResponseAt != nil {
		t.Fatalf("after 72h: %+v", got)
	}
	r.flush()
	contains(t, "operator post", r.last(opCity).Text, tk.Number, "3 hari")
	contains(t, "resident news", r.last(resident).Text, "Diskominfo")
	// A second tick does nothing more.
	r.must(r.svc.SLATick(r.ctx))
	if n := r.flush(); n != 0 {
		t.Errorf("second tick sent %d", n)
	}
}

// A claim with no answer for 24 hours goes back to the queue and is
// posted again; the holder is told.
func TestSLA_ClaimRelease(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *aspirations.Config) { c.ClaimTimeout = 24 * time.Hour })
	tk := r.file("Bau sampah dari TPS liar")
	r.flush()
	_, err := r.svc.Claim(r.ctx, actorModA, tk.ID)
	r.must(err)
	r.flush()
	posts := r.count(groupA)
	r.clock.Advance(23 * time.Hour)
	r.must(r.svc.SLATick(r.ctx))
	if got, _, _ := r.svc.Get(r.ctx, actorModA, tk.Number); got.Status != aspirations.StatusClaimed {
		t.Fatalf("released early: %s", got.Status)
	}
	r.clock.Advance(time.Hour)
	r.must(r.svc.SLATick(r.ctx))
	got, _, err := r.svc.Get(r.ctx, actorModA, tk.Number)
	r.must(err)
	if got.Status != aspirations.StatusNew || got.ClaimedBy != nil {
		t.Fatalf("after 24h: %+v", got)
	}
	r.flush()
	contains(t, "holder news", r.last(modA).Text, tk.Number, "24 jam")
	if r.count(groupA) != posts+1 {
		t.Errorf("group A got %d new posts, want 1", r.count(groupA)-posts)
	}
	contains(t, "requeued post", r.last(groupA).Text, tk.Number, "kembali ke antrian")
	// Someone else may claim it now.
	if _, err := r.svc.Claim(r.ctx, actorModDist, tk.ID); err != nil {
		t.Fatal(err)
	}
	// A claim of an escalated ticket returns it to the operators.
	tk2 := r.file("Kabel internet menjuntai rendah")
	_, err = r.svc.Escalate(r.ctx, actorModA, tk2.ID, "")
	r.must(err)
	_, err = r.svc.Claim(r.ctx, actorOpCity, tk2.ID)
	r.must(err)
	r.clock.Advance(25 * time.Hour)
	r.must(r.svc.SLATick(r.ctx))
	if got, _, _ := r.svc.Get(r.ctx, actorOpCity, tk2.Number); got.Status != aspirations.StatusEscalated {
		t.Errorf("released escalated ticket is %s", got.Status)
	}
}

// Moderators with open tickets get one digest a day at 07:00 local time.
func TestSLA_Digest(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.clock.Set(time.Date(2026, 11, 22, 22, 0, 0, 0, time.UTC)) // 05:00 WIB on the 23rd
	tk := r.file("Minta penerangan di makam umum")
	r.flush()
	r.must(r.svc.SLATick(r.ctx))
	if n := r.flush(); n != 0 {
		t.Fatalf("digest before 07:00: %d", n)
	}
	r.clock.Advance(2 * time.Hour) // 07:00 WIB
	r.must(r.svc.SLATick(r.ctx))
	r.must(r.svc.SLATick(r.ctx)) // a second replica's tick
	r.flush()
	for _, mod := range []int64{modA, modDistrict} {
		ms := r.emu.Messages(mod)
		if len(ms) != 1 {
			t.Fatalf("moderator %d got %d digests", mod, len(ms))
		}
		contains(t, "digest", ms[0].Text, tk.Number, "2 jam lalu", "/antrian")
	}
	if r.count(modB) != 0 {
		t.Error("village B's moderator, with nothing open, got a digest")
	}
	r.clock.Advance(24 * time.Hour)
	r.must(r.svc.SLATick(r.ctx))
	r.flush()
	if ms := r.emu.Messages(modA); len(ms) != 2 || !strings.Contains(ms[1].Text, "26 jam lalu") {
		t.Errorf("next day's digest: %d messages", len(ms))
	}
}
