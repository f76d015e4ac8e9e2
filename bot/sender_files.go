package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"
)

// UniqueID returns the file_unique_id of fileID (the same for every copy
// and forward of the file), for the authenticity check of forwarded
// photos; it implements broadcast.FileIdentifier.
// Specs: https://core.telegram.org/bots/api#getfile
func (s *Sender) UniqueID(ctx context.Context, fileID string) (string, error) {
	f, err := s.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		return "", s.count("getFile", classify(ctx, err))
	}
	s.count("getFile", nil)
	return f.FileUniqueID, nil
}
