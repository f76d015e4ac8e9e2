package aspirations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-redis/redis_rate/v10"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Text limits, in characters. Posts add a header of a few hundred
// characters and must stay under Telegram's 4096.
const (
	MinTextLen = 5
	MaxTextLen = 3000
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
	nt.Text = strings.TrimSpace(nt.Text)
	if err := checkText(nt.Text, MinTextLen); err != nil {
		return nt, err
	}
	att, err := checkAttachment(nt.Attachment, nt.Anonymous)
	if err != nil {
		return nt, err
	}
	nt.Attachment = att
	nt.ResidentName = strings.TrimSpace(nt.ResidentName)
	if nt.Anonymous {
		nt.ResidentName = ""
	}
	if utf8.RuneCountInString(nt.ResidentName) > 128 {
		nt.ResidentName = string([]rune(nt.ResidentName)[:128])
	}
	return nt, nil
}

func checkText(text string, min int) error {
	n := utf8.RuneCountInString(strings.TrimSpace(text))
	switch {
	case n < min:
		return ErrTextTooShort
	case n > MaxTextLen:
		return ErrTextTooLong
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
		key := s.prefix + "asp:flood:" + strconv.FormatInt(chatID, 10)
		res, err = redis_rate.NewLimiter(s.rdb).Allow(rctx, key, redis_rate.PerHour(s.cfg.FloodPerHour))
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

const sqlNextNumber = `
INSERT INTO aspiration_counters (year, last) VALUES ($1, 1)
ON CONFLICT (year) DO UPDATE SET last = aspiration_counters.last + 1
RETURNING last`

const sqlInsertTicket = `
INSERT INTO aspiration_tickets (number, resident_chat, resident_name, village_code, category, text,
    attachment, anonymous, status, created_at, updated_at, queued_at, source_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'baru', $9, $9, $9, NULLIF($10, ''))
ON CONFLICT (source_key) DO NOTHING
RETURNING ` + ticketColumns

// insertTicket numbers and stores the ticket and queues its posts. The
// counter row lock serialises numbering per year, so numbers never repeat
// and a rolled-back filing leaves no gap.
func (s *Service) insertTicket(ctx context.Context, nt NewTicket) (Ticket, error) {
	now := s.now()
	var t Ticket
	err := s.withTx(ctx, "filing aspiration", func(tx *sqlx.Tx) error {
		var seq int64
		if err := tx.GetContext(ctx, &seq, sqlNextNumber, now.In(s.cfg.TZ).Year()); err != nil {
			return fmt.Errorf("numbering ticket: %w", err)
		}
		var err error
		t, err = getTicket(ctx, tx, sqlInsertTicket, FormatNumber(now.In(s.cfg.TZ).Year(), seq),
			nt.ResidentChat, nt.ResidentName, string(nt.VillageCode), string(nt.Category), nt.Text,
			encodeAttachment(nt.Attachment), nt.Anonymous, now, nt.SourceKey)
		if errors.Is(err, ErrNotFound) {
			return errDuplicateSource
		}
		if isForeignKey(err) {
			return fmt.Errorf("village %s: %w", nt.VillageCode, ErrNoVillage)
		}
		if err != nil {
			return fmt.Errorf("inserting ticket: %w", err)
		}
		if err := addEvent(ctx, tx, t, "filed", Actor{Role: RoleResident}, "", now); err != nil {
			return err
		}
		return s.queueNewPost(ctx, tx, t, now)
	})
	return t, err
}

func isForeignKey(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && pe.Code == "23503"
}
