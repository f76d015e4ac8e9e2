package operator

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

func newOpFlow(t testing.TB) (*flow, *message.ManualClock) {
	t.Helper()
	db := testenv.DB(t)
	clock := message.NewManualClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	zone, _ := broadcast.ParseZone("WIB")
	return &flow{
		staff:     staff.New(db, clock),
		schedules: broadcast.NewSchedules(db, clock), regions: region.NewStore(db),
		clock: clock, zone: zone, logger: slog.New(slog.DiscardHandler),
	}, clock
}

func hasButton(m message.Message, data string) bool {
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Data == data {
				return true
			}
		}
	}
	return false
}

func TestOperatorFlow_Siaran(t *testing.T) {
	f, _ := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	r := f.startSiaran(op)
	s := r.Session
	if s.Step != stepContent {
		t.Fatalf("step %s", s.Step)
	}
	if r = f.onContent(ctx, op, s, input{Other: true}); !strings.Contains(r.Messages[0].Text, "teks, foto, atau dokumen") {
		t.Fatalf("sticker answered %q", r.Messages[0].Text)
	}
	if r = f.onContent(ctx, op, s, input{HTML: strings.Repeat("a", 4097)}); !strings.Contains(r.Messages[0].Text, "4096") || s.Step != stepContent {
		t.Fatalf("long text answered %q at %s", r.Messages[0].Text, s.Step)
	}
	// Counted as Telegram counts: an emoji is two UTF-16 units.
	if r = f.onContent(ctx, op, s, input{HTML: "<b>Kerja bakti</b> " + strings.Repeat("🙏", 2100)}); !strings.Contains(r.Messages[0].Text, "4212 dari paling banyak 4096") ||
		!strings.Contains(r.Messages[0].Text, "Kurangi 116") || s.Step != stepContent {
		t.Fatalf("emoji text answered %q at %s", r.Messages[0].Text, s.Step)
	}
	r = f.onContent(ctx, op, s, input{HTML: "<b>ASO</b> 30 November"})
	if s.Step != stepLinks || !hasButton(r.Messages[0], "op:b:add") || !hasButton(r.Messages[0], "op:b:skip") {
		t.Fatalf("links offer = %+v at %s", r.Messages[0], s.Step)
	}
	if r = f.onLinks(ctx, op, s, input{Data: "op:b:add"}); !strings.Contains(r.Messages[0].Text, "Teks | https://alamat") {
		t.Fatalf("links ask = %q", r.Messages[0].Text)
	}
	r = f.onLinks(ctx, op, s, input{Plain: "Info ASO | https://malangkota.go.id/aso"})
	if s.Step != stepTargets || !hasButton(r.Messages[1], "op:tg:35.73") || !hasButton(r.Messages[1], "op:tv:35.73.05") {
		t.Fatalf("targets keyboard = %+v", r.Messages)
	}
	f.onTargets(ctx, op, s, input{Data: "op:tv:35.73.05"})
	r = f.onTargets(ctx, op, s, input{Data: "op:tg:35.73.05.1003"})
	if !strings.Contains(r.Messages[0].Text, "Tlogomas") {
		t.Fatalf("selection not shown: %q", r.Messages[0].Text)
	}
	f.onTargets(ctx, op, s, input{Data: "op:tg:35.07"}) // outside scope: ignored
	r = f.onTargets(ctx, op, s, input{Plain: "blimbing"})
	if !hasButton(r.Messages[0], "op:tg:35.73.01") {
		t.Fatalf("typed district not offered: %+v", r.Messages[0].Buttons)
	}
	f.onTargets(ctx, op, s, input{Data: "op:tg:35.73.01"})
	r = f.onTargets(ctx, op, s, input{Data: "op:td"})
	if s.Step != stepTiming || len(s.Targets) != 2 || !hasButton(r.Messages[0], "op:w:monday") {
		t.Fatalf("after targets: step %s targets %v", s.Step, s.Targets)
	}
	f.onTiming(ctx, s, "op:z")
	if s.Zone != "Asia/Makassar" {
		t.Fatalf("zone toggled to %s", s.Zone)
	}
	r = f.onTiming(ctx, s, "op:w:once")
	if s.Step != stepAt || !strings.Contains(r.Messages[0].Text, "23/11/2026 08.00") {
		t.Fatalf("ask at = %q", r.Messages[0].Text)
	}
	if r = f.onTypedTiming(s, "22/11/2026 08.00"); s.Step != stepAt || !strings.Contains(r.Messages[0].Text, "sudah lewat") {
		t.Fatalf("past time answered %q", r.Messages[0].Text)
	}
	r = f.onTypedTiming(s, "30/11/2026 08.00")
	if s.Step != stepUrgent || !s.At.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("at = %s step %s", s.At, s.Step)
	}
	r = f.onUrgent(ctx, s, "op:u:1")
	links := [][]message.Button{{{Text: "Info ASO", URL: "https://malangkota.go.id/aso"}}}
	if len(r.Messages) != 2 || r.Messages[0].Text != "<b>ASO</b> 30 November" || !reflect.DeepEqual(r.Messages[0].Buttons, links) ||
		!hasButton(r.Messages[1], "op:ok") ||
		!strings.Contains(r.Messages[1].Text, "sekali, Senin 30 November 2026 pukul 08.00 WITA") ||
		strings.Contains(r.Messages[1].Text, "berikutnya") || !strings.Contains(r.Messages[1].Text, "Blimbing, Tlogomas") {
		t.Fatalf("preview = %+v", r.Messages)
	}
	r0 := r.Messages[0] // the preview: what residents will get
	r = f.onConfirm(ctx, op, s, "op:ok")
	if r.Session != nil || !strings.Contains(r.Messages[0].Text, "Siaran #1 dijadwalkan") {
		t.Fatalf("confirm = %+v", r)
	}
	sc, err := f.schedules.Get(ctx, op, 1)
	if err != nil || !sc.Urgent || sc.Kind != broadcast.KindOnce || sc.Zone.String() != "Asia/Makassar" || len(sc.Targets) != 2 ||
		!reflect.DeepEqual(sc.Content.Message(), r0) {
		t.Fatalf("saved schedule = %+v, %v", sc, err)
	}
}

func TestOperatorFlow_Manage(t *testing.T) {
	f, _ := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	other := staff.Actor{Role: staff.RoleOperator, TelegramID: 2, Scope: "35.07"}
	if m := f.jadwal(ctx, op); !strings.Contains(m.Text, "Belum ada jadwal") {
		t.Fatalf("empty jadwal = %q", m.Text)
	}
	wib, _ := broadcast.ParseZone("WIB")
	sc, err := f.schedules.Create(ctx, op, broadcast.Draft{Content: broadcast.Content{Text: "Senin pagi"}, Targets: []region.Code{"35.73.05"},
		Timing: broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1", Zone: wib}})
	if err != nil {
		t.Fatal(err)
	}
	m := f.jadwal(ctx, op)
	if !strings.Contains(m.Text, "setiap Senin pukul 08.00 WIB\nBerikutnya: Sen 23 Nov 08.00 · Sen 30 Nov 08.00 · Sen 7 Des 08.00 · Sen 14 Des 08.00 · Sen 21 Des 08.00 (WIB)") ||
		!hasButton(m, "op:jp:1") {
		t.Fatalf("jadwal = %q %+v", m.Text, m.Buttons)
	}
	if m := f.jadwal(ctx, other); strings.Contains(m.Text, "Senin pagi") {
		t.Fatal("another regency's operator sees the schedule")
	}
	if m := f.onJadwalButton(ctx, other, "op:jp:1"); !strings.Contains(m.Text, "tidak ditemukan") {
		t.Fatalf("out-of-scope pause = %q", m.Text)
	}
	if m := f.onJadwalButton(ctx, op, "op:jp:1"); !strings.Contains(m.Text, "dijeda") {
		t.Fatalf("pause = %q", m.Text)
	}
	if m := f.onJadwalButton(ctx, op, "op:jc:1"); !hasButton(m, "op:jy:1") {
		t.Fatalf("cancel asks = %+v", m)
	}
	if m := f.onJadwalButton(ctx, op, "op:jy:1"); !strings.Contains(m.Text, "dibatalkan") {
		t.Fatalf("cancel = %q", m.Text)
	}
	if got, _ := f.schedules.Get(ctx, op, sc.ID); got.Status != broadcast.ScheduleCancelled {
		t.Fatalf("status %s", got.Status)
	}
	if m := f.laporan(ctx, op); !strings.Contains(m.Text, "Belum ada pengiriman") {
		t.Fatalf("laporan = %q", m.Text)
	}

	m = f.undang(ctx, op, "35.07")
	if !strings.Contains(m.Text, "di luar wilayah") {
		t.Fatalf("undang outside scope = %q", m.Text)
	}
	m = f.undang(ctx, op, "35.73.05")
	code := m.Text[strings.Index(m.Text, "<code>")+6 : strings.Index(m.Text, "</code>")]
	if m := f.daftar(ctx, 99, strings.ToLower(code)); !strings.Contains(m.Text, "Lowokwaru (35.73.05)") {
		t.Fatalf("daftar = %q", m.Text)
	}
	if m := f.daftar(ctx, 98, code); !strings.Contains(m.Text, "sudah dipakai") {
		t.Fatalf("second daftar = %q", m.Text)
	}
	if m := f.daftar(ctx, 98, "KIM-AAAA-BBBB"); !strings.Contains(m.Text, "tidak dikenal") {
		t.Fatalf("unknown code = %q", m.Text)
	}
	if m := f.daftar(ctx, 98, ""); !strings.Contains(m.Text, "/daftar KIM-") {
		t.Fatalf("usage = %q", m.Text)
	}
}

// TestOperatorFlow_FirstMonday: at the typed-timing step, a spec with both
// day fields is refused with the trap and the phrase to use; the phrase is
// taken, and the preview and /jadwal say it plainly with the next five
// fires (Sunday 22 Nov 2026 19:00 WIB now).
func TestOperatorFlow_FirstMonday(t *testing.T) {
	f, _ := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	s := &session{Step: stepTiming, View: op.Scope, Zone: "Asia/Jakarta", Content: broadcast.Content{Text: "Kerja bakti"}, Targets: []region.Code{"35.73.05"}}
	f.step(ctx, op, s, input{Data: "op:w:cron"})
	r := f.step(ctx, op, s, input{Plain: "0 8 1-7 * 1"})
	if s.Step != stepCron || !strings.Contains(r.Messages[0].Text, "bukan hanya Senin pertama") ||
		!strings.Contains(r.Messages[0].Text, "<code>Senin pertama 08.00</code>") || !strings.Contains(r.Messages[0].Text, "0 = Minggu") {
		t.Fatalf("both day fields answered %q at %s", r.Messages[0].Text, s.Step)
	}
	if r = f.step(ctx, op, s, input{Plain: "Senin kelima 08.00"}); s.Step != stepCron || !strings.Contains(r.Messages[0].Text, "tidak bisa dipakai") {
		t.Fatalf("fifth Monday answered %q at %s", r.Messages[0].Text, s.Step)
	}
	f.step(ctx, op, s, input{Plain: "Senin pertama setiap bulan pukul 08.00"})
	if s.Cron != "0 8 * * 1#1" || s.Step != stepUntil {
		t.Fatalf("phrase read as %q at %s", s.Cron, s.Step)
	}
	f.step(ctx, op, s, input{Data: "op:e:none"})
	r = f.step(ctx, op, s, input{Data: "op:u:0"})
	want := "<b>Waktu:</b> Senin pertama setiap bulan pukul 08.00 WIB\n<b>Lima kiriman berikutnya:</b>\n" +
		"• Senin 7 Desember 2026 pukul 08.00 WIB\n• Senin 4 Januari 2027 pukul 08.00 WIB\n• Senin 1 Februari 2027 pukul 08.00 WIB\n" +
		"• Senin 1 Maret 2027 pukul 08.00 WIB\n• Senin 5 April 2027 pukul 08.00 WIB\n"
	if len(r.Messages) != 2 || !strings.Contains(r.Messages[1].Text, want) {
		t.Fatalf("preview = %q, want %q", r.Messages[1].Text, want)
	}
	if r = f.onConfirm(ctx, op, s, "op:ok"); !strings.Contains(r.Messages[0].Text, "dijadwalkan: Senin pertama setiap bulan pukul 08.00 WIB. Berikutnya: 07/12/2026 08.00 WIB") {
		t.Fatalf("created = %q", r.Messages[0].Text)
	}
	m := f.jadwal(ctx, op)
	if !strings.Contains(m.Text, "Senin pertama setiap bulan pukul 08.00 WIB\nBerikutnya: Sen 7 Des 08.00 · Sen 4 Jan 08.00 · Sen 1 Feb 08.00 · Sen 1 Mar 08.00 · Sen 5 Apr 08.00 (WIB)") {
		t.Fatalf("jadwal = %q", m.Text)
	}
}

func TestOperatorFlow_PhotoAndDocument(t *testing.T) {
	f, _ := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	tests := []struct {
		name string
		in   input
		ok   bool
	}{
		{"photo with caption", input{PhotoFileID: "AgAD", HTML: "<b>Banjir</b> di Sukun"}, true},
		{"photo without caption", input{PhotoFileID: "AgAD"}, true},
		{"document", input{DocumentFileID: "BQAD", HTML: "Perwali 2026"}, true},
		{"caption too long", input{PhotoFileID: "AgAD", HTML: strings.Repeat("x", 1025)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := f.startSiaran(op).Session
			r := f.onContent(ctx, op, s, tt.in)
			if got := s.Step == stepLinks; got != tt.ok {
				t.Fatalf("step %s after %+v: %q", s.Step, tt.in, r.Messages[0].Text)
			}
			if !tt.ok {
				if !strings.Contains(r.Messages[0].Text, "1024") {
					t.Fatalf("refusal %q does not say the limit", r.Messages[0].Text)
				}
				return
			}
			m := s.Content.Message()
			if m.PhotoFileID != tt.in.PhotoFileID || m.DocumentFileID != tt.in.DocumentFileID || m.Caption != tt.in.HTML || m.Text != "" {
				t.Fatalf("content as residents get it = %+v", m)
			}
		})
	}
}

func TestOperatorFlow_StepRouting(t *testing.T) {
	f, _ := newOpFlow(t)
	ctx := context.Background()
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: 1, Scope: "35.73"}
	s := f.startSiaran(op).Session
	if r := f.step(ctx, op, s, input{Data: "op:w:now"}); r.Session == nil || s.Step != stepContent {
		t.Fatal("a stale timing button moved the content step")
	}
	f.step(ctx, op, s, input{HTML: "Halo", Plain: "Halo"})
	if r := f.step(ctx, op, s, input{Data: "op:u:1"}); s.Step != stepLinks || !hasButton(r.Messages[0], "op:b:skip") {
		t.Fatal("a stale urgent button skipped the link buttons")
	}
	if r := f.step(ctx, op, s, input{Data: "op:b:skip"}); s.Step != stepTargets || !hasButton(r.Messages[0], "op:td") {
		t.Fatal("skipping the link buttons did not lead to the targets")
	}
	if r := f.step(ctx, op, s, input{Data: "op:e:none"}); s.Step != stepTargets || !hasButton(r.Messages[0], "op:td") {
		t.Fatal("a stale no-end button skipped the targets")
	}
	if r := f.step(ctx, op, s, input{Plain: "/batal"}); r.Session != nil || !strings.Contains(r.Messages[0].Text, "dibatalkan") {
		t.Fatalf("/batal = %+v", r)
	}
	if r := f.step(ctx, op, &session{Step: "bogus"}, input{Plain: "x"}); r.Session != nil {
		t.Fatal("an unknown step kept the session")
	}
}
