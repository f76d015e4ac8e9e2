package bot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/emulator"
)

// OpenFile reads a file the emulator holds, and says when Telegram no
// longer has it.
func TestSender_OpenFile(t *testing.T) {
	emu := emulator.NewTestServer(t, emulator.Options{Unlimited: true, Token: "123:SECRET"})
	user := emulator.User{ID: 502, FirstName: "Sari"}
	emu.SendText(user, "halo")
	s, err := bot.NewSender("123:SECRET", emu.URL(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := s.UploadDocument(ctx, user.ID, "surat.pdf", []byte("%PDF-1.4"), "")
	if err != nil {
		t.Fatal(err)
	}
	emu.SetFileContent(id, []byte("%PDF-1.4 isi surat"))
	body, _, err := s.OpenFile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(body)
	body.Close()
	if string(got) != "%PDF-1.4 isi surat" {
		t.Errorf("read %q", got)
	}
	if _, _, err := s.OpenFile(ctx, "emu-document-999"); !errors.Is(err, bot.ErrFileUnavailable) {
		t.Errorf("an unknown file: %v", err)
	}
}

// A download that breaks off (its URL holds the token, and Go's HTTP
// errors quote the URL) is reported without the token.
func TestSender_OpenFileErrorsHideTheToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/getFile") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true,"result":{"file_id":"f","file_unique_id":"u","file_path":"photos/file_1.jpg"}}`)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack() // the file server hangs up
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	s, err := bot.NewSender("123:VERYSECRET", srv.URL, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.OpenFile(context.Background(), "f")
	if err == nil {
		t.Fatal("a broken download succeeded")
	}
	if strings.Contains(err.Error(), "VERYSECRET") || !strings.Contains(err.Error(), "/bot<token>/") {
		t.Errorf("error text: %v", err)
	}
}
