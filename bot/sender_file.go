package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// fileTimeout bounds one download, body included (the Bot API serves
// files up to 20 MB).
const fileTimeout = 2 * time.Minute

// maxBotFile is the largest file the Bot API lets a bot download
// (getFile: "up to 20 MB"). Specs: https://core.telegram.org/bots/api#getfile
const maxBotFile = 20 << 20

// ErrFileUnavailable: Telegram no longer has the file, or will not serve
// it to bots (over 20 MB).
var ErrFileUnavailable = errors.New("telegram file unavailable")

// OpenFile fetches a file someone sent the bot (a ticket's photo or
// document, an announcement's photo or PDF for the public archive) by its
// file_id: getFile names its path, and the file is read from the Bot
// API's file URL, which holds the token. The token stays here: the
// caller gets the bytes, and every error has the token redacted. Files
// over the 20 MB a bot may download are ErrFileUnavailable. It
// implements console.Files. The caller closes the body.
// Specs: https://core.telegram.org/bots/api#getfile
func (s *Sender) OpenFile(ctx context.Context, fileID string) (io.ReadCloser, int64, error) {
	f, err := s.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		if errors.Is(err, tgbot.ErrorBadRequest) {
			return nil, 0, fmt.Errorf("getFile: %w: %w", ErrFileUnavailable, redactToken(err))
		}
		return nil, 0, fmt.Errorf("getFile: %w", redactToken(err))
	}
	if f.FilePath == "" || f.FileSize > maxBotFile { // Telegram gives no path for files over 20 MB
		return nil, 0, fmt.Errorf("getFile: no file_path: %w", ErrFileUnavailable)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("downloading a file: %w", redactToken(err))
	}
	resp, err := s.files.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("downloading a file: %w", redactToken(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, 0, fmt.Errorf("downloading a file: %w", ErrFileUnavailable)
		}
		return nil, 0, fmt.Errorf("downloading a file: HTTP %d", resp.StatusCode)
	}
	return resp.Body, resp.ContentLength, nil
}
