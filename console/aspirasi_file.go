package console

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/kimbot/kimbot/aspirations"
)

// maxFileBytes is the most the Bot API lets a bot download (20 MB).
const maxFileBytes = 20 << 20

// inlineImages are the picture types a ticket's page shows inline; any
// other file (and any document) is a download, never rendered by the
// browser as a page of the console's origin.
var inlineImages = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// aspirasiFile streams attachment n of a ticket the person may see (0:
// the ticket's own, i: the i-th message of its thread) from Telegram
// through Deps.Files. The browser only ever sees this path: Telegram's
// file URL, which holds the bot token, stays on the server.
func (c *Console) aspirasiFile(w http.ResponseWriter, r *http.Request) {
	t, msgs, ok := c.ticketFor(w, r)
	if !ok {
		return
	}
	att := attachmentAt(t, msgs, r.PathValue("n"))
	if att == nil || att.FileID == "" || c.deps.Files == nil {
		c.render(w, r, http.StatusNotFound, "aspirasi_missing", nil)
		return
	}
	body, _, err := c.deps.Files.OpenFile(r.Context(), att.FileID)
	if err != nil {
		c.log.Warn("console: fetching a ticket's file", "ticket", t.Number, "err", err)
		http.Error(w, catalogT("web.err_unavailable"), http.StatusBadGateway)
		return
	}
	defer body.Close()
	br := bufio.NewReaderSize(io.LimitReader(body, maxFileBytes), 512)
	head, _ := br.Peek(512)
	kind := http.DetectContentType(head)
	h := w.Header()
	if att.Kind == aspirations.AttachPhoto && inlineImages[kind] {
		h.Set("Content-Type", kind)
	} else {
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fileName(t, att)}))
	}
	h.Set("Cache-Control", "private, no-store")
	if _, err := io.Copy(w, br); err != nil && !errors.Is(err, r.Context().Err()) {
		c.log.Warn("console: streaming a ticket's file", "ticket", t.Number, "err", err)
	}
}

// attachmentAt is the attachment numbered n (see aspirasiFile), or nil.
func attachmentAt(t aspirations.Ticket, msgs []aspirations.Message, n string) *aspirations.Attachment {
	i, err := strconv.Atoi(n)
	switch {
	case err != nil || i < 0 || i > len(msgs):
		return nil
	case i == 0:
		return t.Attachment
	}
	return msgs[i-1].Attachment
}

// fileName is the name a download is saved under: the resident's own
// for a document (reduced to safe characters), else the ticket's number.
func fileName(t aspirations.Ticket, a *aspirations.Attachment) string {
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, a.FileName)
	if strings.TrimSpace(name) == "" {
		name = fmt.Sprintf("%s-%s", t.Number, a.Kind)
	}
	return name
}
