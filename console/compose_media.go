package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/kimbot/kimbot/catalog"
)

// A photo or PDF for an announcement is uploaded through the console and
// put on Telegram at once (Uploader: sent to the operator's own chat as a
// preview); only its file_id is kept, in the person's session under the
// draft's name, until the announcement is saved. The session, not a
// hidden field, holds it, so a form cannot name a file the bot holds for
// someone else; the draft's name keeps two drafts in two tabs apart.

// The kinds of uploaded file.
const (
	mediaPhoto    = "foto"
	mediaDocument = "dokumen"
)

// Telegram's upload limits for bots.
// Specs: https://core.telegram.org/bots/api#sendphoto (photo: 10 MB),
// https://core.telegram.org/bots/api#sending-files (other files: 50 MB).
const (
	maxPhotoBytes    = 10 << 20
	maxDocumentBytes = 50 << 20
)

// photoTypes are the sniffed types Telegram shows as photos.
var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true}

// media is the uploaded file of the announcement being composed.
type media struct {
	Kind, FileID, Name string
}

// mediaKey is the session key of draft's file.
func mediaKey(draft string) string { return "compose_media:" + draft }

func (c *Console) sessionMedia(ctx context.Context, draft string) media {
	kind, rest, _ := strings.Cut(c.sessions.GetString(ctx, mediaKey(draft)), "\x00")
	id, name, _ := strings.Cut(rest, "\x00")
	return media{Kind: kind, FileID: id, Name: name}
}

func (c *Console) putMedia(ctx context.Context, draft string, m media) {
	c.sessions.Put(ctx, mediaKey(draft), m.Kind+"\x00"+m.FileID+"\x00"+m.Name)
}

func (c *Console) dropMedia(ctx context.Context, draft string) {
	c.sessions.Remove(ctx, mediaKey(draft))
}

// errFileRefused is an upload of the wrong type or size; its text is for
// the person.
type errFileRefused struct{ text string }

func (e errFileRefused) Error() string { return e.text }

// readUpload reads the form's file, if one was chosen, and checks its
// type by its content (not its name or the browser's word) and its size.
func readUpload(r *http.Request) (kind, name string, data []byte, err error) {
	if r.MultipartForm == nil { // a form without a file input (the preview's)
		return "", "", nil, nil
	}
	file, header, err := r.FormFile("berkas")
	if errors.Is(err, http.ErrMissingFile) {
		return "", "", nil, nil
	}
	if err != nil {
		return "", "", nil, errFileRefused{catalog.T("web.compose.err.file_type")}
	}
	defer file.Close()
	return checkUpload(file, header)
}

func checkUpload(file multipart.File, header *multipart.FileHeader) (kind, name string, data []byte, err error) {
	if header.Size == 0 {
		return "", "", nil, errFileRefused{catalog.T("web.compose.err.file_empty")}
	}
	if header.Size > maxDocumentBytes {
		return "", "", nil, errFileRefused{catalog.T("web.compose.err.file_too_big", 50, mediaDocument)}
	}
	data, err = io.ReadAll(io.LimitReader(file, maxDocumentBytes+1))
	if err != nil {
		return "", "", nil, fmt.Errorf("reading an upload: %w", err)
	}
	switch sniffed := http.DetectContentType(data); {
	case photoTypes[sniffed] && len(data) > maxPhotoBytes:
		return "", "", nil, errFileRefused{catalog.T("web.compose.err.file_too_big", 10, mediaPhoto)}
	case photoTypes[sniffed]:
		kind = mediaPhoto
	case sniffed == "application/pdf" && len(data) <= maxDocumentBytes:
		kind = mediaDocument
	case sniffed == "application/pdf":
		return "", "", nil, errFileRefused{catalog.T("web.compose.err.file_too_big", 50, mediaDocument)}
	default:
		return "", "", nil, errFileRefused{catalog.T("web.compose.err.file_type")}
	}
	name = filepath.Base(header.Filename)
	if name == "." || name == "/" || len(name) > 100 {
		name = "berkas"
	}
	return kind, name, data, nil
}

// upload puts the file on Telegram through the operator's own chat.
func (c *Console) upload(ctx context.Context, chatID int64, kind, name string, data []byte) (string, error) {
	if c.deps.Uploader == nil || chatID <= 0 {
		return "", errors.New("no uploader, or no private chat to upload through")
	}
	caption := catalog.T("web.compose.upload_caption")
	if kind == mediaPhoto {
		return c.deps.Uploader.UploadPhoto(ctx, chatID, name, data, caption)
	}
	return c.deps.Uploader.UploadDocument(ctx, chatID, name, data, caption)
}
