package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// SubscriberStatus is where a resident's subscription stands.
type SubscriberStatus string

// The subscriber statuses. Only active subscribers receive announcements.
const (
	StatusActive  SubscriberStatus = "active"  // receives announcements
	StatusStopped SubscriberStatus = "stopped" // the resident sent /berhenti, or the chat vanished
	StatusBlocked SubscriberStatus = "blocked" // Telegram said the resident blocked the bot
)

// Subscriber is one chat subscribed to one village. Only the chat id is
// kept: no names, usernames or phone numbers.
type Subscriber struct {
	ChatID      int64            `db:"chat_id"`
	VillageCode region.Code      `db:"village_code"`
	Status      SubscriberStatus `db:"status"`
	CreatedAt   time.Time        `db:"created_at"`
	UpdatedAt   time.Time        `db:"updated_at"`
	StoppedAt   *time.Time       `db:"stopped_at"` // when it last left active; nil while active
}

// Subscribers stores subscriptions in the subscribers table. Every state
// change is a single guarded statement, so concurrent changes to one chat
// (two replicas, a delivery worker marking it blocked while the resident
// types /start) each either apply whole or lose cleanly.
type Subscribers struct {
	db    *sqlx.DB
	clock message.Clock
}

// NewSubscribers returns a store over db that stamps changes with clock.
func NewSubscribers(db *sqlx.DB, clock message.Clock) *Subscribers {
	return &Subscribers{db: db, clock: clock}
}

// now is the clock's time at the database's microsecond precision, so a
// returned row equals what a later Get reads.
func (s *Subscribers) now() time.Time { return s.clock.Now().Truncate(time.Microsecond) }

const subscriberColumns = `chat_id, village_code, status, created_at, updated_at, stopped_at`

// The SELECT yields no row when the code is not a village, so the insert
// and the village check are one statement.
const sqlSubscribe = `
INSERT INTO subscribers (chat_id, village_code, status, created_at, updated_at)
SELECT $1, code, 'active', $3, $3 FROM regions WHERE code = $2 AND level = 4
ON CONFLICT (chat_id) DO UPDATE
SET village_code = EXCLUDED.village_code, status = 'active',
    updated_at = EXCLUDED.updated_at, stopped_at = NULL
RETURNING ` + subscriberColumns

// Subscribe subscribes chatID to village, or moves an existing
// subscription there and makes it active whatever its status was. The
// code must be a known village, else ErrUnknownVillage.
func (s *Subscribers) Subscribe(ctx context.Context, chatID int64, village region.Code) (Subscriber, error) {
	var sub Subscriber
	err := s.db.GetContext(ctx, &sub, sqlSubscribe, chatID, string(village), s.now())
	if errors.Is(err, sql.ErrNoRows) {
		return sub, ErrUnknownVillage
	}
	if err != nil {
		return sub, fmt.Errorf("subscribing: %w", err)
	}
	return sub, nil
}

const sqlGetSubscriber = `SELECT ` + subscriberColumns + ` FROM subscribers WHERE chat_id = $1`

// Get returns chatID's subscription, or ErrNotFound.
func (s *Subscribers) Get(ctx context.Context, chatID int64) (Subscriber, error) {
	var sub Subscriber
	err := s.db.GetContext(ctx, &sub, sqlGetSubscriber, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, ErrNotFound
	}
	if err != nil {
		return sub, fmt.Errorf("getting subscriber: %w", err)
	}
	return sub, nil
}

// The outer SELECT sees the table as it was before the update, so found
// tells a missing row from one that was not active.
const sqlStop = `
WITH stopped AS (
    UPDATE subscribers SET status = 'stopped', stopped_at = $2, updated_at = $2
    WHERE chat_id = $1 AND status = 'active'
    RETURNING chat_id
)
SELECT EXISTS (SELECT 1 FROM subscribers WHERE chat_id = $1)`

// Stop stops an active subscription. Stopping a stopped or blocked one
// changes nothing (a blocked chat stays blocked); ErrNotFound if chatID
// never subscribed.
func (s *Subscribers) Stop(ctx context.Context, chatID int64) error {
	var found bool
	if err := s.db.GetContext(ctx, &found, sqlStop, chatID, s.now()); err != nil {
		return fmt.Errorf("stopping subscriber: %w", err)
	}
	if !found {
		return ErrNotFound
	}
	return nil
}

const sqlResume = `
UPDATE subscribers SET status = 'active', stopped_at = NULL, updated_at = $2
WHERE chat_id = $1 AND status IN ('stopped', 'blocked')
RETURNING ` + subscriberColumns

// Resume makes a stopped or blocked subscription active again (the
// resident sent /start). An active one is returned unchanged; ErrNotFound
// if chatID never subscribed.
func (s *Subscribers) Resume(ctx context.Context, chatID int64) (Subscriber, error) {
	var sub Subscriber
	err := s.db.GetContext(ctx, &sub, sqlResume, chatID, s.now())
	if errors.Is(err, sql.ErrNoRows) {
		return s.Get(ctx, chatID)
	}
	if err != nil {
		return sub, fmt.Errorf("resuming subscriber: %w", err)
	}
	return sub, nil
}

// Guarded so repeated 403s do not move the timestamps.
const sqlMarkBlocked = `
UPDATE subscribers
SET status = 'blocked', updated_at = $2,
    stopped_at = CASE WHEN status = 'active' THEN $2 ELSE stopped_at END
WHERE chat_id = $1 AND status <> 'blocked'`

// MarkBlocked records that Telegram refused to deliver to chatID because
// the resident blocked the bot. A chat with no subscription is not an
// error: the 403 may come from any send.
func (s *Subscribers) MarkBlocked(ctx context.Context, chatID int64) error {
	if _, err := s.db.ExecContext(ctx, sqlMarkBlocked, chatID, s.now()); err != nil {
		return fmt.Errorf("marking subscriber blocked: %w", err)
	}
	return nil
}

const sqlDeleteSubscriber = `DELETE FROM subscribers WHERE chat_id = $1`

// sqlAnonymiseDeliveries keeps a run's counts but not who they were:
// deliveries still queued are cancelled (the run must not send to an
// erased resident), and every row of the chat gets an erased_chat_seq
// number for its chat id and loses its message id. It walks runs so each
// row is found through the (run_id, chat_id) key, not by a full scan.
const sqlAnonymiseDeliveries = `
UPDATE deliveries d
SET chat_id = -9000000000000000000 + nextval('erased_chat_seq'), message_id = NULL,
    status = CASE WHEN d.status IN ('pending', 'sending') THEN 'cancelled' ELSE d.status END,
    lease_until = NULL, finalized_at = COALESCE(d.finalized_at, $2)
FROM runs r WHERE d.run_id = r.id AND d.chat_id = $1`

// Erase serves a resident's /hapusdata: their subscription is deleted and
// their deliveries keep no chat id (see sqlAnonymiseDeliveries), in one
// transaction. Erasing a chat with no subscription is not an error.
func (s *Subscribers) Erase(ctx context.Context, chatID int64) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("erasing subscriber: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqlDeleteSubscriber, chatID); err != nil {
		return fmt.Errorf("deleting subscriber: %w", err)
	}
	if _, err := tx.ExecContext(ctx, sqlAnonymiseDeliveries, chatID, s.now()); err != nil {
		return fmt.Errorf("anonymising deliveries: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("erasing subscriber: %w", err)
	}
	return nil
}

const sqlCountByStatus = `SELECT status, count(*) FROM subscribers GROUP BY status`

// CountByStatus counts subscribers per status, with a zero for every
// status that has none, for the metrics endpoint.
func (s *Subscribers) CountByStatus(ctx context.Context) (map[SubscriberStatus]int, error) {
	var rows []struct {
		Status SubscriberStatus `db:"status"`
		Count  int              `db:"count"`
	}
	if err := s.db.SelectContext(ctx, &rows, sqlCountByStatus); err != nil {
		return nil, fmt.Errorf("counting subscribers: %w", err)
	}
	counts := map[SubscriberStatus]int{StatusActive: 0, StatusStopped: 0, StatusBlocked: 0}
	for _, r := range rows {
		counts[r.Status] = r.Count
	}
	return counts, nil
}
