package broadcast

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// Telegram's limits on what one message may hold.
const (
	MaxTextLen        = message.MaxTextLen    // visible UTF-16 units of a text message
	MaxCaptionLen     = message.MaxCaptionLen // visible UTF-16 units of a photo/document caption
	MaxButtonRows     = 3
	MaxButtonsPerRow  = 4
	maxButtonTextLen  = 64
	maxFileIDLen      = 256
	exampleHTML       = `<b>Pengumuman</b> Siaran TV analog berhenti 30 November`
	exampleButtonLink = `https://malangkota.go.id`
)

// Content is what residents receive: Text alone, or a photo or document
// with Text as its caption, plus optional link buttons. Text is Telegram
// HTML.
type Content struct {
	Text           string             `json:"text"`
	PhotoFileID    string             `json:"photo_file_id,omitempty"`
	DocumentFileID string             `json:"document_file_id,omitempty"`
	Buttons        [][]message.Button `json:"buttons,omitempty"`
}

// HasMedia reports whether a photo or document carries the text as caption.
func (c Content) HasMedia() bool { return c.PhotoFileID != "" || c.DocumentFileID != "" }

// Validate checks c against Telegram's limits after entity parsing, so a
// saved announcement never fails at send time for its shape.
func (c Content) Validate() error {
	if c.PhotoFileID != "" && c.DocumentFileID != "" {
		return inputErr("content", ReasonTextEmpty, "", "send either a photo or a document, not both")
	}
	if len(c.PhotoFileID) > maxFileIDLen || len(c.DocumentFileID) > maxFileIDLen {
		return inputErr("content", ReasonBadHTML, "", "file id too long")
	}
	visible, err := message.VisibleText(c.Text)
	if err != nil {
		return &InputError{Field: "text", Reason: ReasonBadHTML, Detail: strings.TrimPrefix(err.Error(), ErrBadHTML.Error()+": "),
			Example: exampleHTML, Err: ErrBadHTML}
	}
	if err := c.checkLength(visible); err != nil {
		return err
	}
	return checkButtons(c.Buttons)
}

// checkLength counts what residents will see (the HTML parsed) the way
// Telegram does, in UTF-16 units; a text of nothing but spaces, empty
// tags and invisible characters is empty, as Telegram says when sending.
func (c Content) checkLength(visible string) error {
	n := message.UTF16Len(visible)
	switch {
	case c.HasMedia() && n > MaxCaptionLen:
		return tooLong(ReasonCaptionTooLong, "a caption", n, MaxCaptionLen)
	case c.HasMedia():
		return nil
	case message.ContentLen(visible) == 0:
		return inputErr("text", ReasonTextEmpty, exampleHTML, "the announcement shows no text (only spaces, empty tags or invisible characters)")
	case n > MaxTextLen:
		return tooLong(ReasonTextTooLong, "a message", n, MaxTextLen)
	}
	return nil
}

func tooLong(reason Reason, what string, n, limit int) *InputError {
	e := inputErr("text", reason, "", "%s may hold at most %d characters (UTF-16 units once the HTML is parsed; an emoji counts 2), this one has %d: %d too many",
		what, limit, n, n-limit)
	e.Len, e.Max = n, limit
	return e
}

func checkButtons(rows [][]message.Button) error {
	if len(rows) > MaxButtonRows {
		return inputErr("buttons", ReasonBadButton, "", "at most %d rows of buttons", MaxButtonRows)
	}
	for _, row := range rows {
		if len(row) == 0 || len(row) > MaxButtonsPerRow {
			return inputErr("buttons", ReasonBadButton, "", "a row holds 1 to %d buttons", MaxButtonsPerRow)
		}
		for _, b := range row {
			if err := checkButton(b); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkButton(b message.Button) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Text)); n == 0 || n > maxButtonTextLen {
		return inputErr("buttons", ReasonBadButton, "", "a button label needs 1 to %d characters", maxButtonTextLen)
	}
	if b.Data != "" {
		return inputErr("buttons", ReasonBadButton, exampleButtonLink, "announcement buttons can only be links")
	}
	if err := CheckLinkURL(b.URL); err != nil {
		return inputErr("buttons", ReasonBadButton, exampleButtonLink, "%v", err)
	}
	return nil
}

// Message is c as a message.Message, exactly as residents receive it.
func (c Content) Message() message.Message {
	m := message.Message{PhotoFileID: c.PhotoFileID, DocumentFileID: c.DocumentFileID, Buttons: c.Buttons}
	if c.HasMedia() {
		m.Caption = c.Text
	} else {
		m.Text = c.Text
	}
	return m
}

// announcementRow is one row of announcements.
type announcementRow struct {
	ID             int64     `db:"id"`
	CreatedBy      *int64    `db:"created_by"`
	Text           string    `db:"text"`
	PhotoFileID    string    `db:"photo_file_id"`
	DocumentFileID string    `db:"document_file_id"`
	Buttons        []byte    `db:"buttons"`
	Urgent         bool      `db:"urgent"`
	CreatedAt      time.Time `db:"created_at"`
	ArchiveKey     string    `db:"archive_key"` // "" when kept out of the archive
}

func (r announcementRow) content() (Content, error) {
	c := Content{Text: r.Text, PhotoFileID: r.PhotoFileID, DocumentFileID: r.DocumentFileID}
	if err := json.Unmarshal(r.Buttons, &c.Buttons); err != nil {
		return c, fmt.Errorf("decoding buttons of announcement %d: %w", r.ID, err)
	}
	if len(c.Buttons) == 0 {
		c.Buttons = nil
	}
	return c, nil
}

const sqlInsertAnnouncement = `
INSERT INTO announcements (created_by, text, photo_file_id, document_file_id, buttons, urgent, created_at,
    archive_key, issuer, norm_text, norm_hash, norm_sketch)
VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, ''), NULLIF($9, ''), $10, $11, $12) RETURNING id`

// announcementInput is an announcement to store: its content, whether it
// goes into the public archive, and the credit shown instead of the
// office (issue 12's proposals; "" for the office).
type announcementInput struct {
	Content Content
	Urgent  bool
	Archive bool
	Issuer  string
}

// insertAnnouncement stores in. Its normalised text is indexed for the
// authenticity check whether or not it is archived: a message kept off
// the public pages is still official.
func insertAnnouncement(ctx context.Context, q sqlx.QueryerContext, by staff.Actor, in announcementInput, now time.Time) (int64, error) {
	c := in.Content
	buttons, err := json.Marshal(c.Buttons)
	if err != nil {
		return 0, fmt.Errorf("encoding buttons: %w", err)
	}
	if c.Buttons == nil {
		buttons = []byte("[]")
	}
	key := ""
	if in.Archive {
		key = newArchiveKey()
	}
	norm := Normalize(visible(c.Text), nil)
	var id int64
	err = sqlx.GetContext(ctx, q, &id, sqlInsertAnnouncement, by.CreatedBy(), c.Text, c.PhotoFileID, c.DocumentFileID, buttons,
		in.Urgent, now, key, strings.TrimSpace(in.Issuer), norm.Text(), norm.Hash(), sketchArray(norm.Sketch()))
	if err != nil {
		return 0, fmt.Errorf("inserting announcement: %w", err)
	}
	return id, nil
}

const sqlRunAnnouncement = `
SELECT a.id, a.created_by, a.text, a.photo_file_id, a.document_file_id, a.buttons, a.urgent, a.created_at,
       COALESCE(a.archive_key, '') AS archive_key
FROM runs r JOIN schedules s ON s.id = r.schedule_id JOIN announcements a ON a.id = s.announcement_id
WHERE r.id = $1`

// runMessage is the content of the run's announcement as residents get
// it, and its archive key ("" when it is not archived). The delivery
// engine sets Paid and adds the "Cek keaslian" button.
func runMessage(ctx context.Context, q sqlx.QueryerContext, runID int64) (message.Message, string, error) {
	var row announcementRow
	err := sqlx.GetContext(ctx, q, &row, sqlRunAnnouncement, runID)
	if errors.Is(err, sql.ErrNoRows) {
		return message.Message{}, "", ErrNotFound
	}
	if err != nil {
		return message.Message{}, "", fmt.Errorf("reading run message: %w", err)
	}
	c, err := row.content()
	if err != nil {
		return message.Message{}, "", err
	}
	return c.Message(), row.ArchiveKey, nil
}

// sketchArray is a sketch as a PostgreSQL integer[].
func sketchArray(s []int32) pq.Int32Array { return pq.Int32Array(s) }
