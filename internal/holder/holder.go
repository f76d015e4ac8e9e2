// Package holder ties the work a process claims (updates, deliveries,
// outbox posts) to the life of that process, so that after a crash the
// work comes back in about a second rather than when its lease runs out.
//
// A Holder is a session-level PostgreSQL advisory lock, taken on a
// connection of its own under a number from the claim_holder_seq sequence
// (migration 00015). Claims record that number. When the process dies its
// socket closes, PostgreSQL ends the session and the lock is gone
// (pg_locks no longer shows it), so any replica, or the process after its
// restart, may take the claims back at once: Release turns claims whose
// holder is gone into due work. A process that is alive keeps its lock,
// so its claims are never taken from it, however slow it is; the lease of
// each claim stays as the last resort (a host that vanished without
// closing its sockets: see keepalive below).
//
// If the Holder's own connection fails (PostgreSQL restarted, the network
// broke), its claims may already be taken back by others: Current is 0
// from then on, until a new lock is taken under a new number, and claims
// made meanwhile rely on their lease alone.
package holder

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// lockClass is the first key of every holder's two-key advisory lock
// (0x6b696d62, "kimb"; Live spells it out); the second is the holder's
// number.
const lockClass = 1802071394

// checkEvery is how often the Holder checks its connection and callers
// release the claims of dead holders; pingTimeout is how long a check may
// take before it is written off as slow (never as lost: only an error of
// the connection itself ends the lock).
const (
	checkEvery  = time.Second
	pingTimeout = 5 * time.Second
)

// keepalive makes PostgreSQL notice within about 8 s that the host of a
// holder vanished without closing its socket (power loss, a network cut):
// probes after 5 s idle, then every second, three tries. A killed process
// closes its socket and is noticed at once.
const keepalive = `SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3`

// Holder is this process's lock; the zero value is not usable, use Start.
type Holder struct {
	db   *sqlx.DB
	log  *slog.Logger
	stop context.CancelFunc
	done chan struct{}

	mu   sync.Mutex
	conn *sql.Conn
	id   int64 // 0 while no lock is held
}

// Start takes a lock under a new number and keeps it until Stop, taking
// a new one whenever its connection is lost. When PostgreSQL is away it
// keeps trying every second; meanwhile Current is 0. Stop only once the
// last claim is settled: a process shutting down gracefully still holds
// what it is finishing.
func Start(db *sqlx.DB, log *slog.Logger) *Holder {
	if log == nil {
		log = slog.Default()
	}
	ctx, stop := context.WithCancel(context.Background())
	h := &Holder{db: db, log: log, stop: stop, done: make(chan struct{})}
	if err := h.acquire(ctx); err != nil {
		log.Warn("holder: taking its lock", "err", err)
	}
	go func() { defer close(h.done); h.keep(ctx) }()
	return h
}

// Stop gives the lock up (its claims may be taken back at once) and
// waits until its connection is closed.
func (h *Holder) Stop() {
	h.stop()
	<-h.done
}

// Current is the number to record on a claim, 0 while no lock is held (a
// nil Holder holds none). A claim recorded with 0 (stored as NULL) is
// taken back only when its lease runs out, as before holders existed: it
// is never taken from a process that lost its lock's connection but still
// works on it.
func (h *Holder) Current() int64 {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.id
}

func (h *Holder) acquire(ctx context.Context) error {
	conn, err := h.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("holder: opening its connection: %w", err)
	}
	var id int64
	err = conn.QueryRowContext(ctx, `SELECT nextval('claim_holder_seq')`).Scan(&id)
	if err == nil {
		_, err = conn.ExecContext(ctx, keepalive)
	}
	if err == nil {
		var got bool
		err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockClass, id).Scan(&got)
		if err == nil && !got {
			err = fmt.Errorf("lock %d taken by another session", id) // cannot happen: numbers are never reused
		}
	}
	if err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
		return fmt.Errorf("holder: taking its lock: %w", err)
	}
	h.mu.Lock()
	h.conn, h.id = conn, id
	h.mu.Unlock()
	return nil
}

// keep checks the connection every checkEvery; when it fails the number
// is given up (its claims may be taken back) and a new lock is taken.
// When ctx ends the connection is closed, which ends the lock.
func (h *Holder) keep(ctx context.Context) {
	t := time.NewTicker(checkEvery)
	defer t.Stop()
	defer h.drop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		h.mu.Lock()
		conn := h.conn
		h.mu.Unlock()
		if conn != nil {
			pctx, cancel := context.WithTimeout(ctx, pingTimeout)
			err := conn.PingContext(pctx)
			cancel()
			if err == nil || ctx.Err() != nil {
				continue
			}
			if errors.Is(err, context.DeadlineExceeded) {
				// A slow answer (a loaded machine, a long checkpoint) is not a
				// lost session: the lock stands while the connection does, and
				// giving it up would hand this process's work to others while
				// it still does it.
				h.log.Warn("holder: its connection is slow to answer; keeping the lock", "err", err)
				continue
			}
			h.log.Warn("holder: lost the connection of its lock; claims are taken back and claiming goes on under a new number", "err", err)
			h.drop()
		}
		if err := h.acquire(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("holder: retaking its lock", "err", err)
		}
	}
}

// drop forgets the lock: it unlocks (so others see the number dead at
// once) and discards the connection, which ends the session and with it
// the lock should the unlock not get through.
func (h *Holder) drop() {
	h.mu.Lock()
	conn, id := h.conn, h.id
	h.conn, h.id = nil, 0
	h.mu.Unlock()
	if conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkEvery)
	defer cancel()
	_, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1, $2)`, lockClass, id)
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// Live is a subquery of the numbers of the holders alive in this database:
// a release statement tests claimed_by NOT IN (Live).
const Live = `SELECT objid::bigint FROM pg_locks
WHERE locktype = 'advisory' AND classid = 1802071394 AND objsubid = 2 AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`

// Release runs stmt, a statement that turns the claims of holders not in
// (Live) into due work, at once and then every second until ctx ends.
// Errors are logged; the next round tries again. Due work is made due at
// 'epoch', not now(): the queues compare with the process's clock.
func Release(ctx context.Context, db *sqlx.DB, log *slog.Logger, what, stmt string) {
	t := time.NewTicker(checkEvery)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		res, err := db.ExecContext(rctx, stmt)
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("releasing the claims of dead processes", "queue", what, "err", err)
		case err == nil:
			if n, _ := res.RowsAffected(); n > 0 {
				log.Info("took back the claims of a dead process", "queue", what, "rows", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
