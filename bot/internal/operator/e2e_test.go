package operator_test

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/emulator"
)

// newRig runs the whole path of an announcement: the bot (operator chat),
// the dispatcher and the delivery engine, against the emulator; the
// engine's sends time out after sendTimeout.
func newRig(t *testing.T, sendTimeout time.Duration) *bottest.Rig {
	t.Helper()
	return bottest.New(t, bottest.Options{Broadcast: true, SendTimeout: sendTimeout})
}

// wait waits up to 15 s (a broadcast goes through the dispatcher and the
// engine) for a message to chat containing part.
func wait(r *bottest.Rig, chat int64, part string) emulator.Sent {
	r.T.Helper()
	return r.Emu.WaitFor(r.T, chat, 15*time.Second, func(m emulator.Sent) bool { return strings.Contains(m.Text, part) })
}

// press presses the button with data on m, which must carry it.
func press(r *bottest.Rig, u emulator.User, m emulator.Sent, data string) {
	r.T.Helper()
	bottest.HasData(r.T, m, data)
	r.Emu.PressButton(u, u.ID, m.MessageID, data)
}

// subscribe makes residents subscribers of Tlogomas (Lowokwaru, Malang).
func subscribe(r *bottest.Rig, residents ...emulator.User) {
	r.T.Helper()
	for _, u := range residents {
		r.Emu.SendText(u, "/start 3573051003")
	}
	for _, u := range residents {
		wait(r, u.ID, "Tlogomas")
	}
}

// laporan asks /laporan until its answer holds want (the engine records
// outcomes in batches) and returns the last answer.
// textToCity starts /siaran with a text announcement without link buttons
// for all of Kota Malang, and returns the timing question.
func textToCity(r *bottest.Rig, operator emulator.User, text string) emulator.Sent {
	r.T.Helper()
	r.Emu.SendText(operator, "/siaran")
	wait(r, operator.ID, "Siaran baru")
	r.Emu.SendText(operator, text)
	press(r, operator, wait(r, operator.ID, "tombol tautan"), "op:b:skip")
	targets := wait(r, operator.ID, "Ke mana")
	press(r, operator, targets, "op:tg:35.73")
	r.Emu.PressButton(operator, operator.ID, targets.MessageID, "op:td")
	return wait(r, operator.ID, "Kapan dikirim")
}

func laporan(r *bottest.Rig, operator emulator.User, want string) string {
	r.T.Helper()
	var report string
	for i := 0; i < 50 && !strings.Contains(report, want); i++ {
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		n := len(r.Emu.Messages(operator.ID))
		r.Emu.SendText(operator, "/laporan")
		msgs := r.Emu.WaitMessages(r.T, operator.ID, n+1, 15*time.Second)
		report = msgs[len(msgs)-1].Text
	}
	if !strings.Contains(report, want) {
		r.T.Fatalf("/laporan = %q, want %q", report, want)
	}
	return report
}

func TestOperator_ComposeAndSend(t *testing.T) {
	r := newRig(t, 5*time.Second)
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	residents := []emulator.User{{ID: 601, FirstName: "Sari"}, {ID: 602, FirstName: "Budi"}}
	outsider := emulator.User{ID: 603, FirstName: "Tono"}
	r.Operator(operator, "35.73")
	subscribe(r, residents...)
	r.Emu.SendText(outsider, "/start 357301") // Blimbing: opens a picker, no subscription

	// A resident trying an operator command gets the ordinary answer.
	r.Emu.SendText(residents[0], "/siaran")
	wait(r, residents[0].ID, "perintah itu tidak dikenal")

	r.Emu.SendText(operator, "/siaran")
	wait(r, operator.ID, "Siaran baru")
	r.Emu.SendText(operator, "Pemadaman listrik besok 08.00 & 12.00")
	press(r, operator, wait(r, operator.ID, "tombol tautan"), "op:b:add")
	wait(r, operator.ID, "Ketik tombolnya")
	r.Emu.SendText(operator, "Jadwal lengkap - malangkota.go.id") // neither a bar nor https://
	wait(r, operator.ID, "belum bisa dibaca")
	r.Emu.SendText(operator, "Jadwal lengkap | https://malangkota.go.id/padam")
	targets := wait(r, operator.ID, "Ke mana")
	press(r, operator, targets, "op:tv:35.73.05")
	r.Emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool { return hasData(m, "op:tp:1") })
	r.Emu.PressButton(operator, operator.ID, targets.MessageID, "op:tp:1") // Tlogomas is on the second page
	villages := r.Emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool {
		return m.MessageID == targets.MessageID && strings.Contains(m.Text, "Ke mana") && hasData(m, "op:tg:35.73.05.1003")
	})
	r.Emu.PressButton(operator, operator.ID, villages.MessageID, "op:tg:35.73.05.1003")
	r.Emu.WaitFor(t, operator.ID, 15*time.Second, func(m emulator.Sent) bool { return strings.Contains(m.Text, "Terpilih: Tlogomas") })
	r.Emu.PressButton(operator, operator.ID, villages.MessageID, "op:td")
	press(r, operator, wait(r, operator.ID, "Kapan dikirim"), "op:w:now")
	press(r, operator, wait(r, operator.ID, "peringatan darurat"), "op:u:0")
	summary := wait(r, operator.ID, "Kirim?")
	if !strings.Contains(summary.Text, "Tlogomas") || !strings.Contains(summary.Text, "2 pelanggan") {
		t.Fatalf("summary = %q", summary.Text)
	}
	links := [][]emulator.Button{{{Text: "Jadwal lengkap", URL: "https://malangkota.go.id/padam"}}}
	previews := r.Emu.Messages(operator.ID)
	preview := previews[len(previews)-2]
	if preview.Text != "Pemadaman listrik besok 08.00 &amp; 12.00" || preview.ParseMode != "HTML" || !reflect.DeepEqual(preview.Buttons, links) {
		t.Fatalf("preview = %+v, want the announcement exactly as residents get it", preview)
	}
	press(r, operator, summary, "op:ok")
	wait(r, operator.ID, "sedang dikirim")

	for _, u := range residents {
		got := wait(r, u.ID, "Pemadaman listrik")
		if got.Text != preview.Text || got.ParseMode != preview.ParseMode || !reflect.DeepEqual(got.Buttons, preview.Buttons) {
			t.Fatalf("resident %d got %+v, the preview showed %+v", u.ID, got, preview)
		}
	}
	// The run is marked finished just after its last delivery is recorded:
	// wait for "selesai", then the counts are final.
	report := laporan(r, operator, "selesai")
	if !strings.Contains(report, "Sasaran 2 · terkirim 2 · gagal 0 · memblokir 0 · tak pasti 0 · menunggu 0") || strings.Contains(report, "Tak pasti:") {
		t.Fatalf("/laporan = %q", report)
	}
	for _, m := range r.Emu.Messages(outsider.ID) {
		if strings.Contains(m.Text, "Pemadaman") {
			t.Fatal("a resident outside the targets got the announcement")
		}
	}
}

// TestOperator_RepeatingUntil: "every Monday 08.00 until the switch-off",
// from the chat to /jadwal.
func TestOperator_RepeatingUntil(t *testing.T) {
	r := newRig(t, 5*time.Second)
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	r.Operator(operator, "35.73")
	wib, _ := broadcast.ParseZone("WIB")
	endDay := time.Now().In(wib).AddDate(0, 2, 0)
	end := endDay.Format("02/01/2006")

	press(r, operator, textToCity(r, operator, "Siaran TV analog berhenti. Siapkan STB."), "op:w:monday")
	bottest.HasData(t, wait(r, operator.ID, "Sampai kapan"), "op:e:none")
	r.Emu.SendText(operator, "sampai ASO")
	wait(r, operator.ID, "tidak bisa dibaca")
	r.Emu.SendText(operator, end)
	press(r, operator, wait(r, operator.ID, "peringatan darurat"), "op:u:0")
	summary := wait(r, operator.ID, "Kirim?")
	want := "setiap Senin pukul 08.00 WIB, sampai " + indonesianDate(endDay)
	if !strings.Contains(summary.Text, want) {
		t.Fatalf("summary = %q, want %q", summary.Text, want)
	}
	press(r, operator, summary, "op:ok")
	if done := wait(r, operator.ID, "dijadwalkan"); !strings.Contains(done.Text, want) {
		t.Fatalf("created = %q", done.Text)
	}
	r.Emu.SendText(operator, "/jadwal")
	if list := wait(r, operator.ID, "Jadwal siaran"); !strings.Contains(list.Text, want) {
		t.Fatalf("/jadwal = %q", list.Text)
	}
}

// indonesianDate is "31 Januari 2027".
func indonesianDate(d time.Time) string {
	return fmt.Sprintf("%d %s %d", d.Day(), catalog.T(catalog.Key(fmt.Sprintf("timing.month.%d", d.Month()))), d.Year())
}

// TestOperator_FirstMonday: "0 8 1-7 * 1" typed for "the first Monday" is
// refused with the trap explained; "Senin pertama 08.00" is taken, and the
// confirmation and /jadwal say it plainly with five fires, each a Monday
// among the first seven days of its month.
func TestOperator_FirstMonday(t *testing.T) {
	r := newRig(t, 5*time.Second)
	operator := emulator.User{ID: 501, FirstName: "Operator"}
	r.Operator(operator, "35.73")
	press(r, operator, textToCity(r, operator, "Kerja bakti Senin pertama"), "op:w:cron")
	wait(r, operator.ID, "Ketik jadwal cron")
	r.Emu.SendText(operator, "0 8 1-7 * 1")
	refused := wait(r, operator.ID, "salah satu")
	for _, part := range []string{"bukan hanya Senin pertama", "<code>Senin pertama 08.00</code>", "0 = Minggu"} {
		if !strings.Contains(refused.Text, part) {
			t.Fatalf("refusal = %q, want %q", refused.Text, part)
		}
	}
	r.Emu.SendText(operator, "Senin pertama 08.00")
	press(r, operator, wait(r, operator.ID, "Sampai kapan"), "op:e:none")
	press(r, operator, wait(r, operator.ID, "peringatan darurat"), "op:u:0")
	summary := wait(r, operator.ID, "Kirim?")
	const want = "Senin pertama setiap bulan pukul 08.00 WIB"
	if !strings.Contains(summary.Text, want) {
		t.Fatalf("summary = %q, want %q", summary.Text, want)
	}
	fires := regexp.MustCompile(`• Senin (\d+) \S+ \d{4} pukul 08\.00 WIB`).FindAllStringSubmatch(summary.Text, -1)
	if len(fires) != 5 {
		t.Fatalf("summary lists %d fires, want 5: %q", len(fires), summary.Text)
	}
	for _, f := range fires {
		if day, _ := strconv.Atoi(f[1]); day > 7 {
			t.Fatalf("fire %q is not a first Monday", f[0])
		}
	}
	press(r, operator, summary, "op:ok")
	if done := wait(r, operator.ID, "dijadwalkan"); !strings.Contains(done.Text, want) {
		t.Fatalf("created = %q", done.Text)
	}
	r.Emu.SendText(operator, "/jadwal")
	list := wait(r, operator.ID, "Jadwal siaran")
	short := regexp.MustCompile(`Sen (\d+) \S+ 08\.00`).FindAllStringSubmatch(list.Text, -1)
	if !strings.Contains(list.Text, want) || len(short) != 5 || !strings.Contains(list.Text, "08.00 (WIB)") {
		t.Fatalf("/jadwal = %q", list.Text)
	}
	for _, f := range short {
		if day, _ := strconv.Atoi(f[1]); day > 7 {
			t.Fatalf("/jadwal fire %q is not a first Monday", f[0])
		}
	}
}

// TestOperator_LaporanUncertain: a send whose answer never came is
// reported as uncertain, not resent, and the counts add up.
func TestOperator_LaporanUncertain(t *testing.T) {
	r := newRig(t, time.Second)
	operator := emulator.User{ID: 500, FirstName: "Operator"}
	sari, budi := emulator.User{ID: 601, FirstName: "Sari"}, emulator.User{ID: 602, FirstName: "Budi"}
	r.Operator(operator, "35.73")
	subscribe(r, sari, budi)
	// Budi's copy arrives, but the answer comes after the engine gave up.
	r.Emu.AddFault(emulator.Fault{Method: "sendMessage", ChatID: budi.ID, Delay: 3 * time.Second, Deliver: true, Times: 1})

	press(r, operator, textToCity(r, operator, "Kerja bakti Minggu pagi"), "op:w:now")
	press(r, operator, wait(r, operator.ID, "peringatan darurat"), "op:u:0")
	press(r, operator, wait(r, operator.ID, "Kirim?"), "op:ok")

	report := laporan(r, operator, "Sasaran 2 · terkirim 1 · gagal 0 · memblokir 0 · tak pasti 1 · menunggu 0")
	if !strings.Contains(report, "Tak pasti: Telegram tidak menjawab") {
		t.Fatalf("/laporan does not explain uncertain: %q", report)
	}
	got := 0
	for _, m := range r.Emu.Messages(budi.ID) {
		if strings.Contains(m.Text, "Kerja bakti") {
			got++
		}
	}
	if got != 1 {
		t.Fatalf("Budi got the announcement %d times, want once (uncertain is never resent)", got)
	}
}

func hasData(m emulator.Sent, data string) bool {
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.CallbackData == data {
				return true
			}
		}
	}
	return false
}
