package aspiration

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
)

// attachKind says what a resident's message carries besides text.
type attachKind int

const (
	attachNone        attachKind = iota // plain text, nothing attached
	attachOK                            // a photo, document or location
	attachUnsupported                   // a sticker, voice note, video…: refused kindly
)

// attachmentOf extracts the photo (largest size), document or location a
// message carries. Media the aspirations flow does not take (stickers,
// voice, video, audio, animations, contacts) report attachUnsupported.
func attachmentOf(m *models.Message) (*aspirations.Attachment, attachKind) {
	if m == nil {
		return nil, attachNone
	}
	switch {
	case len(m.Photo) > 0:
		return &aspirations.Attachment{Kind: "photo", FileID: largestPhoto(m.Photo).FileID}, attachOK
	case m.Document != nil:
		d := m.Document
		return &aspirations.Attachment{Kind: "document", FileID: d.FileID, FileName: d.FileName, MIME: d.MimeType}, attachOK
	case m.Location != nil:
		return &aspirations.Attachment{Kind: "location", Lat: m.Location.Latitude, Lon: m.Location.Longitude}, attachOK
	case m.Sticker != nil || m.Voice != nil || m.Video != nil || m.VideoNote != nil ||
		m.Audio != nil || m.Animation != nil || m.Contact != nil || m.Venue != nil || m.Poll != nil:
		return nil, attachUnsupported
	}
	return nil, attachNone
}

// largestPhoto picks the biggest of the sizes Telegram sends for one photo.
func largestPhoto(sizes []models.PhotoSize) models.PhotoSize {
	best := sizes[0]
	for _, p := range sizes[1:] {
		if p.Width*p.Height > best.Width*best.Height || (p.Width*p.Height == best.Width*best.Height && p.FileSize > best.FileSize) {
			best = p
		}
	}
	return best
}

// isForwarded reports whether m was forwarded from another chat or user.
func isForwarded(m *models.Message) bool {
	return m != nil && m.ForwardOrigin != nil
}

// forwardedText is the text of a forwarded message (or its caption), the
// content a cek-hoaks ticket asks the KIM to verify, prefixed with where
// it came from when Telegram says.
func forwardedText(m *models.Message) string {
	if !isForwarded(m) {
		return ""
	}
	body := strings.TrimSpace(m.Text)
	if body == "" {
		body = strings.TrimSpace(m.Caption)
	}
	if body == "" {
		return ""
	}
	if src := forwardSource(m.ForwardOrigin); src != "" {
		return "[Diteruskan dari " + src + "]\n" + body
	}
	return body
}

// forwardSource names the origin of a forward: a channel or group title,
// or "pengguna lain" for a person (names of third parties are not kept).
func forwardSource(o *models.MessageOrigin) string {
	switch {
	case o == nil:
		return ""
	case o.MessageOriginChat != nil:
		return o.MessageOriginChat.SenderChat.Title
	case o.MessageOriginChannel != nil:
		return o.MessageOriginChannel.Chat.Title
	case o.MessageOriginUser != nil, o.MessageOriginHiddenUser != nil:
		return "pengguna lain"
	}
	return ""
}
