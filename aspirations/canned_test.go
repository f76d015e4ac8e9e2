package aspirations_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

// A moderator's linked KIM group gets the tickets of their village
// instead of their private chat.
func TestService_PostsToLinkedGroup(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	dir := staff.New(r.db, r.clock)
	code, err := dir.CreateGroupLinkCode(r.ctx, actorModB)
	r.must(err)
	_, err = dir.LinkGroup(r.ctx, code, -7002, 0)
	r.must(err)
	_, err = r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageB, Text: "Got di Merjosari"})
	r.must(err)
	r.flush()
	if r.count(-7002) != 1 || r.count(modB) != 0 {
		t.Errorf("group %d, private %d", r.count(-7002), r.count(modB))
	}
}

func TestService_Canned(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	isErr(t, r.svc.SaveCanned(r.ctx, actorModA, "", "x"), aspirations.ErrTextTooShort)
	r.must(r.svc.SaveCanned(r.ctx, actorModA, "Jam layanan", "Kantor kelurahan buka 08.00–15.00."))
	r.must(r.svc.SaveCanned(r.ctx, actorModA, "Jam layanan", "Kantor kelurahan buka 07.30–15.00."))
	colleague := staff.Actor{Role: staff.RoleModerator, TelegramID: 150, Scope: villageA}
	r.must(r.svc.SaveCanned(r.ctx, colleague, "KTP", "Urus KTP di kecamatan."))
	r.must(r.svc.SaveCanned(r.ctx, actorModB, "Rahasia B", "Hanya untuk Merjosari."))
	list, err := r.svc.Canned(r.ctx, actorModA)
	r.must(err)
	if len(list) != 2 || list[0].Title != "Jam layanan" || !strings.Contains(list[0].Text, "07.30") || list[1].Title != "KTP" {
		t.Fatalf("canned %+v", list)
	}
	if _, err := r.svc.CannedByID(r.ctx, actorModA, list[1].ID); err != nil {
		t.Errorf("colleague's canned answer: %v", err)
	}
	bList, _ := r.svc.Canned(r.ctx, actorModB)
	if _, err := r.svc.CannedByID(r.ctx, actorModA, bList[0].ID); !errors.Is(err, aspirations.ErrNotFound) {
		t.Errorf("village B's canned answer from village A: %v", err)
	}
	_, err = r.svc.Canned(r.ctx, actorResident)
	isErr(t, err, aspirations.ErrForbidden)
}

func TestService_EraseResident(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, ResidentName: "Siti", VillageCode: villageA,
		Text: "Lubang di jalan ini", Attachment: &aspirations.Attachment{Kind: "location", Lat: -7.9, Lon: 112.6}})
	r.must(err)
	r.flush() // the posts naming her went out
	_, err = r.svc.Answer(r.ctx, actorModA, tk.ID, "Akan ditambal.")
	r.must(err)
	r.must(r.svc.EraseResident(r.ctx, resident))
	got, _, err := r.svc.Get(r.ctx, actorModA, tk.Number)
	r.must(err)
	if got.ResidentChat != 0 || got.ResidentName != "" || !got.Anonymous || got.Attachment != nil || got.Text != "Lubang di jalan ini" {
		t.Fatalf("after erase %+v", got)
	}
	mine, err := r.svc.ResidentTickets(r.ctx, resident, 10)
	r.must(err)
	if len(mine) != 0 {
		t.Errorf("resident still has %d tickets", len(mine))
	}
	r.flush()
	if r.count(resident) != 0 {
		t.Error("news went to an erased resident")
	}
	if st := r.outboxStates(); len(st) != 1 || st["sent"] != 2 {
		t.Errorf("outbox %v; want only the 2 posts to staff, the answer to her deleted", st)
	}
	var toHer int
	r.must(r.db.GetContext(r.ctx, &toHer, `SELECT count(*) FROM aspiration_outbox WHERE chat_id = $1`, resident))
	if toHer != 0 {
		t.Errorf("%d outbox rows still hold her chat id", toHer)
	}
	var kept int
	r.must(r.db.GetContext(r.ctx, &kept, `SELECT count(*) FROM aspiration_outbox WHERE payload::text LIKE '%Siti%'`))
	if kept != 0 {
		t.Errorf("%d outbox rows still name the resident", kept)
	}
}

// Posts about her ticket that have not reached staff yet lose her name and
// location too: they would otherwise arrive after she erased her data.
func TestService_EraseResidentScrubsPendingPosts(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, ResidentName: "Siti Aminah", VillageCode: villageA,
		Text: "Lubang di jalan ini", Attachment: &aspirations.Attachment{Kind: "location", Lat: -7.93317, Lon: 112.60321}})
	r.must(err)
	r.must(r.svc.EraseResident(r.ctx, resident))
	if n := r.flush(); n == 0 {
		t.Fatal("the posts were not sent")
	}
	for _, chat := range []int64{groupA} {
		post := r.last(chat)
		if strings.Contains(post.Text, "Siti") || strings.Contains(post.Text, "7.93317") || !strings.Contains(post.Text, "Lubang di jalan ini") {
			t.Errorf("post to %d after erasing: %q", chat, post.Text)
		}
	}
}
