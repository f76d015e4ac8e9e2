package bot

import (
	"bytes"
	"context"
	"errors"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// The web console uploads an announcement's photo or document by sending
// it to the operator's own private chat, where it doubles as a preview;
// Telegram keeps the file, and its file_id is what every resident's copy
// sends. These implement console.Uploader.

// errNoFile: Telegram accepted the send but returned no file (never seen;
// a broadcast without its file must not be saved).
var errNoFile = errors.New("telegram returned no file_id for the upload")

// UploadPhoto sends data as a photo to chatID with caption (Telegram
// HTML) and returns the photo's file_id (its largest size). Telegram
// takes photos up to 10 MB.
// Specs: https://core.telegram.org/bots/api#sendphoto
func (s *Sender) UploadPhoto(ctx context.Context, chatID int64, name string, data []byte, caption string) (string, error) {
	ctx, wrote := withWriteMarker(ctx)
	sent, err := s.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: chatID,
		Photo:   &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
		Caption: caption, ParseMode: models.ParseModeHTML})
	if err != nil {
		return "", s.count("sendPhoto", classifyAfterWrite(ctx, err, wrote.Load()))
	}
	s.count("sendPhoto", nil)
	if sent == nil || len(sent.Photo) == 0 {
		return "", errNoFile
	}
	return sent.Photo[len(sent.Photo)-1].FileID, nil
}

// UploadDocument sends data as a document (a PDF) to chatID with caption
// and returns its file_id. Bots may upload documents up to 50 MB.
// Specs: https://core.telegram.org/bots/api#senddocument
func (s *Sender) UploadDocument(ctx context.Context, chatID int64, name string, data []byte, caption string) (string, error) {
	ctx, wrote := withWriteMarker(ctx)
	sent, err := s.tg.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: chatID,
		Document: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
		Caption:  caption, ParseMode: models.ParseModeHTML})
	if err != nil {
		return "", s.count("sendDocument", classifyAfterWrite(ctx, err, wrote.Load()))
	}
	s.count("sendDocument", nil)
	if sent == nil || sent.Document == nil || sent.Document.FileID == "" {
		return "", errNoFile
	}
	return sent.Document.FileID, nil
}
