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
// broke) while the process lives, Current is 0 until it has a lock again
// (claims made meanwhile rely on their lease alone), and it takes the lock
// under the number it lost, so the claims it still works on (sends made,
// outcomes not yet written) stay its own. To give it time to, Release
// takes nothing back until the database has served a holder's session for
// settle: right after PostgreSQL comes back every lock is gone, the live
// processes' as well as the dead ones'.
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

// settle is how long some holder's session must have lasted before
// Release takes anything back. After PostgreSQL restarted, or ended every
// session, no lock is held, and a live process needs up to checkEvery (and
// a connection) to take its number back; until settle has passed since
// the first session after that, nobody's lock can be told gone from not
// yet retaken. While a replica keeps its session the database is settled,
// so it still takes a dead process's claims back within about a second; a
// process that starts alone waits settle.
const settle = 5 * time.Second

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

	lost int64 // the number whose connection failed, to take again (keep's own)
}

// Start takes a lock under a new number and keeps it until Stop, taking
// it again, under the same number, whenever its connection is lost. When
// PostgreSQL is away it keeps trying every second; meanwhile Current is
// 0. Stop only once the last claim is settled: a process shutting down
// gracefully still holds what it is finishing.
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

// acquire takes the lock on a connection of its own. Right after an
// outage the pool may hand out connections whose sessions PostgreSQL
// ended: like database/sql, it tries a few before it gives up, so that a
// live process takes its number back as soon as it can (see settle).
func (h *Holder) acquire(ctx context.Context) error {
	var err error
	for range 3 {
		err = h.acquireOn(ctx)
		if !errors.Is(err, driver.ErrBadConn) {
			return err
		}
	}
	return err
}

func (h *Holder) acquireOn(ctx context.Context) error {
	conn, err := h.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("holder: opening its connection: %w", err)
	}
	id, err := h.lock(ctx, conn)
	if err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
		return fmt.Errorf("holder: taking its lock: %w", err)
	}
	h.lost = 0
	h.mu.Lock()
	h.conn, h.id = conn, id
	h.mu.Unlock()
	return nil
}

// lock takes the lock on conn under the number lost with the last
// connection, if any, so that what the process claimed under it stays
// its own, else under a new number.
func (h *Holder) lock(ctx context.Context, conn *sql.Conn) (int64, error) {
	if _, err := conn.ExecContext(ctx, keepalive); err != nil {
		return 0, err
	}
	if h.lost != 0 {
		got, err := tryLock(ctx, conn, h.lost)
		if err == nil && !got {
			// Its old session has not ended yet (a socket only this side
			// saw closed ends within the keepalive's probes): while it
			// holds the number, its claims stay this process's.
			err = fmt.Errorf("its old session still holds number %d", h.lost)
		}
		return h.lost, err
	}
	var id int64
	if err := conn.QueryRowContext(ctx, `SELECT nextval('claim_holder_seq')`).Scan(&id); err != nil {
		return 0, err
	}
	got, err := tryLock(ctx, conn, id)
	if err == nil && !got {
		err = fmt.Errorf("lock %d taken by another session", id) // cannot happen: numbers are never reused
	}
	return id, err
}

func tryLock(ctx context.Context, conn *sql.Conn, id int64) (bool, error) {
	var got bool
	err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockClass, id).Scan(&got)
	return got, err
}

// keep checks the connection every checkEvery; when it fails the lock is
// taken again, under the same number if it can be. When ctx ends the lock
// is given up.
func (h *Holder) keep(ctx context.Context) {
	t := time.NewTicker(checkEvery)
	defer t.Stop()
	defer h.drop(true)
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
			h.log.Warn("holder: lost the connection of its lock; taking it again", "holder", h.Current(), "err", err)
			h.lost = h.drop(false)
		}
		if err := h.acquire(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("holder: retaking its lock", "err", err)
		}
	}
}

// drop forgets the lock and discards its connection, which ends the
// session and with it the lock, and returns the number it held (0 if
// none). Giving the lock up, it first unlocks, so others see the number
// dead at once; after a failed check it does not, as it means to take the
// number again.
func (h *Holder) drop(giveUp bool) int64 {
	h.mu.Lock()
	conn, id := h.conn, h.id
	h.conn, h.id = nil, 0
	h.mu.Unlock()
	if conn == nil {
		return 0
	}
	if giveUp {
		ctx, cancel := context.WithTimeout(context.Background(), checkEvery)
		defer cancel()
		_, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1, $2)`, lockClass, id)
	}
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
	return id
}
