package aspirations

import (
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/internal/holder"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// Config holds the service levels and the collaborators the service needs.
// Zero values take the defaults shown.
type Config struct {
	// FloodPerHour is how many tickets one resident may file per hour (5).
	FloodPerHour int
	// UnclaimedEscalateAfter escalates a ticket nobody claimed (72h).
	UnclaimedEscalateAfter time.Duration
	// ClaimTimeout returns a claimed but unanswered ticket to the queue (24h).
	ClaimTimeout time.Duration
	// DigestHour is the local hour of the moderators' daily digest (7).
	DigestHour int
	// TZ is the local time zone for digests and ticket years (Asia/Jakarta).
	TZ *time.Location
	// Sender delivers the outbox; RunOutbox and FlushOutbox need it.
	Sender message.Sender
	// Pacer, when set, keeps the outbox inside each chat's own limit and
	// inside the bot's shared budget (broadcast.Limiter implements it).
	Pacer Pacer
	// OutboxInterval is how often RunOutbox looks for due rows (1s).
	OutboxInterval time.Duration
	// SLAInterval is how often RunSLA sweeps (1m).
	SLAInterval time.Duration
}

func (c Config) withDefaults() Config {
	if c.FloodPerHour == 0 {
		c.FloodPerHour = 5
	}
	if c.UnclaimedEscalateAfter == 0 {
		c.UnclaimedEscalateAfter = 72 * time.Hour
	}
	if c.ClaimTimeout == 0 {
		c.ClaimTimeout = 24 * time.Hour
	}
	if c.DigestHour == 0 {
		c.DigestHour = 7
	}
	if c.TZ == nil {
		loc, err := time.LoadLocation("Asia/Jakarta")
		if err != nil {
			loc = time.FixedZone("WIB", 7*3600)
		}
		c.TZ = loc
	}
	if c.OutboxInterval == 0 {
		c.OutboxInterval = time.Second
	}
	if c.SLAInterval == 0 {
		c.SLAInterval = time.Minute
	}
	return c
}

// Service is the aspirations domain: filing, the staff queue, moderators,
// the outbox and the service levels.
type Service struct {
	db      *sqlx.DB
	rdb     *redis.Client
	prefix  string
	clock   message.Clock
	log     *slog.Logger
	cfg     Config
	metrics *metrics
	// staff finds who reviews a village: moderators, then operators.
	staff *staff.Directory
	// redisDown remembers that Redis failed, so the outage is logged once.
	redisDown atomic.Bool
	// redisFailedAt (clock nanoseconds) pauses Redis use after a failure.
	redisFailedAt atomic.Int64
	// wake nudges RunOutbox when a commit queued something.
	wake chan struct{}
	// holder marks the outbox rows this process claims (RunOutbox sets
	// it); nil: claims rely on their lease alone.
	holder atomic.Pointer[holder.Holder]
}

// NewService returns the service over db. rdb may be nil (no flood limit);
// every Redis key starts with redisPrefix.
func NewService(db *sqlx.DB, rdb *redis.Client, redisPrefix string, clock message.Clock, logger *slog.Logger, cfg Config) *Service {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if clock == nil {
		clock = message.SystemClock{}
	}
	return &Service{db: db, rdb: rdb, prefix: redisPrefix, clock: clock, log: logger,
		cfg: cfg.withDefaults(), metrics: newMetrics(db), staff: staff.New(db, clock), wake: make(chan struct{}, 1)}
}

// now is the clock's time at the database's precision, so values read
// back compare equal to what was written.
func (s *Service) now() time.Time { return s.clock.Now().Truncate(time.Microsecond) }

func equalFoldSpace(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}
