package bot

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
)

// aspAttachKind says what a resident's message carries besides text.
type aspAttachKind int

const (
	aspAttachNone        aspAttachKind = iota // plain text, nothing attached
	aspAttachOK                               // a photo, document or location
	aspAttachUnsupported                      // a sticker, voice note, video…: refused kindly
)

// aspAttachmentOf extracts the photo (largest size), document or location a
// message carries. Media the aspirations flow does not take (stickers,
// voice, video, audio, animations, contacts) report aspAttachUnsupported.
func aspAttachmentOf(m *models.Message) (*aspirations.Attachment, aspAttachKind) {
	if m == nil {
		return nil, aspAttachNone
	}
	switch {
	case len(m.Photo) > 0:
		return &aspirations.Attachment{Kind: "photo", FileID: aspLargestPhoto(m.Photo).FileID}, aspAttachOK
	case m.Document != nil:
		d := m.Document
		return &aspirations.Attachment{Kind: "document", FileID: d.FileID, FileName: d.FileName, MIME: d.MimeType}, aspAttachOK
	case m.Location != nil:
		return &aspirations.Attachment{Kind: "location", Lat: m.Location.Latitude, Lon: m.Location.Longitude}, aspAttachOK
	case m.Sticker != nil || m.Voice != nil || m.Video != nil || m.VideoNote != nil ||
		m.Audio != nil || m.Animation != nil || m.Contact != nil || m.Venue != nil || m.Poll != nil:
		return nil, aspAttachUnsupported
	}
	return nil, aspAttachNone
}

// aspLargestPhoto picks the biggest of the sizes Telegram sends for one photo.
func aspLargestPhoto(sizes []models.PhotoSize) models.PhotoSize {
	best := sizes[0]
	for _, p := range sizes[1:] {
		if p.Width*p.Height > best.Width*best.Height || (p.Width*p.Height == best.Width*best.Height && p.FileSize > best.FileSize) {
			best = p
		}
	}
	return best
}

// aspIsForwarded reports whether m was forwarded from another chat or user.
func aspIsForwarded(m *models.Message) bool {
	return m != nil && m.ForwardOrigin != nil
}

// aspForwardedText is the text of a forwarded message (or its caption), the
// content a cek-hoaks ticket asks the KIM to verify, prefixed with where
// it came from when Telegram says.
func aspForwardedText(m *models.Message) string {
	if !aspIsForwarded(m) {
		return ""
	}
	body := strings.TrimSpace(m.Text)
	if body == "" {
		body = strings.TrimSpace(m.Caption)
	}
	if body == "" {
		return ""
	}
	if src := aspForwardSource(m.ForwardOrigin); src != "" {
		return "[Diteruskan dari " + src + "]\n" + body
	}
	return body
}

// aspForwardSource names the origin of a forward: a channel or group title,
// or "pengguna lain" for a person (names of third parties are not kept).
func aspForwardSource(o *models.MessageOrigin) string {
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

// aspUserName is how a resident or moderator appears to staff: the first
// and last name, else the @username, else "".
func aspUserName(u *models.User) string {
	if u == nil {
		return ""
	}
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" && u.Username != "" {
		name = "@" + u.Username
	}
	return name
}
