package bot_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/browsertest"
)

// consoleRig runs the bot, the delivery engine, the aspirations service
// and the web console against the emulator, with an operator of Kota
// Malang signed in to chromium through the link /masuk sent them.
func consoleRig(t *testing.T, width, height int) (*bottest.Rig, *browsertest.Browser) {
	t.Helper()
	r := bottest.New(t, bottest.Options{Console: true, Broadcast: true, Aspirations: func(*aspirations.Config) {}})
	op := emulator.User{ID: 7201, FirstName: "Ratna", LastName: "Diskominfo"}
	r.Operator(op, "35.73")
	r.Emu.SendText(op, "/masuk")
	link := linkInText.FindString(r.WaitText(op.ID, "Tautan masuk konsol").Text)
	b := browsertest.New(t, width, height)
	b.Do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`button.primary`)))
	b.Screenshot("masuk")
	b.Do(chromedp.Click(chromedp.CSS(`button.primary`)), chromedp.WaitVisible(chromedp.CSS(`section.cards`)))
	if heading := browsertest.Get(b, chromedp.Text(chromedp.CSS(`h1`))); heading != "Beranda" {
		t.Fatalf("after signing in the browser shows %q", heading)
	}
	return r, b
}

// A staff member signs in from the link the bot sent, on a phone, and
// sees their scope's home page.
func TestConsoleBrowser_SignInOnAPhone(t *testing.T) {
	r, b := consoleRig(t, 390, 844)
	r.Resident(emulator.User{ID: 5301, FirstName: "Warga"}, "35.73.05.1003")
	b.Do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`section.cards`)))
	body := browsertest.Get(b, chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(body, "Kota Malang") || !strings.Contains(body, "pelanggan aktif") {
		t.Fatalf("home on a phone: %q", body)
	}
	if browsertest.Get(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)) {
		t.Error("the home page is wider than a phone's screen")
	}
	b.Screenshot("beranda-ponsel")
}
