// Package proposals is KIM propose, Diskominfo approves: a KIM moderator
// proposes local news or a notice for their area (text, or a photo with a
// caption); an operator of the area approves it, possibly edited and for
// another area or time, and it becomes an ordinary broadcast schedule
// credited to the KIM ("Dari KIM Tlogomas"), or rejects it with a reason.
// Nothing goes out without an approval, the KIM is told the outcome, and
// every step is in the audit log.
//
// News to staff goes through the aspiration outbox (durable, retried).
// It must not know about Telegram updates, the console or the CLI.
package proposals

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Status is where a proposal stands.
type Status string

// The statuses.
const (
	Waiting  Status = "menunggu"
	Approved Status = "disetujui"
	Rejected Status = "ditolak"
)

// The errors callers branch on.
var (
	ErrNotFound  = errors.New("proposal not found")
	ErrForbidden = errors.New("not allowed for this actor")
	ErrDecided   = errors.New("proposal already decided")
	// ErrNoOperator: no operator covers the KIM's area, so nobody could
	// approve it; it is not filed.
	ErrNoOperator = errors.New("no operator covers this area")
	ErrTooMany    = errors.New("too many proposals waiting")
	ErrReason     = errors.New("a rejection needs a reason of 5 to 500 characters")
	ErrTarget     = errors.New("target outside the approver's scope")
	ErrWhen       = errors.New("send time in the past or too far ahead")
	// ErrEmpty: no text (a photo needs a caption too: the credit line
	// alone says nothing).
	ErrEmpty = errors.New("a proposal needs text")
)

// check is Validate of p as residents would receive it, after making sure
// the KIM wrote something.
func (p Proposal) check() error {
	if visible, err := message.VisibleText(p.Text); err == nil && message.ContentLen(visible) == 0 {
		return ErrEmpty
	}
	return p.Content().Validate()
}

// MaxWaiting caps a KIM's proposals waiting for a decision: beyond it a
// KIM is flooding its operators.
const MaxWaiting = 10

// MaxAhead is how far ahead an approval may schedule: a proposal is news.
const MaxAhead = 90 * 24 * time.Hour

// Proposal is one proposal.
type Proposal struct {
	ID           int64        `db:"id"`
	KIM          int64        `db:"kim_id"`
	KIMName      string       `db:"kim_name"`
	Area         region.Code  `db:"area"`
	Wider        bool         `db:"wider"`
	Proposer     int64        `db:"proposer"`
	ProposerName string       `db:"proposer_name"`
	Text         string       `db:"text"`
	PhotoFileID  string       `db:"photo_file_id"`
	Status       Status       `db:"status"`
	Target       *region.Code `db:"target"`
	SendAt       *time.Time   `db:"send_at"`
	ScheduleID   *int64       `db:"schedule_id"`
	DecidedBy    *int64       `db:"decided_by"`
	DecidedName  string       `db:"decided_name"`
	DecidedAt    *time.Time   `db:"decided_at"`
	RejectReason string       `db:"reject_reason"`
	CreatedAt    time.Time    `db:"created_at"`
	UpdatedAt    time.Time    `db:"updated_at"`
}

// Requested is the area the KIM asked for: its own, or the one above
// when it asked for wider.
func (p Proposal) Requested() region.Code {
	if p.Wider && p.Area.Level() > region.Regency {
		return p.Area.Parent()
	}
	return p.Area
}

// Content is p as residents receive it once approved: the credit line,
// then the text (as a photo's caption when there is one).
func (p Proposal) Content() broadcast.Content {
	return broadcast.Content{Text: Credit(p.KIMName) + p.Text, PhotoFileID: p.PhotoFileID}
}

// Credit is the line an approved proposal opens with.
func Credit(kim string) string {
	return "<b>" + message.EscapeHTML(fmt.Sprintf("Dari %s", kim)) + "</b>\n\n"
}

// Service keeps proposals in PostgreSQL.
type Service struct {
	db        *sqlx.DB
	staff     *staff.Directory
	schedules *broadcast.Schedules
	clock     message.Clock
	zone      *time.Location // of times in staff messages
	log       *slog.Logger
}

// New returns a Service whose messages to staff give times in zone
// (KIMBOT_TZ; nil = UTC).
func New(db *sqlx.DB, dir *staff.Directory, schedules *broadcast.Schedules, clock message.Clock, zone *time.Location,
	log *slog.Logger) *Service {
	if clock == nil {
		clock = message.SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if zone == nil {
		zone = time.UTC
	}
	return &Service{db: db, staff: dir, schedules: schedules, clock: clock, zone: zone, log: log}
}

func (s *Service) now() time.Time { return s.clock.Now().Truncate(time.Microsecond) }

const proposalColumns = `p.id, p.kim_id, k.name AS kim_name, p.area, p.wider, p.proposer, p.proposer_name, p.text,
p.photo_file_id, p.status, p.target, p.send_at, p.schedule_id, p.decided_by, p.decided_name, p.decided_at,
p.reject_reason, p.created_at, p.updated_at`

// visible filters proposals by who asks: an operator sees their scope's,
// a moderator their own KIM's. $1 scope, $2 its LIKE pattern, $3 KIM.
const visible = ` (($1 = '' OR p.area = $1 OR p.area LIKE $2) AND ($3 = 0 OR p.kim_id = $3))`

func scopeArgs(by staff.Actor) []any {
	return []any{string(by.Scope), by.Scope.LikePattern(), by.KIM}
}

// Filing is what a moderator files: Telegram HTML text (a photo's caption
// when PhotoFileID is set), whether they ask for the wider area, and the
// key of the update that carried it (a redelivered update files once).
type Filing struct {
	Text        string
	PhotoFileID string
	Wider       bool
	SourceKey   string
}

// File files a proposal of by's KIM and queues it to the operators who
// cover the KIM's area. Only a moderator of a KIM files (ErrForbidden);
// the text must be a valid announcement with the credit line
// (*broadcast.InputError); ErrNoOperator when nobody could approve it,
// ErrTooMany beyond MaxWaiting.
func (s *Service) File(ctx context.Context, by staff.Actor, in Filing) (Proposal, error) {
	var p Proposal
	if by.Role != staff.RoleModerator || by.KIM == 0 {
		return p, ErrForbidden
	}
	k, err := s.staff.GetKIM(ctx, by, by.KIM)
	if err != nil {
		return p, err
	}
	in.Text = strings.TrimSpace(pgsafe.Text(in.Text, 16<<10))
	draft := Proposal{KIMName: k.Name, Text: in.Text, PhotoFileID: in.PhotoFileID}
	if err := draft.check(); err != nil {
		return p, err
	}
	operators, err := s.staff.OperatorsCovering(ctx, k.Area)
	if err != nil {
		return p, err
	}
	if len(operators) == 0 {
		return p, ErrNoOperator
	}
	now := s.now()
	key := sql.NullString{String: in.SourceKey, Valid: in.SourceKey != ""}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		// The KIM's row, locked, makes filings of one KIM take turns, so
		// the count below holds until this one commits.
		var waiting int
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM kim WHERE id = $1 FOR UPDATE`, k.ID); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &waiting, `SELECT count(*) FROM proposals WHERE kim_id = $1 AND status = 'menunggu'`,
			k.ID); err != nil {
			return err
		}
		if waiting >= MaxWaiting {
			return ErrTooMany
		}
		var id int64
		err := tx.GetContext(ctx, &id, `INSERT INTO proposals (kim_id, area, wider, proposer, proposer_name, text,
photo_file_id, source_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
ON CONFLICT (source_key) DO NOTHING RETURNING id`, k.ID, string(k.Area), in.Wider, by.TelegramID, by.DisplayName(),
			in.Text, in.PhotoFileID, key, now)
		if errors.Is(err, sql.ErrNoRows) { // this update filed it already
			return tx.GetContext(ctx, &p, `SELECT `+proposalColumns+` FROM proposals p JOIN kim k ON k.id = p.kim_id
WHERE p.source_key = $1`, in.SourceKey)
		}
		if err != nil {
			return err
		}
		if p, err = get(ctx, tx, staff.Admin(), id); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, by.Audit(now, "usul_kirim", k.Area, fmt.Sprintf("%d: %s", id, k.Name))); err != nil {
			return err
		}
		return queue(ctx, tx, now, operators, s.operatorNotice(ctx, p)...)
	})
	return p, err
}

// Get returns proposal id if by may see it (ErrNotFound otherwise).
func (s *Service) Get(ctx context.Context, by staff.Actor, id int64) (Proposal, error) {
	if !by.IsStaff() {
		return Proposal{}, ErrForbidden
	}
	return get(ctx, s.db, by, id)
}

func get(ctx context.Context, q sqlx.QueryerContext, by staff.Actor, id int64, lock ...string) (Proposal, error) {
	var p Proposal
	err := sqlx.GetContext(ctx, q, &p, `SELECT `+proposalColumns+` FROM proposals p JOIN kim k ON k.id = p.kim_id
WHERE p.id = $4 AND`+visible+strings.Join(lock, ""), append(scopeArgs(by), id)...)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("reading proposal %d: %w", id, err)
	}
	return p, nil
}

// List returns the proposals by may see with status (all when ""),
// waiting ones oldest first, decided ones newest first, at most limit.
func (s *Service) List(ctx context.Context, by staff.Actor, status Status, limit int) ([]Proposal, error) {
	if !by.IsStaff() {
		return nil, ErrForbidden
	}
	order := "p.updated_at DESC"
	if status == Waiting {
		order = "p.created_at"
	}
	var ps []Proposal
	err := s.db.SelectContext(ctx, &ps, `SELECT `+proposalColumns+` FROM proposals p JOIN kim k ON k.id = p.kim_id
WHERE ($4 = '' OR p.status = $4) AND`+visible+` ORDER BY `+order+`, p.id LIMIT $5`,
		append(scopeArgs(by), string(status), limit)...)
	if err != nil {
		return nil, fmt.Errorf("listing proposals: %w", err)
	}
	return ps, nil
}

// ProposalsSince counts the proposals each KIM of kim filed since since
// (peta.ProposalCounter).
func (s *Service) ProposalsSince(ctx context.Context, kim []int64, since time.Time) (map[int64]int, error) {
	var rows []struct {
		KIM int64 `db:"kim_id"`
		N   int   `db:"n"`
	}
	err := s.db.SelectContext(ctx, &rows, `SELECT kim_id, count(*) AS n FROM proposals
WHERE kim_id = ANY($1) AND created_at >= $2 GROUP BY kim_id`, pq.Int64Array(kim), since)
	if err != nil {
		return nil, fmt.Errorf("counting proposals: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.KIM] = r.N
	}
	return out, nil
}

// checkReason trims a rejection reason and checks its length.
func checkReason(reason string) (string, error) {
	reason = message.TrimInvisible(pgsafe.Text(reason, 4096))
	if n := utf8.RuneCountInString(reason); n < 5 || n > 500 || message.ContentLen(reason) < 5 {
		return reason, ErrReason
	}
	return reason, nil
}

func (s *Service) inTx(ctx context.Context, do func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting a proposal transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := do(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Each approved proposal counts once per area, matched on its KIM's area
// and the codes above it (region.Ancestors), inside the actor's scope.
var sqlApprovedIn = `
SELECT g.idx, count(DISTINCT p.id) AS n
FROM proposals p
CROSS JOIN LATERAL ` + region.Ancestors("p.area") + ` AS anc(code)
JOIN unnest($3::int[], $4::text[]) AS g(idx, code) ON g.code = anc.code
WHERE p.status = 'disetujui' AND p.decided_at >= $1 AND p.decided_at < $2 AND (p.area = $5 OR p.area LIKE $6)
GROUP BY g.idx`

// ApprovedIn counts, for each of areas, the proposals approved in
// [from, to) whose KIM serves inside it: the recap's "usulan disetujui".
func (s *Service) ApprovedIn(ctx context.Context, by staff.Actor, from, to time.Time, areas []region.Area) ([]int, error) {
	if !by.IsStaff() {
		return nil, ErrForbidden
	}
	idx, codes := region.AreaParams(areas)
	var rows []struct {
		Idx int `db:"idx"`
		N   int `db:"n"`
	}
	err := s.db.SelectContext(ctx, &rows, sqlApprovedIn, from, to, pq.Array(idx), pq.Array(codes),
		string(by.Scope), by.Scope.LikePattern())
	if err != nil {
		return nil, fmt.Errorf("counting approved proposals: %w", err)
	}
	out := make([]int, len(areas))
	for _, r := range rows {
		out[r.Idx] = r.N
	}
	return out, nil
}
