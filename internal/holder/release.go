package holder

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
)

// Live is a subquery of the numbers of the holders alive in this database:
// a release statement tests claimed_by NOT IN (Live).
const Live = `SELECT objid::bigint FROM pg_locks
WHERE locktype = 'advisory' AND classid = 1802071394 AND objsubid = 2 AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`

// sqlSettled says whether some holder of this database has kept its
// session for $1 seconds: PostgreSQL has not ended every session (a
// restart, an outage) since, so every live process has had the time to
// take its number back. A session of another role whose start PostgreSQL
// does not show counts as young: the claims then wait, never go early.
const sqlSettled = `SELECT EXISTS (
    SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.classid = 1802071394 AND l.objsubid = 2 AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND a.backend_start <= now() - make_interval(secs => $1))`

// Release runs stmt, a statement that turns the claims of holders not in
// (Live) into due work, at once and then every second until ctx ends, but
// only once the database is settled (see settle): a lock missing right
// after PostgreSQL came back may belong to a live process about to take
// it again, whose sends are made and whose outcomes are not yet written.
// Errors are logged; the next round tries again. Due work is made due at
// 'epoch', not now(): the queues compare with the process's clock.
func Release(ctx context.Context, db *sqlx.DB, log *slog.Logger, what, stmt string) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(checkEvery)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		n, err := releaseOnce(rctx, db, stmt)
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("releasing the claims of dead processes", "queue", what, "err", err)
		case n > 0:
			log.Info("took back the claims of a dead process", "queue", what, "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// releaseOnce runs stmt if the database is settled, in the transaction
// that checked it: if PostgreSQL ends the sessions in between, the
// statement fails with them.
func releaseOnce(ctx context.Context, db *sqlx.DB, stmt string) (int64, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var settled bool
	if err := tx.GetContext(ctx, &settled, sqlSettled, settle.Seconds()); err != nil {
		return 0, fmt.Errorf("checking that the holders settled: %w", err)
	}
	if !settled {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, stmt)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}
