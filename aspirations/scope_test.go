package aspirations_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

// TestService_ScopeMatrix runs every staff action for every role pair on
// a ticket of village A: only the moderators of village A and of the
// district, and the operator of the city, may touch it.
func TestService_ScopeMatrix(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *aspirations.Config) { c.FloodPerHour = -1 })
	actors := []struct {
		name    string
		actor   staff.Actor
		allowed bool
	}{
		{"resident", actorResident, false},
		{"moderator of village A", actorModA, true},
		{"moderator of village B", actorModB, false},
		{"moderator of the district", actorModDist, true},
		{"operator of the city", actorOpCity, true},
		{"operator of another city", actorOpOther, false},
	}
	actions := []struct {
		name string
		do   func(a staff.Actor, id int64) error
	}{
		{"list", func(a staff.Actor, id int64) error {
			ts, total, err := r.svc.Queue(r.ctx, a, nil, 0, 50)
			if err != nil {
				return err
			}
			for _, tk := range ts {
				if tk.ID == id && total >= 1 {
					return nil
				}
			}
			return aspirations.ErrForbidden
		}},
		{"get", func(a staff.Actor, id int64) error { _, _, err := r.svc.Get(r.ctx, a, itoa(id)); return err }},
		{"claim", func(a staff.Actor, id int64) error { _, err := r.svc.Claim(r.ctx, a, id); return err }},
		{"answer", func(a staff.Actor, id int64) error {
			_, err := r.svc.Answer(r.ctx, a, id, "jawaban")
			return err
		}},
		{"reject", func(a staff.Actor, id int64) error {
			_, err := r.svc.Reject(r.ctx, a, id, "alasan penolakan")
			return err
		}},
		{"escalate", func(a staff.Actor, id int64) error { _, err := r.svc.Escalate(r.ctx, a, id, ""); return err }},
	}
	for _, ac := range actors {
		for _, act := range actions {
			t.Run(fmt.Sprintf("%s/%s", ac.name, act.name), func(t *testing.T) {
				tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA,
					Text: fmt.Sprintf("Tiket untuk %s %s", ac.name, act.name)})
				if err != nil {
					t.Fatal(err)
				}
				err = act.do(ac.actor, tk.ID)
				if ac.allowed && err != nil {
					t.Fatalf("allowed actor got %v", err)
				}
				if !ac.allowed && !errors.Is(err, aspirations.ErrForbidden) {
					t.Fatalf("err = %v, want ErrForbidden", err)
				}
				after, _, err := r.svc.Get(r.ctx, staff.Admin(), tk.Number)
				if err != nil {
					t.Fatal(err)
				}
				if !ac.allowed && after.Status != aspirations.StatusNew {
					t.Fatalf("a refused actor changed the ticket to %s", after.Status)
				}
			})
		}
	}
}

// A resident's own chat id and forged button data reach no staff action.
func TestService_ResidentNeverStaff(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Tolong perbaiki selokan di depan rumah")
	forged := staff.Actor{Role: staff.RoleResident, TelegramID: resident, Scope: ""}
	if _, err := r.svc.Claim(r.ctx, forged, tk.ID); !errors.Is(err, aspirations.ErrForbidden) {
		t.Errorf("claim: %v", err)
	}
	if _, _, err := r.svc.Queue(r.ctx, forged, nil, 0, 10); !errors.Is(err, aspirations.ErrForbidden) {
		t.Errorf("queue: %v", err)
	}
	if err := r.svc.SaveCanned(r.ctx, forged, "a", "b"); !errors.Is(err, aspirations.ErrForbidden) {
		t.Errorf("canned: %v", err)
	}
	if _, err := staff.New(r.db, r.clock).CreateGroupLinkCode(r.ctx, forged); !errors.Is(err, staff.ErrForbidden) {
		t.Errorf("link code: %v", err)
	}
	// A moderator role with no scope is no admin.
	noScope := staff.Actor{Role: staff.RoleModerator, TelegramID: 5}
	if _, err := r.svc.Answer(r.ctx, noScope, tk.ID, "x"); !errors.Is(err, aspirations.ErrForbidden) {
		t.Errorf("scope-less moderator: %v", err)
	}
	// Another resident cannot reply to, rate or read the ticket.
	if _, err := r.svc.ResidentReply(r.ctx, resident2, tk.Number, "halo", nil); !errors.Is(err, aspirations.ErrNotFound) {
		t.Errorf("reply by another resident: %v", err)
	}
}

// Queue lists only the actor's scope, oldest first, paged, with totals.
func TestService_Queue(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	var ids []int64
	for i := range 5 {
		ids = append(ids, r.file(fmt.Sprintf("Aspirasi nomor %d di Tlogomas", i)).ID)
		r.clock.Advance(60_000_000_000)
	}
	_, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident2, VillageCode: villageB, Text: "Di Merjosari ada masalah"})
	r.must(err)
	page, total, err := r.svc.Queue(r.ctx, actorModA, nil, 2, 2)
	r.must(err)
	if total != 5 || len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[3] {
		t.Fatalf("page %v of %d", page, total)
	}
	_, total, err = r.svc.Queue(r.ctx, actorModDist, nil, 0, 10)
	r.must(err)
	if total != 6 {
		t.Errorf("district total %d, want 6", total)
	}
	_, total, err = r.svc.Queue(r.ctx, actorModB, nil, 0, 10)
	r.must(err)
	if total != 1 {
		t.Errorf("village B total %d, want 1", total)
	}
	_, err = r.svc.Claim(r.ctx, actorModA, ids[0])
	r.must(err)
	_, total, err = r.svc.Queue(r.ctx, actorModA, []aspirations.Status{aspirations.StatusNew}, 0, 10)
	r.must(err)
	if total != 4 {
		t.Errorf("baru total %d, want 4", total)
	}
}
