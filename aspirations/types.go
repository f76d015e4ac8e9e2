// Package aspirations holds what residents send back to their KIM: tickets
// with a thread of messages, their categories and statuses, the review
// queue, canned answers, the service levels that keep tickets moving, and
// an outbox that makes sure every post and notification reaches Telegram
// even when Telegram or Redis fail for a while.
//
// Who may act comes from package staff (a staff.Actor with a region
// scope); every staff action and list is filtered by that scope in SQL,
// and status changes are guarded UPDATEs so races lose cleanly. It must
// not know about broadcasting (package broadcast) or Telegram: it sends
// through a message.Sender and reads no other package's tables.
package aspirations

import (
	"errors"
	"fmt"
	"time"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Status is where a ticket stands.
type Status string

// The statuses of a ticket: baru → diproses → dijawab / ditolak /
// diteruskan. A resident's reply to an answer reopens the ticket.
const (
	StatusNew       Status = "baru"
	StatusClaimed   Status = "diproses"
	StatusAnswered  Status = "dijawab"
	StatusRejected  Status = "ditolak"
	StatusEscalated Status = "diteruskan"
)

// Statuses lists every status in workflow order.
func Statuses() []Status {
	return []Status{StatusNew, StatusClaimed, StatusAnswered, StatusRejected, StatusEscalated}
}

// ParseStatus accepts a status name as written in the CLI or in chat.
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses() {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("unknown status %q (want baru, diproses, dijawab, ditolak or diteruskan)", s)
}

// Open reports whether staff still has to act on a ticket in this status.
func (s Status) Open() bool {
	return s == StatusNew || s == StatusClaimed || s == StatusEscalated
}

// Category is what an aspiration is about.
type Category string

// The categories residents pick from.
const (
	CategoryInfrastructure Category = "infrastruktur"
	CategoryPublicService  Category = "layanan_publik"
	CategoryHealth         Category = "kesehatan"
	CategoryEducation      Category = "pendidikan"
	CategorySecurity       Category = "keamanan"
	CategoryHoax           Category = "cek_hoaks"
	CategoryOther          Category = "lainnya"
)

var categoryLabels = map[Category]string{
	CategoryInfrastructure: "Infrastruktur",
	CategoryPublicService:  "Layanan publik",
	CategoryHealth:         "Kesehatan",
	CategoryEducation:      "Pendidikan",
	CategorySecurity:       "Keamanan",
	CategoryHoax:           "Cek hoaks",
	CategoryOther:          "Lainnya",
}

// Categories lists every category in the order residents see them.
func Categories() []Category {
	return []Category{CategoryInfrastructure, CategoryPublicService, CategoryHealth,
		CategoryEducation, CategorySecurity, CategoryHoax, CategoryOther}
}

// Label is the category's name for people ("Layanan publik").
func (c Category) Label() string {
	if l, ok := categoryLabels[c]; ok {
		return l
	}
	return string(c)
}

// ParseCategory accepts a category's key ("layanan_publik") or its label
// in any case ("Layanan publik").
func ParseCategory(s string) (Category, error) {
	for _, c := range Categories() {
		if string(c) == s || equalFoldSpace(c.Label(), s) {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown category %q", s)
}

// Attachment is an optional photo, document or location sent with a
// ticket or a reply. Photos and documents are kept as Telegram file ids.
type Attachment struct {
	Kind     string  `json:"kind"` // "photo", "document", "location"
	FileID   string  `json:"file_id,omitempty"`
	FileName string  `json:"file_name,omitempty"`
	MIME     string  `json:"mime,omitempty"`
	Lat      float64 `json:"lat,omitempty"`
	Lon      float64 `json:"lon,omitempty"`
}

// The attachment kinds.
const (
	AttachPhoto    = "photo"
	AttachDocument = "document"
	AttachLocation = "location"
)

// Ticket is one aspiration.
type Ticket struct {
	ID              int64       `db:"id"`
	Number          string      `db:"number"` // ASP-2026-000123
	ResidentChat    int64       `db:"resident_chat"`
	VillageCode     region.Code `db:"village_code"`
	Category        Category    `db:"category"`
	Text            string      `db:"text"`
	Attachment      *Attachment `db:"-"`
	Anonymous       bool        `db:"anonymous"`
	ResidentName    string      `db:"resident_name"` // empty when anonymous
	Status          Status      `db:"status"`
	ClaimedBy       *int64      `db:"claimed_by"`
	ClaimedByName   string      `db:"claimed_by_name"`
	AnsweredBy      *int64      `db:"answered_by"`
	AnsweredByName  string      `db:"answered_by_name"`
	CreatedAt       time.Time   `db:"created_at"`
	UpdatedAt       time.Time   `db:"updated_at"`
	ClaimedAt       *time.Time  `db:"claimed_at"`
	FirstResponseAt *time.Time  `db:"first_response_at"`
	ClosedAt        *time.Time  `db:"closed_at"`
	EscalatedAt     *time.Time  `db:"escalated_at"`
	RejectReason    string      `db:"reject_reason"`
	Rating          *bool       `db:"rating"`
	SourceKey       string      `db:"source_key"` // idempotency: "upd:<update_id>"
	// Check is what kimbot's authenticity check found for the message a
	// cek hoaks ticket was filed from: CheckOfficial, CheckEdited or "".
	Check string `db:"check_result"`
}

// What the authenticity check found for a cek hoaks ticket (issue 13):
// the same as an official announcement, or an edited copy of one.
const (
	CheckOfficial = "official"
	CheckEdited   = "edited"
)

// CategoryLabel is the ticket's category for staff, marked when the
// check found the message official or an edited copy of an official
// one ("Cek hoaks · ⚠️ salinan siaran resmi yang DIUBAH").
func (t Ticket) CategoryLabel() string {
	switch t.Check {
	case CheckOfficial:
		return t.Category.Label() + " · " + catalog.T("cek.mark_official")
	case CheckEdited:
		return t.Category.Label() + " · " + catalog.T("cek.mark_edited")
	}
	return t.Category.Label()
}

// Message is one entry of a ticket's thread after the first text.
type Message struct {
	ID         int64       `db:"id"`
	TicketID   int64       `db:"ticket_id"`
	From       staff.Role  `db:"from_role"`
	AuthorID   int64       `db:"author_id"`
	Text       string      `db:"text"`
	Attachment *Attachment `db:"-"`
	CreatedAt  time.Time   `db:"created_at"`
}

// NewTicket is what a resident files.
type NewTicket struct {
	ResidentChat int64
	ResidentName string
	VillageCode  region.Code
	Category     Category
	Text         string
	Attachment   *Attachment
	Anonymous    bool
	// SourceKey makes filing idempotent: the same key files once.
	SourceKey string
	// Check is what the authenticity check found (CheckOfficial,
	// CheckEdited or ""), for a forwarded message filed as cek hoaks.
	Check string
}

// Canned is a saved answer a moderator can reuse.
type Canned struct {
	ID        int64       `db:"id"`
	OwnerID   int64       `db:"owner_id"`
	Scope     region.Code `db:"scope"`
	Title     string      `db:"title"`
	Text      string      `db:"text"`
	CreatedAt time.Time   `db:"created_at"`
}

// The errors callers branch on.
var (
	ErrNotFound       = errors.New("aspiration not found")
	ErrForbidden      = errors.New("not allowed for this actor")
	ErrAlreadyClaimed = errors.New("ticket already claimed by someone else")
	ErrFlood          = errors.New("too many aspirations in the last hour")
	ErrTextTooShort   = errors.New("text too short")
	ErrTextTooLong    = errors.New("text too long")
	ErrAttachmentType = errors.New("attachment type not accepted")
	// ErrAnonymousDocument is an ErrAttachmentType: documents keep EXIF
	// location, so anonymous tickets take pictures only as photos.
	ErrAnonymousDocument = fmt.Errorf("%w: anonymous tickets take photos, not documents", ErrAttachmentType)
	ErrBadTransition     = errors.New("ticket status does not allow this")
	ErrNoVillage         = errors.New("resident has no village")
)

// TooLongError is ErrTextTooLong with the numbers, in UTF-16 code units
// (Telegram's unit: an emoji counts 2), so the writer can be told how much
// shorter it must be.
type TooLongError struct{ Len, Max int }

func (e *TooLongError) Error() string {
	return fmt.Sprintf("%v: %d UTF-16 units, at most %d", ErrTextTooLong, e.Len, e.Max)
}

// Is makes TooLongError match ErrTextTooLong.
func (e *TooLongError) Is(target error) bool { return target == ErrTextTooLong }

// TooLong returns the length and limit of a TooLongError in err's chain.
func TooLong(err error) (n, max int, ok bool) {
	var te *TooLongError
	if errors.As(err, &te) {
		return te.Len, te.Max, true
	}
	return 0, 0, false
}

// ClaimedError says who holds a ticket; errors.Is(err, ErrAlreadyClaimed)
// is true for it.
type ClaimedError struct {
	ByID   int64
	ByName string
}

// Error says what happened without the holder's id (errors get logged).
func (e *ClaimedError) Error() string { return ErrAlreadyClaimed.Error() }

// Is makes ClaimedError match ErrAlreadyClaimed.
func (e *ClaimedError) Is(target error) bool { return target == ErrAlreadyClaimed }

// ClaimedBy returns who holds the ticket when err is a ClaimedError.
func ClaimedBy(err error) (id int64, name string, ok bool) {
	var ce *ClaimedError
	if errors.As(err, &ce) {
		return ce.ByID, ce.ByName, true
	}
	return 0, "", false
}
