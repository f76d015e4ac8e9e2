package broadcast

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// Archive is the public archive of the announcements that went out, and
// the authenticity check of messages residents forward (issue 13). It
// reads the announcements, schedules and runs this package owns; an
// announcement enters it when Telegram accepts its first delivery
// (first_sent_at, set by the engine), unless its operator kept it out
// (no archive_key). It holds nothing of residents.
type Archive struct {
	db    *sqlx.DB
	clock message.Clock
}

// NewArchive returns the archive over db.
func NewArchive(db *sqlx.DB, clock message.Clock) *Archive {
	return &Archive{db: db, clock: clock}
}

// Entry is one announcement as the archive shows it: what residents got,
// who issued it, when it first went out and to which areas. Key is ""
// for an announcement kept out of the public archive (the check still
// knows it was official).
type Entry struct {
	AnnouncementID int64
	Key            string
	Content        Content
	// Issuer is the credit shown instead of the office ("Dari KIM
	// Tlogomas"), for issue 12's approved proposals; "" for the office.
	Issuer      string
	Scope       region.Code // the scope of the operator who made it; "" = CLI
	Targets     []region.Code
	FirstSentAt time.Time
	// photoUniqueID is Telegram's file_unique_id of the photo, "" until
	// known.
	photoUniqueID string
}

// Office is the region whose Diskominfo issued e: the city or regency
// (or the province) of its operator's scope, or of its targets when it
// came from the CLI; "" when they share no province.
func (e Entry) Office() region.Code {
	c := e.Scope
	if c == "" {
		c = region.Common(e.Targets)
	}
	for c.Level() > region.Regency {
		c = c.Parent()
	}
	return c
}

// IssuerName is who issued e as people read it: its issuer (the KIM of an
// approved proposal), or the Diskominfo of its Office, whose region name
// gives; "Diskominfo" alone when it has none.
func (e Entry) IssuerName(name func(region.Code) string) string {
	if e.Issuer != "" {
		return e.Issuer
	}
	if c := e.Office(); c != "" {
		return catalog.T("cek.office", name(c))
	}
	return catalog.T("cek.office_any")
}

// newArchiveKey is an unguessable name for an archive page: 128 random
// bits, 26 lower-case base32 characters.
func newArchiveKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// ValidArchiveKey reports whether s could be an archive key, so that a
// guessed path costs no query.
func ValidArchiveKey(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '2' || r > '7') {
			return false
		}
	}
	return true
}

// hrefPattern finds the links of Telegram HTML (checked by VisibleText:
// only <a href="…"> carries one).
var hrefPattern = regexp.MustCompile(`<a\s+href\s*=\s*(?:"([^"]*)"|'([^']*)')`)

// hrefs is every link behind the words of Telegram HTML s, unescaped.
func hrefs(s string) []string {
	var out []string
	for _, m := range hrefPattern.FindAllStringSubmatch(s, -1) {
		out = append(out, html.UnescapeString(m[1]+m[2]))
	}
	return out
}

// hiddenLinks keeps the links that a reader cannot see in the text
// itself (a link whose address is also its words is compared as words).
func hiddenLinks(text string, links []string) []string {
	out := []string{}
	for _, l := range links {
		if !strings.Contains(text, l) {
			out = append(out, l)
		}
	}
	return out
}

// visible is what a reader sees of Telegram HTML s; s itself when it is
// not valid (stored texts were checked).
func visible(s string) string {
	v, err := message.VisibleText(s)
	if err != nil {
		return s
	}
	return v
}

// sqlMarkSent records when an announcement first went out: the runs of
// a batch of outcomes that Telegram accepted. Only the first one writes.
const sqlMarkSent = `
UPDATE announcements a SET first_sent_at = $2
FROM runs r JOIN schedules s ON s.id = r.schedule_id
WHERE r.id = ANY($1) AND a.id = s.announcement_id AND a.first_sent_at IS NULL`

// markSent sets first_sent_at of the announcements of the runs in outs
// that Telegram accepted a delivery of.
func markSent(ctx context.Context, tx sqlx.ExtContext, outs []outcome, now time.Time) error {
	var runs []int64
	for _, o := range outs {
		if o.Status == DeliverySent && (len(runs) == 0 || runs[len(runs)-1] != o.RunID) {
			runs = append(runs, o.RunID)
		}
	}
	if len(runs) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, sqlMarkSent, pq.Array(runs), now); err != nil {
		return fmt.Errorf("marking announcements sent: %w", err)
	}
	return nil
}

const entrySelect = `
SELECT a.id, COALESCE(a.archive_key, '') AS archive_key, a.text, a.photo_file_id, a.document_file_id, a.buttons,
       COALESCE(a.issuer, '') AS issuer, a.first_sent_at, s.scope, s.targets,
       COALESCE(a.photo_unique_id, '') AS photo_unique_id
FROM announcements a JOIN schedules s ON s.announcement_id = a.id`

type entryRow struct {
	ID             int64          `db:"id"`
	Key            string         `db:"archive_key"`
	Text           string         `db:"text"`
	PhotoFileID    string         `db:"photo_file_id"`
	DocumentFileID string         `db:"document_file_id"`
	Buttons        []byte         `db:"buttons"`
	Issuer         string         `db:"issuer"`
	FirstSentAt    time.Time      `db:"first_sent_at"`
	Scope          string         `db:"scope"`
	Targets        pq.StringArray `db:"targets"`
	PhotoUniqueID  string         `db:"photo_unique_id"`
}

func (r entryRow) entry() (Entry, error) {
	c, err := announcementRow{ID: r.ID, Text: r.Text, PhotoFileID: r.PhotoFileID, DocumentFileID: r.DocumentFileID,
		Buttons: r.Buttons}.content()
	if err != nil {
		return Entry{}, err
	}
	targets := make([]region.Code, len(r.Targets))
	for i, t := range r.Targets {
		targets[i] = region.Code(t)
	}
	return Entry{AnnouncementID: r.ID, Key: r.Key, Content: c, Issuer: r.Issuer, Scope: region.Code(r.Scope),
		Targets: targets, FirstSentAt: r.FirstSentAt, photoUniqueID: r.PhotoUniqueID}, nil
}

func entries(rows []entryRow) ([]Entry, error) {
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		e, err := r.entry()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// An area filter keeps the announcements that reached it: sent to the
// area itself, to a place inside it, or to a region holding it (a
// city-wide notice belongs to every kelurahan of the city).
const sqlArchiveList = entrySelect + `
WHERE a.archive_key IS NOT NULL AND a.first_sent_at IS NOT NULL
  AND ($1 = '' OR EXISTS (SELECT 1 FROM unnest(s.targets) t WHERE t = $1 OR t LIKE $2 OR $1 LIKE t || '.%'))
ORDER BY a.first_sent_at DESC, a.id DESC
OFFSET $3 LIMIT $4`

// List returns the public announcements that reached area ("" for all),
// newest first.
func (a *Archive) List(ctx context.Context, area region.Code, offset, limit int) ([]Entry, error) {
	var rows []entryRow
	if err := a.db.SelectContext(ctx, &rows, sqlArchiveList, string(area), area.LikePattern(), offset, limit); err != nil {
		return nil, fmt.Errorf("listing the archive: %w", err)
	}
	return entries(rows)
}

const sqlArchiveGet = entrySelect + `
WHERE a.archive_key = $1 AND a.first_sent_at IS NOT NULL`

// Get returns the public announcement named key; ErrNotFound when there
// is none, it has not gone out yet, or it was kept out of the archive.
func (a *Archive) Get(ctx context.Context, key string) (Entry, error) {
	if !ValidArchiveKey(key) {
		return Entry{}, ErrNotFound
	}
	var row entryRow
	err := a.db.GetContext(ctx, &row, sqlArchiveGet, key)
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, ErrNotFound
	}
	if err != nil {
		return Entry{}, fmt.Errorf("reading archive entry: %w", err)
	}
	return row.entry()
}
