package console

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxArchiveFile is the most a public file answer carries: what a bot
// may download from Telegram at all (getFile, 20 MB).
const maxArchiveFile = 20 << 20

// arsipFile serves an archived announcement's photo or document, fetched
// from Telegram through the bot on the server. Its type is read from its
// bytes: a photo is served only as an image, a document only as a PDF to
// download; anything else as a download of unknown type. A file never
// changes under its key, so a browser that has it gets 304 at once.
func (c *Console) arsipFile(w http.ResponseWriter, r *http.Request) {
	e, ok := c.arsipEntry(w, r)
	if !ok {
		return
	}
	fileID, photo := e.Content.PhotoFileID, true
	if fileID == "" {
		fileID, photo = e.Content.DocumentFileID, false
	}
	if fileID == "" || c.deps.Files == nil {
		http.NotFound(w, r)
		return
	}
	etag := `"f-` + e.Key + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(archiveFileAge.Seconds())))
	if strings.Contains(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, _, err := c.deps.Files.OpenFile(r.Context(), fileID)
	if err != nil {
		c.log.Warn("console: fetching an archived file", "path", r.URL.Path, "err", err)
		h.Del("ETag")
		h.Set("Cache-Control", "no-store")
		c.renderPublic(w, r, http.StatusBadGateway, "arsip_file_gone", nil, time.Time{}, 0)
		return
	}
	defer body.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(body, head)
	head = head[:n]
	kind := http.DetectContentType(head)
	switch {
	case photo && strings.HasPrefix(kind, "image/") && kind != "image/svg+xml":
	case !photo && kind == "application/pdf":
		h.Set("Content-Disposition", `attachment; filename="siaran-`+e.Key[:8]+`.pdf"`)
	default:
		kind = "application/octet-stream"
		h.Set("Content-Disposition", "attachment")
	}
	h.Set("Content-Type", kind)
	h.Set("Last-Modified", e.FirstSentAt.UTC().Format(http.TimeFormat))
	_, _ = io.Copy(w, io.LimitReader(io.MultiReader(bytes.NewReader(head), body), maxArchiveFile))
}
