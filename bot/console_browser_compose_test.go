package bot_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/browsertest"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// runNumbers are the run report's headline numbers as the page shows them.
type runNumbers struct {
	Targeted string `json:"targeted"`
	Sent     string `json:"sent"`
	Status   string `json:"status"`
}

// readRunNumbers reads them from the page's live section (#angka).
const readRunNumbers = `(() => {
	const dd = [...document.querySelectorAll("#angka dl.counts dd")].map(e => e.textContent.trim());
	const st = document.querySelector("#angka [data-status]");
	return {targeted: dd[0], sent: dd[1], status: st ? st.dataset.status : ""};
})()`

// An operator at a desk writes a formatted announcement to Kecamatan
// Lowokwaru, checks its preview and audience, sends it now, watches the run
// report reach 100 % by itself and downloads it as .xlsx; every resident of
// Lowokwaru gets it once and nobody else does.
func TestConsoleBrowser_ComposeWatchDownload(t *testing.T) {
	r, b := consoleRig(t, deskW, deskH, "")
	lowokwaru := residents(r, 6001, 20, "35.73.05.1003", "35.73.05.1002")
	elsewhere := residents(r, 6101, 4, "35.73.02.1001", "35.73.01.1001", "35.73.04.1002")
	// One delivery waits for the test, so the report is seen mid-run.
	hold := make(chan struct{})
	release := sync.OnceFunc(func() { close(hold) })
	t.Cleanup(release)
	r.Emu.AddFault(emulator.Fault{ChatID: lowokwaru[0], Hold: hold, Times: 1})

	composeToLowokwaru(t, r, b)
	schedule := strings.TrimPrefix(browsertest.Get(b, chromedp.Location()), r.ConsoleURL)
	runLink := waitForRun(t, b)
	b.Do(chromedp.Click(chromedp.CSS(runLink)), chromedp.WaitVisible(chromedp.CSS(`#angka dl.counts`)))
	run := strings.TrimPrefix(browsertest.Get(b, chromedp.Location()), r.ConsoleURL)
	watchRunFinish(t, b, release, len(lowokwaru))
	b.Screenshot("siaran-laporan")
	checkRunXLSX(t, b, len(lowokwaru))

	for _, id := range lowokwaru {
		if got := r.Emu.Messages(id); len(got) != 1 || !strings.Contains(got[0].Text, "balai RW 03") {
			t.Errorf("resident %d of Lowokwaru got %d messages, want the announcement once: %+v", id, len(got), got)
		}
	}
	for _, id := range elsewhere {
		if got := r.Emu.Messages(id); len(got) != 0 {
			t.Errorf("resident %d outside Lowokwaru got %+v", id, got)
		}
	}

	scheduleMore(r)
	open(b, r, "/siaran")
	checkLayout(b, "/siaran")
	b.Screenshot("siaran")
	// The same pages on a phone: nothing may stick out sideways.
	b.Do(chromedp.EmulateViewport(phoneW, phoneH))
	for _, path := range []string{"/siaran", schedule, run} {
		open(b, r, path)
		checkLayout(b, path)
	}
}

// scheduleMore adds a weekly and a one-off announcement to Klojen, so the
// list has more than one kind of timing to show.
func scheduleMore(r *bottest.Rig) {
	r.T.Helper()
	wib, err := time.LoadLocation("Asia/Jakarta")
	r.Must(err)
	op := staff.Actor{Role: staff.RoleOperator, TelegramID: operatorID, Scope: "35.73", Name: "Ratna"}
	schedules := broadcast.NewSchedules(r.DB, message.SystemClock{})
	tomorrow := time.Now().In(wib).AddDate(0, 0, 1)
	for _, d := range []broadcast.Draft{
		{Content: broadcast.Content{Text: "Posyandu balita setiap Senin di balai kelurahan."}, Targets: []region.Code{"35.73.02"},
			Timing: broadcast.Timing{Kind: broadcast.KindCron, Cron: "0 8 * * 1", Zone: wib}},
		{Content: broadcast.Content{Text: "Pemadaman listrik terencana, 10.00–14.00 WIB."}, Urgent: true, Targets: []region.Code{"35.73.01", "35.73.02"},
			Timing: broadcast.Timing{Kind: broadcast.KindOnce, At: time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 9, 0, 0, 0, wib), Zone: wib}},
	} {
		_, err := schedules.Create(r.Ctx, op, d)
		r.Must(err)
	}
}

// composeToLowokwaru fills /siaran/baru, checks the preview and confirms.
func composeToLowokwaru(t *testing.T, r *bottest.Rig, b *browsertest.Browser) {
	t.Helper()
	open(b, r, "/siaran/baru")
	b.Do(chromedp.SendKeys(chromedp.CSS(`#teks`),
		"<b>Kerja bakti</b> Minggu pagi pukul 07.00 WIB di balai RW 03.\n<i>Bawa cangkul dan karung.</i>"),
		chromedp.Click(chromedp.CSS(`input[name="target"][value="35.73.05"]`)),
		chromedp.Click(chromedp.CSS(`input[name="waktu"][value="now"]`)))
	// compose.js counts the audience as the target is ticked.
	b.Do(chromedp.Poll[chromedp.Void](`document.getElementById("audience").textContent.includes("20 pelanggan aktif")`,
		chromedp.WithPollingInterval(50*time.Millisecond)))
	checkLayout(b, "/siaran/baru")
	b.Screenshot("siaran-baru")

	b.Do(chromedp.Click(chromedp.CSS(`button[value="pratinjau"]`)), chromedp.WaitVisible(chromedp.CSS(`section.preview`)))
	bold := browsertest.Get(b, chromedp.Evaluate[string](`(() => {
		const b = document.querySelector(".preview .tg b"), i = document.querySelector(".preview .tg i");
		return b && i ? b.textContent + "|" + i.textContent : "";
	})()`))
	if bold != "Kerja bakti|Bawa cangkul dan karung." {
		t.Errorf("the preview's bold|italic = %q, want the text formatted as Telegram shows it", bold)
	}
	if text := browsertest.Get(b, chromedp.Text(chromedp.CSS(`.preview .tg`))); strings.Contains(text, "<b>") {
		t.Errorf("the preview shows the tags: %q", text)
	}
	summary := browsertest.Get(b, chromedp.Text(chromedp.CSS(`.preview dl.summary`)))
	if !strings.Contains(summary, "20 pelanggan aktif") || !strings.Contains(summary, "Lowokwaru") {
		t.Errorf("the preview's summary: %q", summary)
	}
	checkLayout(b, "the preview")
	b.Screenshot("siaran-baru-pratinjau")

	b.Do(chromedp.Click(chromedp.CSS(`button[value="kirim"]`)), chromedp.WaitVisible(chromedp.CSS(`.message`)))
	if loc := browsertest.Get(b, chromedp.Location()); !schedulePage.MatchString(loc) {
		t.Fatalf("confirming leads to %s, want the schedule's page", loc)
	}
}

var schedulePage = regexp.MustCompile(`/siaran/\d+$`)

// waitForRun reloads the schedule page until the dispatcher has started
// its run, and returns a selector for the run's report link.
func waitForRun(t *testing.T, b *browsertest.Browser) string {
	t.Helper()
	const link = `table.rows a[href*="/runs/"]`
	for deadline := time.Now().Add(30 * time.Second); ; {
		if browsertest.Get(b, chromedp.Evaluate[bool](`document.querySelector('`+link+`') !== null`)) {
			return link
		}
		if time.Now().After(deadline) {
			t.Fatal("no run on the schedule's page within 30 s")
		}
		time.Sleep(100 * time.Millisecond) // the dispatcher polls every 50 ms
		b.Do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.message`)))
	}
}

// watchRunFinish checks the report is live mid-run, releases the held
// delivery and waits for siaran.js to show every message sent, without a
// reload.
func watchRunFinish(t *testing.T, b *browsertest.Browser, release func(), want int) {
	t.Helper()
	before := browsertest.Get(b, chromedp.Evaluate[runNumbers](readRunNumbers))
	if before.Status != "sending" || before.Targeted != itoa(want) || before.Sent == itoa(want) {
		t.Fatalf("mid-run the report shows %+v, want %d targeted, not all sent, sending", before, want)
	}
	if !browsertest.Get(b, chromedp.Evaluate[bool](`document.querySelector("[data-live]") !== null`)) {
		t.Fatal("a sending run's report does not update itself (no data-live)")
	}
	b.Do(chromedp.Evaluate[chromedp.Void](`window.kimbotSamePage = true`))
	release()
	// Poll fails if the page navigates, and the mark would be gone too.
	b.Do(chromedp.Poll[chromedp.Void](`(() => { const n = `+readRunNumbers+`;
		return n.status === "done" && n.sent === n.targeted; })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	if !browsertest.Get(b, chromedp.Evaluate[bool](`window.kimbotSamePage === true`)) {
		t.Error("the report reached 100 % by reloading, not by updating itself")
	}
	after := browsertest.Get(b, chromedp.Evaluate[runNumbers](readRunNumbers))
	if after.Sent != itoa(want) {
		t.Errorf("finished run shows %+v, want %d sent", after, want)
	}
	if text := browsertest.Get(b, chromedp.Text(chromedp.CSS(`#angka`))); strings.Contains(text, "Sedang berjalan") {
		t.Error("a finished run's report still says it is in progress")
	}
	// At a desk the counts sit side by side (console.css once lost them).
	if grid := browsertest.Get(b, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#angka dl.counts")).display`)); grid != "grid" {
		t.Errorf("the run's counts are laid out as %q at a desk, want a grid", grid)
	}
	row := browsertest.Get(b, chromedp.Text(chromedp.CSS(`#angka table.rows tbody tr`)))
	if !strings.Contains(row, "Lowokwaru") || !strings.Contains(row, "100,0 %") {
		t.Errorf("the Lowokwaru row: %q, want 100,0 %%", row)
	}
}

// checkRunXLSX downloads the report and checks its summary's cells.
func checkRunXLSX(t *testing.T, b *browsertest.Browser, want int) {
	t.Helper()
	data := b.Download(`a[href$="?format=xlsx"]`)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the downloaded report is not .xlsx: %v", err)
	}
	defer f.Close()
	// Ringkasan: H sasaran, I terkirim, O % terkirim (console/export.go).
	for cell, value := range map[string]string{"H2": itoa(want), "I2": itoa(want), "O2": "1"} {
		got, err := f.GetCellValue("Ringkasan", cell, excelize.Options{RawCellValue: true})
		if err != nil || got != value {
			t.Errorf("Ringkasan!%s = %q (%v), want %s", cell, got, err, value)
		}
		if typ, _ := f.GetCellType("Ringkasan", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("Ringkasan!%s is not a number cell (type %v)", cell, typ)
		}
	}
	if head, _ := f.GetCellValue("Ringkasan", "I1"); head != "terkirim" {
		t.Errorf("Ringkasan!I1 = %q, want the header terkirim", head)
	}
	rows, err := f.GetRows("Per kecamatan")
	if err != nil || len(rows) != 2 || rows[1][0] != "35.73.05" || rows[1][3] != itoa(want) {
		t.Errorf("Per kecamatan = %q (%v), want Lowokwaru alone with %d sent", rows, err, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
