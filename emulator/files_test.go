package emulator

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/go-telegram/bot"
)

// A photo a resident sent is found by getFile and downloaded from the
// file URL the library builds, with the content a test set; a wrong
// token or path gets no bytes.
func TestLibraryGetFileAndDownload(t *testing.T) {
	ctx := context.Background()
	s := NewTestServer(t, Options{Unlimited: true, Token: "123:TEST"})
	b := newLibBot(t, s, bot.WithSkipGetMe())
	s.SendPhoto(budi, budi.ID, "jalan berlubang")
	photo := s.st.files
	var fileID string
	s.mu.Lock()
	for id := range photo {
		if fileID == "" || id > fileID {
			fileID = id
		}
	}
	s.mu.Unlock()
	if !bytes.HasPrefix(s.FileContent(fileID), []byte("\x89PNG")) {
		t.Fatal("a generated photo is not a PNG")
	}
	s.SetFileContent(fileID, []byte("JPEG bytes"))
	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: fileID})
	if err != nil || f.FilePath == "" {
		t.Fatalf("getFile: %+v, %v", f, err)
	}
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get(b.FileDownloadLink(f)); code != http.StatusOK || body != "JPEG bytes" {
		t.Errorf("download: %d %q", code, body)
	}
	if code, _ := get(s.URL() + "/file/bot999:WRONG/" + f.FilePath); code != http.StatusUnauthorized {
		t.Errorf("a wrong token downloads: %d", code)
	}
	if code, _ := get(s.URL() + "/file/bot123:TEST/photos/none"); code != http.StatusNotFound {
		t.Errorf("an unknown path: %d", code)
	}
	if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: "nope"}); err == nil {
		t.Error("getFile of an unknown file_id succeeded")
	}
}
