package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// ScheduleStatus is where a schedule stands.
type ScheduleStatus string

// The schedule statuses.
const (
	ScheduleActive    ScheduleStatus = "active"    // fires at next_run_at
	SchedulePaused    ScheduleStatus = "paused"    // fires again after Resume
	ScheduleCancelled ScheduleStatus = "cancelled" // never fires again
	ScheduleFinished  ScheduleStatus = "finished"  // fired its last time
)

// ErrScheduleState is returned when a pause, resume or cancel does not fit
// the schedule's status (e.g. resuming an active schedule).
var ErrScheduleState = errors.New("the schedule's status does not allow that")

// Draft is a schedule to create.
type Draft struct {
	Content Content
	Urgent  bool
	Targets []region.Code
	Timing  Timing
	// Key, when set, makes Create idempotent: a second Create with the
	// same key (the console's draft confirmed twice) returns the schedule
	// the first one made instead of a second one.
	Key string
	// Archive says whether the announcement goes into the public archive
	// once sent; nil takes the deployment's default (ArchiveByDefault).
	Archive *bool
	// Issuer is who the archive and the check name instead of the
	// Diskominfo, such as "KIM Tlogomas" for a KIM's approved proposal
	// (issue 12; the archive reads "Dari: KIM Tlogomas"); "" for the
	// office itself.
	Issuer string
}

// Schedule is one schedule with its announcement.
type Schedule struct {
	ID        int64
	Content   Content
	Urgent    bool
	Targets   []region.Code
	Kind      Kind
	CronSpec  string
	Zone      *time.Location
	EndAt     *time.Time
	NextRunAt *time.Time // nil: no more fires
	Status    ScheduleStatus
	Scope     region.Code // the creator's scope; "" = CLI
	CreatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
	// ArchiveKey names its page in the public archive (/arsip/{key}),
	// which shows once it went out; "" when kept out of the archive.
	ArchiveKey string
}

type scheduleRow struct {
	announcementRow
	ScheduleID int64          `db:"schedule_id"`
	Targets    pq.StringArray `db:"targets"`
	Kind       Kind           `db:"kind"`
	CronSpec   string         `db:"cron_spec"`
	TZ         string         `db:"tz"`
	EndAt      *time.Time     `db:"end_at"`
	NextRunAt  *time.Time     `db:"next_run_at"`
	Status     ScheduleStatus `db:"status"`
	Scope      string         `db:"scope"`
	SCreatedAt time.Time      `db:"s_created_at"`
	UpdatedAt  time.Time      `db:"updated_at"`
}

const scheduleSelect = `
SELECT s.id AS schedule_id, s.targets, s.kind, s.cron_spec, s.tz, s.end_at, s.next_run_at, s.status,
       s.scope, s.created_at AS s_created_at, s.updated_at,
       a.id, a.created_by, a.text, a.photo_file_id, a.document_file_id, a.buttons, a.urgent, a.created_at,
       COALESCE(a.archive_key, '') AS archive_key
FROM schedules s JOIN announcements a ON a.id = s.announcement_id`

// inScope is true when every target of s lies inside the scope $1 (LIKE $2).
const inScope = `($1 = '' OR NOT EXISTS (SELECT 1 FROM unnest(s.targets) t WHERE NOT (t = $1 OR t LIKE $2)))`

func (r scheduleRow) schedule() (Schedule, error) {
	c, err := r.content()
	if err != nil {
		return Schedule{}, err
	}
	loc, err := time.LoadLocation(r.TZ)
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %d zone: %w", r.ScheduleID, err)
	}
	targets := make([]region.Code, len(r.Targets))
	for i, t := range r.Targets {
		targets[i] = region.Code(t)
	}
	return Schedule{ID: r.ScheduleID, Content: c, Urgent: r.Urgent, Targets: targets, Kind: r.Kind,
		CronSpec: r.CronSpec, Zone: loc, EndAt: r.EndAt, NextRunAt: r.NextRunAt, Status: r.Status,
		Scope: region.Code(r.Scope), CreatedBy: r.CreatedBy, CreatedAt: r.SCreatedAt, UpdatedAt: r.UpdatedAt,
		ArchiveKey: r.ArchiveKey}, nil
}

// Schedules stores announcements and their schedules.
type Schedules struct {
	db    *sqlx.DB
	clock message.Clock
	// archive is the deployment's default for Draft.Archive.
	archive bool
}

// NewSchedules returns a store over db.
func NewSchedules(db *sqlx.DB, clock message.Clock) *Schedules {
	return &Schedules{db: db, clock: clock, archive: true}
}

// ArchiveByDefault sets whether announcements whose Draft leaves Archive
// unset go into the public archive (KIMBOT_ARCHIVE_DEFAULT; true unless
// set), and returns s.
func (s *Schedules) ArchiveByDefault(on bool) *Schedules {
	s.archive = on
	return s
}

// ArchiveDefault is the deployment's default for Draft.Archive.
func (s *Schedules) ArchiveDefault() bool { return s.archive }

func (s *Schedules) now() time.Time { return s.clock.Now().Truncate(time.Microsecond) }

const sqlInsertSchedule = `
INSERT INTO schedules (announcement_id, targets, kind, cron_spec, tz, end_at, next_run_at, status, scope, created_by,
    created_at, updated_at, request_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $10, NULLIF($11, ''))
ON CONFLICT (request_key) WHERE request_key IS NOT NULL DO NOTHING
RETURNING id`

// Check checks d as Create will (content limits, targets inside by's
// scope, timing) without saving it, for a preview: it returns d with its
// targets normalised and its timing's zone set, and when it would first
// fire. Errors from bad input are *InputError.
func (s *Schedules) Check(ctx context.Context, by staff.Actor, d Draft) (Draft, time.Time, error) {
	if !by.IsOperator() {
		return d, time.Time{}, ErrForbidden
	}
	if err := d.Content.Validate(); err != nil {
		return d, time.Time{}, err
	}
	targets, err := checkTargets(ctx, s.db, by, d.Targets)
	if err != nil {
		return d, time.Time{}, err
	}
	d.Targets = targets
	if d.Timing.Zone == nil {
		d.Timing.Zone = defaultZone()
	}
	d.Timing.Cron = strings.Join(strings.Fields(d.Timing.Cron), " ")
	if d.Timing.Kind != KindCron {
		d.Timing.Cron = ""
	}
	first, err := d.Timing.first(s.now())
	return d, first, err
}

// Create checks d (content limits, targets inside by's scope, timing) and
// saves it. Errors from bad input are *InputError.
func (s *Schedules) Create(ctx context.Context, by staff.Actor, d Draft) (Schedule, error) {
	d, first, err := s.Check(ctx, by, d)
	if err != nil {
		return Schedule{}, err
	}
	now := s.now()
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Schedule{}, fmt.Errorf("beginning create: %w", err)
	}
	defer tx.Rollback()
	archive := s.archive
	if d.Archive != nil {
		archive = *d.Archive
	}
	annID, err := insertAnnouncement(ctx, tx, by, announcementInput{Content: d.Content, Urgent: d.Urgent,
		Archive: archive, Issuer: d.Issuer}, now)
	if err != nil {
		return Schedule{}, err
	}
	var id int64
	err = tx.GetContext(ctx, &id, sqlInsertSchedule, annID, pq.Array(codeStrings(d.Targets)), string(d.Timing.Kind),
		d.Timing.Cron, d.Timing.Zone.String(), d.Timing.Until, first, string(by.Scope), by.CreatedBy(), now, d.Key)
	if errors.Is(err, sql.ErrNoRows) { // the key made one already (its announcement is rolled back with this one)
		tx.Rollback()
		var made int64
		if err := s.db.GetContext(ctx, &made, `SELECT id FROM schedules WHERE request_key = $1`, d.Key); err != nil {
			return Schedule{}, fmt.Errorf("finding the schedule of request %q: %w", d.Key, err)
		}
		return s.Get(ctx, by, made)
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("inserting schedule: %w", err)
	}
	if err := audit.Write(ctx, tx, by.Audit(now, "buat", region.Common(d.Targets), "siaran #"+strconv.FormatInt(id, 10))); err != nil {
		return Schedule{}, err
	}
	if err := tx.Commit(); err != nil {
		return Schedule{}, fmt.Errorf("committing schedule: %w", err)
	}
	return s.Get(ctx, by, id)
}

func defaultZone() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.UTC
	}
	return loc
}

// first is the first fire time of t seen at now, or an *InputError.
func (t Timing) first(now time.Time) (time.Time, error) {
	if t.Until != nil && t.Kind != KindCron {
		return time.Time{}, inputErr("until", ReasonBadEnd, "--cron \"0 8 * * 1\" --until 2026-11-30", "only a repeating (cron) schedule has an end date")
	}
	switch t.Kind {
	case KindNow:
		return now, nil
	case KindOnce:
		if !t.At.After(now) {
			return time.Time{}, inputErr("at", ReasonPastTime, exampleAt(now, t.Zone), "%s is already in the past", t.At.In(t.Zone).Format("2006-01-02 15:04 MST"))
		}
		return t.At.Truncate(time.Microsecond), nil
	case KindCron:
		return t.firstCron(now)
	}
	return time.Time{}, fmt.Errorf("unknown schedule kind %q", t.Kind)
}

func (t Timing) firstCron(now time.Time) (time.Time, error) {
	sched, err := ParseCron(t.Cron, t.Zone, now)
	if err != nil {
		return time.Time{}, err
	}
	next := sched.Next(now.In(t.Zone))
	if t.Until != nil && !t.Until.After(now) {
		return time.Time{}, inputErr("until", ReasonBadEnd, exampleAt(now, t.Zone), "the end date is already in the past")
	}
	if t.Until != nil && next.After(*t.Until) {
		return time.Time{}, inputErr("until", ReasonBadEnd, next.Format("2006-01-02"),
			"the schedule would end before its first fire at %s", next.Format("2006-01-02 15:04 MST"))
	}
	return next, nil
}

// Get returns schedule id if by may see it, else ErrNotFound.
func (s *Schedules) Get(ctx context.Context, by staff.Actor, id int64) (Schedule, error) {
	return getSchedule(ctx, s.db, by, id, "")
}

func getSchedule(ctx context.Context, q sqlx.QueryerContext, by staff.Actor, id int64, suffix string) (Schedule, error) {
	if !by.IsOperator() {
		return Schedule{}, ErrForbidden
	}
	var row scheduleRow
	err := sqlx.GetContext(ctx, q, &row, scheduleSelect+` WHERE `+inScope+` AND s.id = $3`+suffix,
		string(by.Scope), by.Scope.LikePattern(), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Schedule{}, ErrNotFound
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("getting schedule: %w", err)
	}
	return row.schedule()
}

// List returns the schedules by may see (every target inside their scope),
// newest first, at most limit of them, skipping offset.
func (s *Schedules) List(ctx context.Context, by staff.Actor, offset, limit int) ([]Schedule, error) {
	if !by.IsOperator() {
		return nil, ErrForbidden
	}
	var rows []scheduleRow
	err := s.db.SelectContext(ctx, &rows, scheduleSelect+` WHERE `+inScope+` ORDER BY s.id DESC OFFSET $3 LIMIT $4`,
		string(by.Scope), by.Scope.LikePattern(), offset, limit)
	if err != nil {
		return nil, fmt.Errorf("listing schedules: %w", err)
	}
	return schedulesOf(rows)
}

// schedulesOf converts rows as read.
func schedulesOf(rows []scheduleRow) ([]Schedule, error) {
	out := make([]Schedule, 0, len(rows))
	for _, r := range rows {
		sc, err := r.schedule()
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}
