package aspirations_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// prayers is the example: 2,142 characters, 4,242 UTF-16 units.
var prayers = "Jalan rusak parah mohon segera diperbaiki " + strings.Repeat("🙏", 2100)

// The resident's text is counted the way Telegram counts it: refused with
// the numbers before a ticket number is given, so no post can fail "message
// is too long" later.
func TestFile_CountsUTF16AsTelegram(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA, Text: prayers})
	if n, limit, ok := aspirations.TooLong(err); !ok || n != 4242 || limit != aspirations.MaxTextLen {
		t.Fatalf("File = %v, want too long: 4242 of %d units", err, aspirations.MaxTextLen)
	}
	_, err = r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA, Text: strings.Repeat("\u200b", 5)})
	isErr(t, err, aspirations.ErrTextTooShort)
	if n := r.flush(); n != 0 {
		t.Fatalf("sent %d posts for refused texts", n)
	}
	var tickets int
	r.must(r.db.GetContext(r.ctx, &tickets, `SELECT count(*) FROM aspiration_tickets`))
	if tickets != 0 {
		t.Fatalf("%d tickets filed", tickets)
	}
}

// An answer of the same shape is refused: the ticket is not marked dijawab
// while the resident could never read it.
func TestAnswer_CountsUTF16AsTelegram(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Lampu jalan mati di gang 3")
	r.flush()
	_, err := r.svc.Answer(r.ctx, actorModA, tk.ID, prayers)
	if n, _, ok := aspirations.TooLong(err); !ok || n != 4242 {
		t.Fatalf("Answer = %v, want too long with 4242 units", err)
	}
	_, err = r.svc.Answer(r.ctx, actorModA, tk.ID, "\u200b\u200c\u2060 \ufeff")
	isErr(t, err, aspirations.ErrTextTooShort)
	_, err = r.svc.Reject(r.ctx, actorModA, tk.ID, "\u200b\u200b\u200b\u200b")
	isErr(t, err, aspirations.ErrTextTooShort)
	got, _, err := r.svc.Get(r.ctx, actorModA, tk.Number)
	r.must(err)
	if got.Status != aspirations.StatusNew || r.count(resident) != 0 {
		t.Fatalf("ticket %s, resident got %d messages", got.Status, r.count(resident))
	}
}

// With every input at its limit (text, note, the longest name, a location)
// each message composed around it reaches Telegram whole: the emulator
// refuses anything over 4096 units, and nothing is cut.
func TestComposedMessagesFit(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	full := strings.Repeat("🙏", aspirations.MaxTextLen/2)
	name := strings.Repeat("👩", 64)
	file := func() aspirations.Ticket {
		tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, ResidentName: name, VillageCode: villageA,
			Text: full, Attachment: &aspirations.Attachment{Kind: aspirations.AttachLocation, Lat: -7.93, Lon: 112.6}})
		r.must(err)
		return tk
	}
	a, b := file(), file()
	_, err := r.svc.ResidentReply(r.ctx, resident, a.Number, full, nil)
	r.must(err)
	_, err = r.svc.Escalate(r.ctx, actorModA, a.ID, strings.Repeat("🙏", aspirations.MaxNoteLen/2))
	r.must(err)
	_, err = r.svc.Answer(r.ctx, actorOpCity, a.ID, full)
	r.must(err)
	_, err = r.svc.Reject(r.ctx, actorModA, b.ID, full)
	r.must(err)
	r.flush()
	if st := r.outboxStates(); len(st) != 1 || st["sent"] == 0 {
		t.Fatalf("outbox %v, want everything sent", st)
	}
	for _, chat := range []int64{groupA, groupDist, opCity, resident} {
		for _, m := range r.emu.Messages(chat) {
			if strings.Contains(m.Text, catalog.T("aspo.cut")) {
				t.Errorf("chat %d got a cut message: …%s", chat, m.Text[len(m.Text)-80:])
			}
		}
	}
	if n, _ := message.VisibleLen(r.last(resident).Text); n < aspirations.MaxTextLen {
		t.Errorf("the last answer shows %d units, want the whole rejection", n)
	}
}

// A ticket stored before the limits counted UTF-16 units still reaches the
// operators, cut on a character boundary with a marker.
func TestEscalation_CutsATextStoredTooLong(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk := r.file("Jalan rusak parah")
	r.flush()
	_, err := r.db.ExecContext(r.ctx, `UPDATE aspiration_tickets SET text = $2 WHERE id = $1`, tk.ID, prayers)
	r.must(err)
	_, err = r.svc.Escalate(r.ctx, actorModA, tk.ID, "")
	r.must(err)
	r.flush()
	post := r.last(opCity).Text
	if n, err := message.VisibleLen(post); err != nil || n > message.MaxTextLen {
		t.Fatalf("escalation shows %d units (%v)", n, err)
	}
	contains(t, "escalation", post, "Jalan rusak parah mohon segera diperbaiki 🙏", "🙏"+catalog.T("aspo.cut"))
}

// The first filings of a new year, at once, all get a number: they race
// to create the year's sequence (a filing once failed with 42P07,
// "relation aspiration_number_2026 already exists").
func TestService_NewYearNumbersUnderRace(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	for year := 2070; year < 2100; year++ {
		nums := make(chan int64, 32)
		errs := make(chan error, 32)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 32 {
			wg.Go(func() {
				<-start
				n, err := r.svc.NextNumberForTest(r.ctx, year)
				nums <- n
				errs <- err
			})
		}
		close(start)
		wg.Wait()
		close(nums)
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("year %d: %v", year, err)
			}
		}
		seen := map[int64]bool{}
		for n := range nums {
			if seen[n] {
				t.Fatalf("year %d: number %d drawn twice", year, n)
			}
			seen[n] = true
		}
	}
}
