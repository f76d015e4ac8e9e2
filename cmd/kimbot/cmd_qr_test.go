package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
)

func TestRunQR(t *testing.T) {
	_, dbURL := testenv.DBWithURL(t)
	emu := emulator.NewTestServer(t, emulator.Options{BotUsername: "kim_malang_bot"})
	env := envOf(map[string]string{"DATABASE_URL": dbURL, "TELEGRAM_TOKEN": "123:TEST", "TELEGRAM_API_URL": emu.URL()})
	dir := t.TempDir()
	var out, errOut strings.Builder
	// No --bot-username: the username comes from getMe.
	if code := run(t.Context(), []string{"qr", "--region", "3573051003", "--out", dir}, env, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	if len(files) != 1 || !strings.Contains(files[0], "3573051003") {
		t.Fatalf("files = %v", files)
	}
	if st, err := os.Stat(files[0]); err != nil || st.Size() < 1000 {
		t.Fatalf("poster: %v", err)
	}
	errOut.Reset()
	if code := run(t.Context(), []string{"qr", "--region", "malang", "--out", dir}, env, nil, &out, &errOut); code != 2 {
		t.Fatalf("bad region exit = %d", code)
	}
}
