package aspirations_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/staff"
)

func TestService_FileValidation(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *aspirations.Config) { c.FloodPerHour = -1 })
	base := aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA, Text: "Jalan berlubang di depan SD"}
	cases := []struct {
		name string
		edit func(*aspirations.NewTicket)
		want error
	}{
		{"too short", func(n *aspirations.NewTicket) { n.Text = "  hai " }, aspirations.ErrTextTooShort},
		{"too long", func(n *aspirations.NewTicket) { n.Text = strings.Repeat("a", aspirations.MaxTextLen+1) }, aspirations.ErrTextTooLong},
		{"sticker", func(n *aspirations.NewTicket) { n.Attachment = &aspirations.Attachment{Kind: "sticker", FileID: "s"} }, aspirations.ErrAttachmentType},
		{"photo without file", func(n *aspirations.NewTicket) { n.Attachment = &aspirations.Attachment{Kind: "photo"} }, aspirations.ErrAttachmentType},
		{"bad location", func(n *aspirations.NewTicket) { n.Attachment = &aspirations.Attachment{Kind: "location", Lat: 91} }, aspirations.ErrAttachmentType},
		{"no village", func(n *aspirations.NewTicket) { n.VillageCode = "" }, aspirations.ErrNoVillage},
		{"unknown village", func(n *aspirations.NewTicket) { n.VillageCode = "99.99.99.9999" }, aspirations.ErrNoVillage},
		{"anonymous document", func(n *aspirations.NewTicket) {
			n.Anonymous = true
			n.Attachment = &aspirations.Attachment{Kind: "document", FileID: "d", FileName: "IMG_1.jpg"}
		}, aspirations.ErrAnonymousDocument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nt := base
			c.edit(&nt)
			if _, err := r.svc.File(r.ctx, nt); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	if !errors.Is(aspirations.ErrAnonymousDocument, aspirations.ErrAttachmentType) {
		t.Error("ErrAnonymousDocument is no ErrAttachmentType")
	}
}

// An anonymous ticket never shows the resident's name to staff, in posts,
// the queue, the ticket card or the report, and loses its location.
func TestService_Anonymous(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, ResidentName: "Rahasia Sekali",
		VillageCode: villageA, Category: aspirations.CategorySecurity, Text: "Ada pungli di parkiran pasar",
		Anonymous: true, Attachment: &aspirations.Attachment{Kind: "location", Lat: -7.93, Lon: 112.6}})
	r.must(err)
	if tk.ResidentName != "" || tk.Attachment != nil || !tk.Anonymous {
		t.Fatalf("anonymous ticket kept %q / %+v", tk.ResidentName, tk.Attachment)
	}
	r.flush()
	for _, chat := range []int64{groupA, groupDist} {
		for _, m := range r.emu.Messages(chat) {
			if strings.Contains(m.Text, "Rahasia") || strings.Contains(m.Text, "9001") || strings.Contains(m.Text, "maps") {
				t.Errorf("post leaks: %q", m.Text)
			}
			contains(t, "post", m.Text, "anonim")
		}
	}
	q, _, err := r.svc.Queue(r.ctx, actorModA, nil, 0, 10)
	r.must(err)
	got, _, err := r.svc.Get(r.ctx, actorModA, tk.Number)
	r.must(err)
	if q[0].ResidentName != "" || got.ResidentName != "" || got.Attachment != nil {
		t.Errorf("queue/get leak %q %q %+v", q[0].ResidentName, got.ResidentName, got.Attachment)
	}
	// A photo is re-sent by file id only.
	_, err = r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, ResidentName: "Rahasia Sekali",
		VillageCode: villageA, Text: "Foto jalan rusak", Anonymous: true,
		Attachment: &aspirations.Attachment{Kind: "photo", FileID: "ph", FileName: "gps.jpg", MIME: "image/jpeg", Lat: 1, Lon: 2}})
	r.must(err)
	r.flush()
	if m := r.last(groupA); m.PhotoFileID != "ph" || strings.Contains(m.Text, "Rahasia") {
		t.Errorf("photo post %+v", m)
	}
	var csv bytes.Buffer
	w, err := aspirations.NewCSVWriter(&csv, r.svc.TZ())
	r.must(err)
	r.must(r.svc.Report(r.ctx, staff.Admin(), aspirations.ReportFilter{}, w.Write))
	r.must(w.Flush())
	if strings.Contains(csv.String(), "Rahasia") || !strings.Contains(csv.String(), tk.Number) {
		t.Errorf("csv %q", csv.String())
	}
}

func TestService_FileIdempotent(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	nt := aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA, Text: "Air PDAM mati tiga hari", SourceKey: "upd:77"}
	var wg sync.WaitGroup
	got := make([]aspirations.Ticket, 6)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := r.svc.File(r.ctx, nt)
			if err != nil {
				t.Error(err)
			}
			got[i] = tk
		}()
	}
	wg.Wait()
	for _, tk := range got[1:] {
		if tk.ID != got[0].ID {
			t.Fatalf("filed twice: %d and %d", got[0].ID, tk.ID)
		}
	}
	if n := r.flush(); n != 2 {
		t.Errorf("flushed %d posts, want one per group", n)
	}
	// The same key from another chat is refused.
	nt.ResidentChat = resident2
	if _, err := r.svc.File(r.ctx, nt); !errors.Is(err, aspirations.ErrForbidden) {
		t.Errorf("another chat's source key: %v", err)
	}
	// A redelivery after the fact uses up no number.
	before := r.file("Tiket sebelum pengiriman ulang")
	nt.ResidentChat = resident
	if again, err := r.svc.File(r.ctx, nt); err != nil || again.ID != got[0].ID {
		t.Fatalf("redelivery: %v, %v", again.ID, err)
	}
	after := r.file("Tiket sesudah pengiriman ulang")
	if want := aspirations.FormatNumber(2026, mustSeq(t, before.Number)+1); after.Number != want {
		t.Errorf("next number %s, want %s", after.Number, want)
	}
}

func mustSeq(t *testing.T, number string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(number[strings.LastIndexByte(number, '-')+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestService_FloodLimit(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	for i := range 5 {
		r.file(fmt.Sprintf("Aspirasi ke-%d minggu ini", i))
	}
	_, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA, Text: "Satu lagi aspirasi"})
	isErr(t, err, aspirations.ErrFlood)
	// Redeliveries of one update are charged once.
	for range 6 {
		_, err = r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident2, VillageCode: villageA,
			Text: "Warga lain tetap bisa", SourceKey: "upd:500"})
		r.must(err)
	}
	for i := range 4 {
		_, err = r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident2, VillageCode: villageA,
			Text: fmt.Sprintf("Aspirasi lain nomor %d", i)})
		r.must(err)
	}
	_, err = r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: resident2, VillageCode: villageA, Text: "Keenam dalam sejam"})
	isErr(t, err, aspirations.ErrFlood)
	expectFloodKey(t, testenv.KeysUnderPrefix(t, r.rdb, r.redisPrefix), r.redisPrefix+"rate:asp:flood:")
}

// expectFloodKey fails unless one of keys starts with want: the flood
// limit's counter lives under the test's prefix.
func expectFloodKey(t *testing.T, keys []string, want string) {
	t.Helper()
	for _, k := range keys {
		if strings.HasPrefix(k, want) {
			return
		}
	}
	t.Fatalf("no redis key starts with %q; keys under the prefix: %q", want, keys)
}

// With Redis unreachable, filing goes on (no flood limit) and the outage
// is logged once.
func TestService_FileWithoutRedis(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	r0 := newRig(t)
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens here any more
	dead := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer dead.Close()
	var logs bytes.Buffer
	svc := aspirations.NewService(db, dead, "x:", r0.clock, slog.New(slog.NewTextHandler(&logs, nil)), aspirations.Config{})
	addStaff(t, db, staff.RoleModerator, modA, villageA, nil)
	for i := range 7 {
		if _, err := svc.File(r0.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA,
			Text: fmt.Sprintf("Aspirasi saat Redis mati %d", i)}); err != nil {
			t.Fatalf("filing %d: %v", i, err)
		}
	}
	// After the pause Redis is tried again (and still fails, logged once).
	r0.clock.Advance(31 * time.Second)
	if _, err := svc.File(r0.ctx, aspirations.NewTicket{ResidentChat: resident, VillageCode: villageA,
		Text: "Aspirasi setelah jeda"}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "redis unreachable"); n != 1 {
		t.Errorf("logged the outage %d times:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "9001") {
		t.Error("log holds a chat id")
	}
}

// Numbers are unique and gapless under concurrent filing, per year.
func TestService_Numbers(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *aspirations.Config) { c.FloodPerHour = -1 })
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := r.svc.File(r.ctx, aspirations.NewTicket{ResidentChat: int64(7000 + i), VillageCode: villageA,
				Text: "Aspirasi serentak dari banyak warga"})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			seen[tk.Number] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	for i := 1; i <= 20; i++ {
		if n := aspirations.FormatNumber(2026, int64(i)); !seen[n] {
			t.Errorf("missing %s", n)
		}
	}
	// New year in Jakarta (17:00 UTC on 31 December) starts at 1 again.
	r.clock.Set(start.AddDate(0, 1, 9).Add(14*60*60*1e9 + 1))
	tk := r.file("Aspirasi pertama tahun baru")
	if tk.Number != "ASP-2027-000001" {
		t.Errorf("first of 2027 is %s", tk.Number)
	}
}
