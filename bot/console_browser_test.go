package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/browsertest"
	"github.com/kimbot/kimbot/region"
)

// Window sizes of the browser tests, in CSS pixels: a common phone and a
// desk's laptop.
const (
	phoneW, phoneH = 390, 844
	deskW, deskH   = 1280, 900
	// operatorID is the Telegram id of the operator consoleRig signs in.
	operatorID = 7201
)

// consoleRig runs the bot, the delivery engine, the aspirations service
// and the web console against the emulator, with an operator of Kota
// Malang signed in to chromium through the link /masuk sent them. shot
// names the screenshot of the sign-in page ("" for none).
func consoleRig(t *testing.T, width, height int, shot string) (*bottest.Rig, *browsertest.Browser) {
	t.Helper()
	// A send the test holds (emulator.Fault.Hold) must not time out first.
	r := bottest.New(t, bottest.Options{Console: true, Broadcast: true, SendTimeout: 30 * time.Second,
		Aspirations: func(*aspirations.Config) {}})
	op := emulator.User{ID: operatorID, FirstName: "Ratna", LastName: "Diskominfo"}
	r.Operator(op, "35.73")
	r.Emu.SendText(op, "/masuk")
	link := linkInText.FindString(r.WaitText(op.ID, "Tautan masuk konsol").Text)
	b := browsertest.New(t, width, height)
	b.Do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`button.primary`)))
	if shot != "" {
		b.Screenshot(shot)
	}
	b.Do(chromedp.Click(chromedp.CSS(`button.primary`)), chromedp.WaitVisible(chromedp.CSS(`section.cards`)))
	if heading := browsertest.Get(b, chromedp.Text(chromedp.CSS(`h1`))); heading != "Beranda" {
		t.Fatalf("after signing in the browser shows %q", heading)
	}
	return r, b
}

// residents subscribes n residents, ids from first on, spread over
// villages in turn, and returns their chat ids.
func residents(r *bottest.Rig, first int64, n int, villages ...region.Code) []int64 {
	r.T.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
		r.Resident(emulator.User{ID: ids[i], FirstName: "Warga"}, villages[i%len(villages)])
	}
	return ids
}

// open navigates to the console's path and waits for its main content.
func open(b *browsertest.Browser, r *bottest.Rig, path string) {
	b.T.Helper()
	b.Do(chromedp.Navigate(r.ConsoleURL+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
}

// checkLayout fails the test when the page scrolls sideways (wider than
// the window) or shows a button whose text has its background's colour,
// naming what is wrong.
func checkLayout(b *browsertest.Browser, page string) {
	b.T.Helper()
	wide := browsertest.Get(b, chromedp.Evaluate[string](`(() => {
		const w = window.innerWidth;
		if (document.documentElement.scrollWidth <= w) return "";
		const out = [...document.querySelectorAll("main *, header *")]
			.filter(e => e.getBoundingClientRect().right > w + 1)
			.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
		return document.documentElement.scrollWidth + "px > " + w + "px: " + out.join(", ");
	})()`))
	if wide != "" {
		b.T.Errorf("%s scrolls sideways: %s", page, wide)
	}
	unreadable := browsertest.Get(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("button")]
		.filter(e => { const s = getComputedStyle(e); return s.color === s.backgroundColor; })
		.map(e => e.textContent.trim())`))
	if len(unreadable) > 0 {
		b.T.Errorf("%s: buttons in the colour of their background: %q", page, unreadable)
	}
}

// A staff member signs in from the link the bot sent, on a phone, sees
// their scope's home page, and invites a moderator with a QR code; every
// page fits a phone's screen.
func TestConsoleBrowser_SignInOnAPhone(t *testing.T) {
	r, b := consoleRig(t, phoneW, phoneH, "masuk")
	residents(r, 5301, 4, "35.73.05.1003", "35.73.02.1001")
	b.Do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`section.cards`)))
	body := browsertest.Get(b, chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(body, "Kota Malang") || !strings.Contains(body, "pelanggan aktif") {
		t.Fatalf("home on a phone: %q", body)
	}
	if n := browsertest.Get(b, chromedp.Text(chromedp.CSS(`section.cards .card .num`))); n != "4" {
		t.Errorf("home counts %s active subscribers, want 4", n)
	}
	checkLayout(b, "/")
	b.Screenshot("beranda")

	open(b, r, "/petugas")
	b.Do(chromedp.SetValue(chromedp.CSS(`#peran`), "moderator"),
		chromedp.SetValue(chromedp.CSS(`#wilayah`), "35.73.05"),
		chromedp.Click(chromedp.CSS(`form[action="/petugas/undangan"] button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`figure.qr img`)))
	qr := browsertest.Get(b, chromedp.Evaluate[bool](`(() => {
		const img = document.querySelector("figure.qr img");
		return img.complete && img.naturalWidth > 0 && img.src.startsWith("data:image/png");
	})()`))
	if !qr {
		t.Error("the invitation's QR code is not a drawn PNG")
	}
	if page := browsertest.Get(b, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(page, "/daftar ") {
		t.Errorf("invitation page without the /daftar command: %q", page)
	}
	checkLayout(b, "/petugas/undangan")
	b.Screenshot("petugas-undangan")

	open(b, r, "/petugas")
	if invites := browsertest.Get(b, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(invites, "Kec. Lowokwaru") {
		t.Errorf("/petugas does not list the invitation to Lowokwaru: %q", invites)
	}
	checkLayout(b, "/petugas")
	b.Screenshot("petugas")
	for _, path := range []string{"/siaran", "/siaran/baru", "/ekspor", "/audit"} {
		open(b, r, path)
		checkLayout(b, path)
	}
}
