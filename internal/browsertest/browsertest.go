// Package browsertest drives Debian's chromium (headless, through
// chromedp) for the web console's end-to-end tests. make test installs
// chromium when it is missing (scripts/test.sh); run alone, a test that
// finds no browser fails and says how to get one.
//
// With KIMBOT_SCREENSHOTS set to a directory, Screenshot writes PNGs there
// (make screenshots refreshes the README's); otherwise it writes to the
// test's temporary directory, so a test run never changes the checkout.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// Browser is one headless chromium with one tab.
type Browser struct {
	T   testing.TB
	Ctx context.Context // the tab; every chromedp action runs in it
	dir string
}

// chromiumPath finds the browser: KIMBOT_CHROMIUM, else Debian's.
func chromiumPath() string {
	if p := os.Getenv("KIMBOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts chromium for t with a phone-sized or desk-sized window
// (width×height in CSS pixels); it is closed when t ends.
func New(t testing.TB, width, height int) *Browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Fatal("no chromium found: run `make test` (it installs Debian's chromium) or apt-get install chromium, or set KIMBOT_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(width, height),
		chromedp.NoSandbox, // root in CI containers; the pages are our own
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// Headless chromium keeps its window at least 500 px wide, wider than
	// a phone: the viewport is set to the size asked for, not the window.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil { // starts the browser
		t.Fatalf("starting chromium (%s): %v", path, err)
	}
	dir := os.Getenv("KIMBOT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	return &Browser{T: t, Ctx: ctx, dir: dir}
}

// Do runs steps in the tab, failing the test on error or after 30 s.
func (b *Browser) Do(steps ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.T.Fatalf("browser: %v", err)
	}
}

// Get runs one action that reads something and returns it, failing the
// test on error or after 30 s.
func Get[T any](b *Browser, a chromedp.Action[T]) T {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.T.Fatalf("browser: %v", err)
	}
	return v
}

// Screenshot saves the whole page as name.png (see the package comment
// for where).
func (b *Browser) Screenshot(name string) {
	b.T.Helper()
	png := Get(b, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		b.T.Fatal(err)
	}
}

// Download clicks the link or button sel and waits for the file it
// downloads, returning its bytes (Chrome writes it under a temporary
// directory; only a finished file counts).
func (b *Browser) Download(sel string) []byte {
	b.T.Helper()
	dir := b.T.TempDir()
	_, err := chromedp.CallBrowser(b.Ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
	if err != nil {
		b.T.Fatalf("browser: allowing downloads: %v", err)
	}
	b.Do(chromedp.Click(chromedp.CSS(sel)))
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if filepath.Ext(e.Name()) != ".crdownload" {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err == nil && len(data) > 0 {
					return data
				}
			}
		}
	}
	b.T.Fatalf("browser: nothing downloaded from %s within 30 s", sel)
	return nil
}
