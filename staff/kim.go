package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// KIM is one Komunitas Informasi Masyarakat in the registry: the group a
// kelurahan's (or a kecamatan's) moderators belong to. Its Telegram group
// is its moderators' linked group (Member.GroupChatID).
type KIM struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
	// Area is the kelurahan/desa it serves, or the kecamatan of a KIM
	// kecamatan.
	Area region.Code `db:"area"`
	// The decree (SK) that founded it: number, date and who issued it
	// (e.g. "Wali Kota Malang"); empty and nil when not recorded.
	SKNumber  string     `db:"sk_number"`
	SKDate    *time.Time `db:"sk_date"`
	SKIssuer  string     `db:"sk_issuer"`
	Contact   string     `db:"contact"`
	FormedOn  *time.Time `db:"formed_on"`
	CreatedBy *int64     `db:"created_by"`
	CreatedAt time.Time  `db:"created_at"`
	UpdatedAt time.Time  `db:"updated_at"`
}

// KIMFields are the parts of a KIM staff write: a new KIM, an edit, an
// imported row. Dates are calendar days (their clock part is ignored).
type KIMFields struct {
	Name     string
	Area     region.Code
	SKNumber string
	SKDate   *time.Time
	SKIssuer string
	Contact  string
	FormedOn *time.Time
}

// Fields returns k's writable parts, for an edit to start from.
func (k KIM) Fields() KIMFields {
	return KIMFields{Name: k.Name, Area: k.Area, SKNumber: k.SKNumber, SKDate: k.SKDate, SKIssuer: k.SKIssuer,
		Contact: k.Contact, FormedOn: k.FormedOn}
}

// Length limits of a KIM's text fields, in characters: a name as offices
// write them ("KIM Tlogomas Sejahtera"), an SK number such as
// "188.45/123/35.73.112/2019".
const (
	KIMNameMin    = 3
	KIMNameMax    = 80
	kimSKMax      = 100
	kimIssuerMax  = 120
	kimContactMax = 120
)

// KIMError names the field of a KIM that is wrong: "name", "area",
// "sk_number", "sk_date", "sk_issuer", "contact" or "formed_on".
type KIMError struct {
	Field  string
	Reason string // for the CLI, in English
}

func (e *KIMError) Error() string { return e.Field + ": " + e.Reason }

// clean trims f's texts and checks every field against today (dates may
// not lie ahead). It does not look the area up: the write does.
func (f *KIMFields) clean(today time.Time) error {
	f.Name = strings.Join(strings.Fields(strings.Map(printable, pgsafe.Text(f.Name, 4*KIMNameMax))), " ")
	f.SKNumber = strings.TrimSpace(pgsafe.Text(f.SKNumber, 4*kimSKMax))
	f.SKIssuer = strings.TrimSpace(pgsafe.Text(f.SKIssuer, 4*kimIssuerMax))
	f.Contact = strings.TrimSpace(pgsafe.Text(f.Contact, 4*kimContactMax))
	n := utf8.RuneCountInString(f.Name)
	switch {
	case n < KIMNameMin || n > KIMNameMax || message.ContentLen(f.Name) < KIMNameMin:
		return &KIMError{"name", fmt.Sprintf("a name has %d to %d characters", KIMNameMin, KIMNameMax)}
	case f.Area.Level() != region.Village && f.Area.Level() != region.District:
		return &KIMError{"area", "a KIM serves a kelurahan/desa or a kecamatan (e.g. 35.73.05.1003 or 35.73.05)"}
	case utf8.RuneCountInString(f.SKNumber) > kimSKMax:
		return &KIMError{"sk_number", fmt.Sprintf("at most %d characters", kimSKMax)}
	case utf8.RuneCountInString(f.SKIssuer) > kimIssuerMax:
		return &KIMError{"sk_issuer", fmt.Sprintf("at most %d characters", kimIssuerMax)}
	case utf8.RuneCountInString(f.Contact) > kimContactMax:
		return &KIMError{"contact", fmt.Sprintf("at most %d characters", kimContactMax)}
	}
	for field, d := range map[string]*time.Time{"sk_date": f.SKDate, "formed_on": f.FormedOn} {
		if d != nil && (d.After(today) || d.Year() < 1945) {
			return &KIMError{field, "a date between 1945 and today"}
		}
	}
	return nil
}

// printable drops control and format characters from a name (a stray
// \x01, a direction mark that would reorder the page around it); an
// invisible character becomes a space, which the name's trimming folds.
func printable(r rune) rune {
	switch {
	case unicode.IsControl(r):
		return -1
	case message.Invisible(r):
		return ' '
	}
	return r
}

const kimColumns = `id, name, area, sk_number, sk_date, sk_issuer, contact, formed_on, created_by, created_at, updated_at`

// Inserting from the regions row makes the existence check part of the
// write, like sqlAddMember.
const sqlAddKIM = `
INSERT INTO kim (name, area, sk_number, sk_date, sk_issuer, contact, formed_on, created_by, created_at, updated_at)
SELECT $1, code, $3, $4, $5, $6, $7, $8, $9, $9 FROM regions WHERE code = $2
RETURNING ` + kimColumns

// AddKIM registers a KIM in by's scope: `kimbot kim add` and the
// console's form. Only operators (and the CLI) add KIM (ErrForbidden);
// the area must lie inside by's scope (ErrOutOfScope) and exist
// (ErrUnknownRegion); a bad field is a *KIMError; a KIM of the same name
// in the same area is ErrKIMExists.
func (d *Directory) AddKIM(ctx context.Context, by Actor, f KIMFields) (KIM, error) {
	var k KIM
	now := d.now()
	err := d.audited(ctx, func(tx *sqlx.Tx) (audit.Entry, error) {
		if err := d.checkKIMWrite(by, &f, now); err != nil {
			return audit.Entry{}, err
		}
		err := tx.GetContext(ctx, &k, sqlAddKIM, f.Name, string(f.Area), f.SKNumber, f.SKDate, f.SKIssuer,
			f.Contact, f.FormedOn, by.CreatedBy(), now)
		return by.Audit(now, "kim_tambah", f.Area, f.Name), kimWriteErr(err)
	})
	return k, err
}

// ErrKIMExists: the area already has a KIM of that name.
var ErrKIMExists = errors.New("a KIM of this name already serves this area")

func (d *Directory) checkKIMWrite(by Actor, f *KIMFields, now time.Time) error {
	if !by.IsOperator() {
		return ErrForbidden
	}
	// A day's margin: the caller's calendar may run ahead of UTC.
	if err := f.clean(now.Add(24 * time.Hour)); err != nil {
		return err
	}
	if !by.Allows(f.Area) {
		return ErrOutOfScope
	}
	return nil
}

func kimWriteErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return ErrUnknownRegion
	case isUniqueViolation(err):
		return ErrKIMExists
	}
	return fmt.Errorf("writing a KIM: %w", err)
}

// A KIM whose area moves takes its moderators with it: a moderator's
// scope is their KIM's area.
const sqlEditKIM = `
WITH k AS (
    UPDATE kim SET name = $2, area = r.code, sk_number = $4, sk_date = $5, sk_issuer = $6, contact = $7,
        formed_on = $8, updated_at = $9
    FROM regions r WHERE kim.id = $1 AND r.code = $3
    RETURNING kim.*
), m AS (
    UPDATE staff SET scope = k.area, updated_at = $9 FROM k
    WHERE staff.kim_id = k.id AND staff.scope <> k.area
)
SELECT ` + kimColumns + ` FROM k`

// EditKIM changes KIM id in by's scope: change edits a copy of its
// fields (the CLI sets the flags given; the console the whole form).
// Errors are AddKIM's, and ErrNotFound for a KIM outside by's scope.
func (d *Directory) EditKIM(ctx context.Context, by Actor, id int64, change func(*KIMFields)) (KIM, error) {
	var k KIM
	now := d.now()
	err := d.audited(ctx, func(tx *sqlx.Tx) (audit.Entry, error) {
		old, err := kimFor(ctx, tx, by, id, " FOR UPDATE")
		if err != nil {
			return audit.Entry{}, err
		}
		f := old.Fields()
		change(&f)
		if err := d.checkKIMWrite(by, &f, now); err != nil {
			return audit.Entry{}, err
		}
		err = tx.GetContext(ctx, &k, sqlEditKIM, id, f.Name, string(f.Area), f.SKNumber, f.SKDate, f.SKIssuer,
			f.Contact, f.FormedOn, now)
		return by.Audit(now, "kim_ubah", f.Area, fmt.Sprintf("%d: %s", id, f.Name)), kimWriteErr(err)
	})
	return k, err
}

// kimVisible is the scope test of every KIM read: an operator sees the
// KIM of their scope, a moderator their own KIM.
const kimVisible = ` AND ($2 = '' OR area = $2 OR area LIKE $3) AND ($4 = 0 OR id = $4)`

func kimFor(ctx context.Context, q sqlx.QueryerContext, by Actor, id int64, lock string) (KIM, error) {
	var k KIM
	if !by.IsStaff() {
		return k, ErrForbidden
	}
	err := sqlx.GetContext(ctx, q, &k, `SELECT `+kimColumns+` FROM kim WHERE id = $1`+kimVisible+lock,
		id, string(by.Scope), by.Scope.LikePattern(), by.KIM)
	if errors.Is(err, sql.ErrNoRows) {
		return k, ErrNotFound
	}
	if err != nil {
		return k, fmt.Errorf("reading KIM %d: %w", id, err)
	}
	return k, nil
}

// GetKIM returns KIM id if by may see it (ErrNotFound otherwise: a KIM
// outside one's scope is not told apart from none).
func (d *Directory) GetKIM(ctx context.Context, by Actor, id int64) (KIM, error) {
	return kimFor(ctx, d.db, by, id, "")
}

// ListKIM returns the KIM by may see whose area lies inside within (""
// = all of by's scope), by area then name.
func (d *Directory) ListKIM(ctx context.Context, by Actor, within region.Code) ([]KIM, error) {
	if !by.IsStaff() {
		return nil, ErrForbidden
	}
	var ks []KIM
	err := d.db.SelectContext(ctx, &ks, `SELECT `+kimColumns+` FROM kim WHERE id > $1`+kimVisible+`
AND ($5 = '' OR area = $5 OR area LIKE $6) ORDER BY area, lower(name)`,
		0, string(by.Scope), by.Scope.LikePattern(), by.KIM, string(within), within.LikePattern())
	if err != nil {
		return nil, fmt.Errorf("listing KIM: %w", err)
	}
	return ks, nil
}

// KIMModerators returns the moderators of KIM id, which by must be able
// to see (GetKIM's errors).
func (d *Directory) KIMModerators(ctx context.Context, by Actor, id int64) ([]Member, error) {
	if _, err := d.GetKIM(ctx, by, id); err != nil {
		return nil, err
	}
	var ms []Member
	err := d.db.SelectContext(ctx, &ms, `SELECT `+memberColumns+` FROM staff WHERE kim_id = $1 ORDER BY telegram_id`, id)
	if err != nil {
		return nil, fmt.Errorf("listing a KIM's moderators: %w", err)
	}
	return ms, nil
}

// A moderator keeps the KIM they had while its area is theirs; otherwise
// they join the area's oldest KIM, or a new one named after the area.
const sqlKIMOfArea = `
WITH existing AS (
    SELECT id FROM kim WHERE area = $1 ORDER BY id = $2 DESC, id LIMIT 1
), created AS (
    INSERT INTO kim (name, area, created_by, created_at, updated_at)
    SELECT 'KIM ' || name, code, $3, $4, $4 FROM regions
    WHERE code = $1 AND NOT EXISTS (SELECT 1 FROM existing)
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT id FROM existing UNION ALL SELECT id FROM created`

// joinKIM puts moderator m into the KIM of their scope: every moderator
// of a kelurahan or a kecamatan belongs to a KIM. A moderator of a wider
// scope (a whole city) is no KIM's: a KIM serves a kelurahan or a
// kecamatan.
func joinKIM(ctx context.Context, q sqlx.QueryerContext, m Member, by Actor, now time.Time) (Member, error) {
	if l := m.Scope.Level(); l != region.Village && l != region.District {
		err := sqlx.GetContext(ctx, q, &m, `UPDATE staff SET kim_id = NULL WHERE telegram_id = $1 AND role = 'moderator'
RETURNING `+memberColumns, m.TelegramID)
		return m, err
	}
	var current int64
	if m.KIMID != nil {
		current = *m.KIMID
	}
	var id int64
	err := sqlx.GetContext(ctx, q, &id, sqlKIMOfArea, string(m.Scope), current, by.CreatedBy(), now)
	if errors.Is(err, sql.ErrNoRows) { // another writer created it between the two parts: it is there now
		err = sqlx.GetContext(ctx, q, &id, sqlKIMOfArea, string(m.Scope), current, by.CreatedBy(), now)
	}
	if err != nil {
		return m, fmt.Errorf("finding a moderator's KIM: %w", err)
	}
	err = sqlx.GetContext(ctx, q, &m, `UPDATE staff SET kim_id = $2 WHERE telegram_id = $1 AND role = 'moderator'
RETURNING `+memberColumns, m.TelegramID, id)
	if err != nil {
		return m, fmt.Errorf("joining a KIM: %w", err)
	}
	return m, nil
}

// Crew is what a KIM's moderators are: how many, how many wrote to the
// bot since a given time (they still reach it), and whether one has
// linked the KIM's Telegram group.
type Crew struct {
	KIM        int64 `db:"kim_id"`
	Moderators int   `db:"moderators"`
	Reachable  int   `db:"reachable"`
	Grouped    bool  `db:"grouped"`
}

// Crews returns the Crew of each KIM in ids that has moderators; the
// system reads it for statuses, so no scope applies (callers pass the
// KIM they listed in scope).
func (d *Directory) Crews(ctx context.Context, ids []int64, since time.Time) (map[int64]Crew, error) {
	var rows []Crew
	err := d.db.SelectContext(ctx, &rows, `
SELECT kim_id, count(*) AS moderators, count(*) FILTER (WHERE last_seen_at >= $2) AS reachable,
    bool_or(group_chat_id IS NOT NULL) AS grouped
FROM staff WHERE kim_id = ANY($1) GROUP BY kim_id`, pq.Int64Array(ids), since)
	if err != nil {
		return nil, fmt.Errorf("reading KIM crews: %w", err)
	}
	out := make(map[int64]Crew, len(rows))
	for _, r := range rows {
		out[r.KIM] = r
	}
	return out, nil
}

// Seen records that staff member telegramID wrote to the bot at at, to
// the hour: the row is written at most once an hour.
func (d *Directory) Seen(ctx context.Context, telegramID int64) error {
	_, err := d.db.ExecContext(ctx, `UPDATE staff SET last_seen_at = date_trunc('hour', $2::timestamptz)
WHERE telegram_id = $1 AND (last_seen_at IS NULL OR last_seen_at < date_trunc('hour', $2::timestamptz))`,
		telegramID, d.now())
	if err != nil {
		return fmt.Errorf("recording a staff visit: %w", err)
	}
	return nil
}

// ErrNudgedToday: the KIM's moderators were nudged less than 20 hours ago.
var ErrNudgedToday = errors.New("this KIM was nudged today")

// ClaimNudge records, inside the caller's transaction x, that by nudges
// KIM id now, and returns its moderators' Telegram ids; at most one nudge
// a day reaches a KIM (ErrNudgedToday). Only operators nudge, and only
// KIM they may see (ErrForbidden, ErrNotFound).
func (d *Directory) ClaimNudge(ctx context.Context, x sqlx.ExtContext, by Actor, id int64) ([]int64, error) {
	if !by.IsOperator() {
		return nil, ErrForbidden
	}
	k, err := kimFor(ctx, x, by, id, " FOR UPDATE")
	if err != nil {
		return nil, err
	}
	now := d.now()
	res, err := x.ExecContext(ctx, `UPDATE kim SET nudged_at = $2 WHERE id = $1 AND (nudged_at IS NULL OR nudged_at < $3)`,
		k.ID, now, now.Add(-20*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("recording a nudge: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrNudgedToday
	}
	if err := audit.Write(ctx, x, by.Audit(now, "kim_ingatkan", k.Area, fmt.Sprintf("%d: %s", k.ID, k.Name))); err != nil {
		return nil, err
	}
	var ids []int64
	err = sqlx.SelectContext(ctx, x, &ids, `SELECT telegram_id FROM staff WHERE kim_id = $1 ORDER BY telegram_id`, id)
	return ids, err
}
