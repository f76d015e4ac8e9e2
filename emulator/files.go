package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
)

// getFile names the path of a file the emulator knows, as Telegram does
// before a download.
// Specs: https://core.telegram.org/bots/api#getfile
func (s *Server) getFile(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.files[p.str("file_id")]
	if !ok {
		return nil, badRequest("Bad Request: invalid file_id")
	}
	return f, nil
}

// handleFile serves GET /file/bot<token>/<file_path>, like Telegram's
// file server: the token must be the bot's (when Options.Token is set),
// and the bytes are those SetFileContent gave, or generated ones: a
// small PNG for photos, a line of text for other files.
// Specs: https://core.telegram.org/bots/api#file
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	rest, _ := strings.CutPrefix(r.URL.Path, "/file/bot")
	token, path, _ := strings.Cut(rest, "/")
	if s.opts.Token != "" && token != s.opts.Token {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	var data []byte
	found := false
	for id, f := range s.st.files {
		if f.FilePath == path && path != "" {
			found, data = true, s.st.contents[id]
			if data == nil {
				data = generatedFile(f)
			}
			break
		}
	}
	if found {
		s.st.stats.Downloads++
	}
	s.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data)
}

// SetFileContent makes the file fileID download as data.
func (s *Server) SetFileContent(fileID string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.contents[fileID] = bytes.Clone(data)
}

// FileContent is what a download of fileID returns (nil for an unknown
// file).
func (s *Server) FileContent(fileID string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.files[fileID]
	if !ok {
		return nil
	}
	if data := s.st.contents[fileID]; data != nil {
		return bytes.Clone(data)
	}
	return generatedFile(f)
}

// generatedFile is a file's stand-in content: a photo is a real PNG (a
// page can show it), anything else a line naming the file.
func generatedFile(f wFile) []byte {
	if strings.HasPrefix(f.FilePath, "photos/") {
		return placeholderPNG
	}
	return []byte(fmt.Sprintf("kimbot emulator file %s\n", f.FilePath))
}

// placeholderPNG is a 64×48 picture in two colours.
var placeholderPNG = func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			c := color.RGBA{R: 30, G: 110, B: 200, A: 255}
			if y > 30 {
				c = color.RGBA{R: 60, G: 160, B: 80, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}()
