package aspirations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// The service levels, after LAPOR!'s rules for public complaints:
//
//   - a ticket nobody claims within UnclaimedEscalateAfter (3 days) of
//     entering the queue is escalated to the operators automatically;
//   - a claim with no answer within ClaimTimeout (24 hours) is released:
//     the ticket goes back to the queue (or to the operators if it had
//     been escalated) and is posted again; the SLA clock of an unclaimed
//     ticket keeps counting from when it entered the queue;
//   - every moderator with open tickets gets a digest of them, with their
//     ages, once a day at DigestHour local time.

const slaBatch = 100

// RunSLA applies the service levels every SLAInterval until ctx ends.
func (s *Service) RunSLA(ctx context.Context) error {
	t := time.NewTicker(s.cfg.SLAInterval)
	defer t.Stop()
	for {
		if err := s.SLATick(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("aspirations sla", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// SLATick applies the service levels once, as of the clock's now: auto
// escalation, claim release, daily digest. Replicas may run it at the
// same time: every step claims its rows with SKIP LOCKED or records what
// it did under a unique key.
func (s *Service) SLATick(ctx context.Context) error {
	if err := s.escalateUnclaimed(ctx); err != nil {
		return err
	}
	if err := s.releaseStaleClaims(ctx); err != nil {
		return err
	}
	return s.queueDigests(ctx)
}

const sqlAutoEscalate = `
WITH due AS (
    SELECT id AS due_id FROM aspiration_tickets
    WHERE status = 'baru' AND queued_at <= $1
    ORDER BY queued_at LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE aspiration_tickets SET status = 'diteruskan', escalated_at = $3, updated_at = $3
FROM due WHERE id = due.due_id
RETURNING ` + ticketColumns

func (s *Service) escalateUnclaimed(ctx context.Context) error {
	note := catalog.T("aspo.escalation_auto", int(s.cfg.UnclaimedEscalateAfter.Hours()/24))
	system := staff.Actor{Role: staff.RoleSystem}
	return s.sweep(ctx, "auto-escalating", "escalated", func(tx *sqlx.Tx, now time.Time) (int, error) {
		ts, err := selectTickets(ctx, tx, sqlAutoEscalate, now.Add(-s.cfg.UnclaimedEscalateAfter), slaBatch, now)
		for _, t := range ts {
			if err == nil {
				err = addEvent(ctx, tx, t, "escalated", system, "auto", now)
			}
			if err == nil {
				err = s.queueEscalation(ctx, tx, t, note, now)
			}
		}
		return len(ts), err
	})
}

// sweep runs one SLA step in batches of slaBatch, each in a transaction of
// its own, until a batch comes back short; action labels the metric and
// the log line.
func (s *Service) sweep(ctx context.Context, doing, action string, batch func(tx *sqlx.Tx, now time.Time) (int, error)) error {
	for {
		now := s.now()
		var n int
		err := s.withTx(ctx, doing, func(tx *sqlx.Tx) error {
			var err error
			n, err = batch(tx, now)
			return err
		})
		if err != nil {
			return err
		}
		s.metrics.sla.WithLabelValues(action).Add(float64(n))
		if n > 0 {
			s.kick()
			s.log.Info("aspiration SLA step", "action", action, "count", n)
		}
		if n < slaBatch {
			return nil
		}
	}
}

const sqlReleaseClaims = `
WITH due AS (
    SELECT id AS due_id, claimed_by AS old_by FROM aspiration_tickets
    WHERE status = 'diproses' AND claim_deadline <= $1
    ORDER BY claim_deadline LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE aspiration_tickets
SET status = CASE WHEN escalated_at IS NULL THEN 'baru' ELSE 'diteruskan' END,
    claimed_by = NULL, claimed_by_name = '', claim_deadline = NULL, updated_at = $1
FROM due WHERE id = due.due_id
RETURNING due.old_by, ` + ticketColumns

type releasedRow struct {
	ticketRow
	OldBy int64 `db:"old_by"`
}

func (s *Service) releaseStaleClaims(ctx context.Context) error {
	return s.sweep(ctx, "releasing claims", "released", func(tx *sqlx.Tx, now time.Time) (int, error) {
		var rows []releasedRow
		if err := tx.SelectContext(ctx, &rows, sqlReleaseClaims, now, slaBatch); err != nil {
			return 0, fmt.Errorf("releasing claims: %w", err)
		}
		for _, r := range rows {
			if err := s.afterRelease(ctx, tx, r.ticket(), r.OldBy, now); err != nil {
				return 0, err
			}
		}
		return len(rows), nil
	})
}

// afterRelease records the release, tells the former holder, and posts
// the ticket again to those who may now take it.
func (s *Service) afterRelease(ctx context.Context, tx *sqlx.Tx, t Ticket, oldBy int64, now time.Time) error {
	if err := addEvent(ctx, tx, t, "released", staff.Actor{Role: staff.RoleSystem}, "", now); err != nil {
		return err
	}
	info := message.Message{Text: catalog.T("aspo.claim_released", t.Number, int(s.cfg.ClaimTimeout.Hours()))}
	if err := enqueue(ctx, tx, now, outboxItem{ticketID: t.ID, kind: kindStaffInfo, chatID: oldBy, msg: info}); err != nil {
		return err
	}
	p, err := placeOf(ctx, tx, t.VillageCode)
	if err != nil {
		return err
	}
	if t.Status == StatusEscalated {
		ops, err := s.operatorChats(ctx, t.VillageCode)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, now, withAttachment(t, kindEscalation, ops, s.escalationPost(t, p, ""))...)
	}
	chats, err := s.moderatorChats(ctx, t.VillageCode)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, now, withAttachment(t, kindPost, chats, s.requeuedPost(t, p))...)
}

const sqlDigestsQueued = `SELECT telegram_id FROM aspiration_digests WHERE day = $1`

const sqlDigestMark = `
INSERT INTO aspiration_digests (telegram_id, day, queued_at) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING`

// digestLines is how many tickets a digest lists by name.
const digestLines = 15

// queueDigests queues, once per moderator and local day, from DigestHour
// on, a digest of the moderator's open tickets (none when there are none).
func (s *Service) queueDigests(ctx context.Context) error {
	now := s.now()
	local := now.In(s.cfg.TZ)
	if local.Hour() < s.cfg.DigestHour {
		return nil
	}
	day := local.Format(time.DateOnly)
	mods, err := s.staff.Moderators(ctx)
	if err != nil {
		return err
	}
	var queued []int64
	if err := s.db.SelectContext(ctx, &queued, sqlDigestsQueued, day); err != nil {
		return fmt.Errorf("finding digests queued: %w", err)
	}
	done := make(map[int64]bool, len(queued))
	for _, id := range queued {
		done[id] = true
	}
	for _, m := range mods {
		if done[m.TelegramID] {
			continue
		}
		if err := s.queueDigest(ctx, m, day, now); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) queueDigest(ctx context.Context, m staff.Member, day string, now time.Time) error {
	actor := m.Actor("")
	ts, total, err := s.Queue(ctx, actor, nil, 0, digestLines)
	if err != nil {
		return err
	}
	err = s.withTx(ctx, "queueing digest", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, sqlDigestMark, m.TelegramID, day, now)
		if err != nil {
			return fmt.Errorf("marking digest: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errSkip // another replica queued it
		}
		if total == 0 {
			return nil
		}
		msg := message.Message{Text: s.digestText(ts, total, now)}
		return enqueue(ctx, tx, now, outboxItem{kind: kindDigest, chatID: m.TelegramID, msg: msg})
	})
	if errors.Is(err, errSkip) {
		return nil
	}
	if err == nil {
		s.metrics.sla.WithLabelValues("digest").Inc()
		s.kick()
	}
	return err
}

// errSkip commits nothing but is no failure. A digest with nothing in it
// still marks the day, so the digest is not looked for again.
var errSkip = errors.New("skip")

func (s *Service) digestText(ts []Ticket, total int, now time.Time) string {
	text := catalog.T("aspo.digest_header", total)
	for _, t := range ts {
		text += catalog.T("aspo.digest_line", t.Number, t.Status.Label(), t.CategoryLabel(), Age(now, t.CreatedAt))
	}
	if total > len(ts) {
		text += catalog.T("aspo.digest_more", total-len(ts))
	}
	return text + catalog.T("aspo.digest_footer")
}
