package aspirations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/internal/rediskey"
	"github.com/kimbot/kimbot/message"
)

// Text limits. MinTextLen counts visible characters (message.ContentLen:
// spaces and zero-width characters are no content); the maximums count
// UTF-16 code units, the way Telegram counts its 4096, so an emoji is 2.
// Every message composed around a text (the post with the longest names
// and an escalation note, the answer, the rejection, the reply note) stays
// under Telegram's 4096 with a text of MaxTextLen: TestComposedMessagesFit
// sends them all through the emulator.
const (
	MinTextLen = 5
	MaxTextLen = 3000
	MaxNoteLen = 300 // an escalation note, posted beside the ticket's text
	maxNameLen = 128 // a resident's name as staff see it
)

// File stores a resident's aspiration and queues its post to the
// moderators, in one transaction: once File returns, the ticket and its
// post survive any failure of Telegram, Redis or this process. Filing is
// idempotent on SourceKey (a redelivered update files once). Anonymous
// tickets lose the resident's name and any location; documents, which
// keep EXIF location, are refused for them (ErrAnonymousDocument).
func (s *Service) File(ctx context.Context, nt NewTicket) (Ticket, error) {
	nt, err := s.normalize(nt)
	if err != nil {
		return Ticket{}, err
	}
	if nt.SourceKey != "" {
		t, err := s.bySourceKey(ctx, nt)
		if !errors.Is(err, ErrNotFound) {
			return t, err
		}
	}
	if !s.allowFiling(ctx, nt.ResidentChat, nt.SourceKey) {
		return Ticket{}, ErrFlood
	}
	t, err := s.insertTicket(ctx, nt)
	if errors.Is(err, errDuplicateSource) {
		return s.bySourceKey(ctx, nt)
	}
	if err != nil {
		return Ticket{}, err
	}
	s.metrics.filed.WithLabelValues(string(t.Category)).Inc()
	s.log.Info("aspiration filed", "ticket", t.Number, "village", string(t.VillageCode), "category", string(t.Category))
	return t, nil
}

// normalize validates nt and applies the anonymity policy.
func (s *Service) normalize(nt NewTicket) (NewTicket, error) {
	if nt.ResidentChat == 0 {
		return nt, fmt.Errorf("filing without a resident chat: %w", ErrForbidden)
	}
	if nt.VillageCode == "" {
		return nt, ErrNoVillage
	}
	if nt.Category == "" {
		nt.Category = CategoryOther
	}
	if _, ok := categoryLabels[nt.Category]; !ok {
		return nt, fmt.Errorf("unknown category %q", nt.Category)
	}
	nt.Text = message.TrimInvisible(nt.Text)
	if err := checkText(nt.Text, MinTextLen); err != nil {
		return nt, err
	}
	att, err := checkAttachment(nt.Attachment, nt.Anonymous)
	if err != nil {
		return nt, err
	}
	nt.Attachment = att
	nt.ResidentName = message.TrimInvisible(message.CutUTF16(message.TrimInvisible(nt.ResidentName), maxNameLen))
	if nt.Anonymous {
		nt.ResidentName = ""
	}
	return nt, nil
}

// CheckText applies the limits of a resident's aspiration to text, so a
// chat flow can tell the resident while they are still writing.
func CheckText(text string) error { return checkText(message.TrimInvisible(text), MinTextLen) }

// checkText refuses text with fewer than min visible characters (zero-width
// spaces and the like do not count) or more than MaxTextLen UTF-16 units.
func checkText(text string, min int) error {
	return checkLen(text, min, MaxTextLen)
}

func checkLen(text string, min, max int) error {
	if message.ContentLen(text) < min {
		return ErrTextTooShort
	}
	if n := message.UTF16Len(text); n > max {
		return &TooLongError{Len: n, Max: max}
	}
	return nil
}

// checkAttachment accepts photos, documents and locations; for anonymous
// tickets a location is dropped and a document refused.
func checkAttachment(a *Attachment, anonymous bool) (*Attachment, error) {
	if a == nil {
		return nil, nil
	}
	switch a.Kind {
	case AttachPhoto:
		if a.FileID == "" {
			return nil, ErrAttachmentType
		}
		return &Attachment{Kind: AttachPhoto, FileID: a.FileID}, nil
	case AttachDocument:
		if a.FileID == "" {
			return nil, ErrAttachmentType
		}
		if anonymous {
			return nil, ErrAnonymousDocument
		}
		return a, nil
	case AttachLocation:
		if a.Lat < -90 || a.Lat > 90 || a.Lon < -180 || a.Lon > 180 {
			return nil, ErrAttachmentType
		}
		if anonymous {
			return nil, nil
		}
		return &Attachment{Kind: AttachLocation, Lat: a.Lat, Lon: a.Lon}, nil
	}
	return nil, ErrAttachmentType
}

const sqlBySourceKey = `SELECT ` + ticketColumns + ` FROM aspiration_tickets WHERE source_key = $1`

func (s *Service) bySourceKey(ctx context.Context, nt NewTicket) (Ticket, error) {
	t, err := getTicket(ctx, s.db, sqlBySourceKey, nt.SourceKey)
	if err != nil {
		return t, err
	}
	if t.ResidentChat != nt.ResidentChat {
		return Ticket{}, fmt.Errorf("source key of another resident: %w", ErrForbidden)
	}
	return t, nil
}

// allowFiling takes one filing from the resident's hourly allowance; a
// redelivery of the same update (same source key) is charged once. When
// Redis is unreachable, filing goes on: a flood is a nuisance, a lost
// aspiration a broken promise.
func (s *Service) allowFiling(ctx context.Context, chatID int64, sourceKey string) bool {
	if s.rdb == nil || s.cfg.FloodPerHour < 0 || s.redisResting() {
		return true
	}
	rctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	first, err := true, error(nil)
	if sourceKey != "" {
		first, err = s.rdb.SetNX(rctx, s.prefix+"asp:src:"+sourceKey, 1, time.Hour).Result()
	}
	var res *redis_rate.Result
	if err == nil && first {
		key := "asp:flood:" + strconv.FormatInt(chatID, 10) // rediskey adds the prefix
		res, err = rediskey.RateLimiter(s.rdb, s.prefix).Allow(rctx, key, redis_rate.PerHour(s.cfg.FloodPerHour))
	}
	if err != nil {
		s.redisFailedAt.Store(s.clock.Now().UnixNano())
		if !s.redisDown.Swap(true) {
			s.log.Warn("flood limit off: redis unreachable", "err", err)
		}
		return true
	}
	if s.redisDown.Swap(false) {
		s.log.Info("flood limit back: redis reachable")
	}
	return res == nil || res.Allowed > 0
}

// redisRetryAfter is how long filing skips Redis after it failed, so an
// outage does not slow every filing by the timeout.
const redisRetryAfter = 30 * time.Second

func (s *Service) redisResting() bool {
	failed := s.redisFailedAt.Load()
	return failed != 0 && s.clock.Now().UnixNano()-failed < int64(redisRetryAfter)
}

var errDuplicateSource = errors.New("source key already filed")

// nextNumber draws the next ticket number of year from that year's
// sequence (aspiration_number_2026, …), created on first use. A sequence
// never hands out a number twice and, unlike a counter row, holds no lock
// until the filing commits, so filings commit in parallel; the price is a
// gap when a filing rolls back, which only a database failure causes
// (input, village and duplicates are checked before).
func (s *Service) nextNumber(ctx context.Context, year int) (int64, error) {
	name := fmt.Sprintf("aspiration_number_%d", year)
	var err error
	for range 3 {
		var seq int64
		if err = s.db.GetContext(ctx, &seq, `SELECT nextval($1::regclass)`, name); err == nil {
			return seq, nil
		}
		if pqCode(err) != "42P01" { // undefined_table: a new year
			break
		}
		// Two filings may race to create it (IF NOT EXISTS does not lock):
		// the loser sees 23505 (unique_violation on the catalogue) or 42P07
		// (duplicate_table), and draws from the winner's sequence.
		if _, err = s.db.ExecContext(ctx, `CREATE SEQUENCE IF NOT EXISTS `+name); err != nil &&
			pqCode(err) != "23505" && pqCode(err) != "42P07" {
			break
		}
	}
	return 0, fmt.Errorf("numbering ticket: %w", err)
}

func pqCode(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	return ""
}

// The ticket and its "filed" event in one round trip.
const sqlInsertTicket = `
WITH t AS (
    INSERT INTO aspiration_tickets (number, resident_chat, resident_name, village_code, category, text,
        attachment, anonymous, status, created_at, updated_at, queued_at, source_key, check_result)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'baru', $9, $9, $9, NULLIF($10, ''), $11)
    ON CONFLICT (source_key) DO NOTHING
    RETURNING *
), e AS (
    INSERT INTO aspiration_events (ticket_id, kind, status, actor_role, actor_id, note, at)
    SELECT id, 'filed', status, 'resident', 0, '', $9 FROM t
)
SELECT ` + ticketColumns + ` FROM t`

// insertTicket numbers and stores the ticket, its event and its posts in
// one transaction of two statements.
func (s *Service) insertTicket(ctx context.Context, nt NewTicket) (Ticket, error) {
	post, err := s.newPostPlan(ctx, nt.VillageCode)
	if err != nil {
		return Ticket{}, err
	}
	now := s.now()
	year := now.In(s.cfg.TZ).Year()
	seq, err := s.nextNumber(ctx, year)
	if err != nil {
		return Ticket{}, err
	}
	var t Ticket
	err = s.withTx(ctx, "filing aspiration", func(tx *sqlx.Tx) error {
		var err error
		t, err = getTicket(ctx, tx, sqlInsertTicket, FormatNumber(year, seq),
			nt.ResidentChat, nt.ResidentName, string(nt.VillageCode), string(nt.Category), nt.Text,
			encodeAttachment(nt.Attachment), nt.Anonymous, now, nt.SourceKey, nt.Check)
		if errors.Is(err, ErrNotFound) {
			return errDuplicateSource
		}
		if isForeignKey(err) {
			return fmt.Errorf("village %s: %w", nt.VillageCode, ErrNoVillage)
		}
		if err != nil {
			return fmt.Errorf("inserting ticket: %w", err)
		}
		return enqueue(ctx, tx, now, post.items(s, t)...)
	})
	if err == nil {
		s.kick()
	}
	return t, err
}

func isForeignKey(err error) bool { return pqCode(err) == "23503" }
