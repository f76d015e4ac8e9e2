package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/kimbot/kimbot/message"
)

// The public archive shows an announcement's photo or document, which
// only Telegram keeps (kimbot stores file_ids). These fetch it through
// the Bot API on the server, so the token, which is part of Telegram's
// download URL, never reaches a browser. They implement
// broadcast.FileIdentifier and console.FileFetcher.

// MaxFetchSize is the largest file the Bot API lets a bot download
// (getFile: "up to 20 MB"). Specs: https://core.telegram.org/bots/api#getfile
const MaxFetchSize = 20 << 20

// errFileTooBig: the file is larger than a bot may download.
var errFileTooBig = errors.New("file larger than the 20 MB a bot may download")

// fileClient downloads files; a download may be slower than an API call.
var fileClient = &http.Client{Timeout: 60 * time.Second}

// UniqueID returns the file_unique_id of fileID (the same for every copy
// and forward of the file). Specs: https://core.telegram.org/bots/api#getfile
func (s *Sender) UniqueID(ctx context.Context, fileID string) (string, error) {
	f, err := s.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		return "", s.count("getFile", classify(ctx, err))
	}
	s.count("getFile", nil)
	return f.FileUniqueID, nil
}

// Fetch opens the file fileID for reading and returns its size. The
// caller closes it.
func (s *Sender) Fetch(ctx context.Context, fileID string) (io.ReadCloser, int64, error) {
	f, err := s.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, 0, s.count("getFile", classify(ctx, err))
	}
	s.count("getFile", nil)
	if f.FileSize > MaxFetchSize {
		return nil, 0, &message.SendError{Kind: message.Permanent, Err: errFileTooBig}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("downloading a file: %w", errors.New("bad download link"))
	}
	resp, err := fileClient.Do(req)
	if err != nil {
		// The error names the URL, which holds the token: never pass it on.
		return nil, 0, &message.SendError{Kind: message.Transient, Err: errors.New("downloading a file from Telegram failed")}
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, 0, &message.SendError{Kind: message.Transient, Err: fmt.Errorf("downloading a file: HTTP %d", resp.StatusCode)}
	}
	return resp.Body, resp.ContentLength, nil
}
