package region

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// ImportStats says what an import changed.
type ImportStats struct {
	Read    int // regions read from the shipped data within the root
	Changed int // rows inserted or updated
}

const sqlCreateImportTable = `
CREATE TEMP TABLE regions_import (
    code text, parent_code text, level smallint, name text, search_name text
) ON COMMIT DROP`

// sqlCopyImport streams rows into regions_import (lib/pq's COPY FROM STDIN).
const sqlCopyImport = `COPY regions_import (code, parent_code, level, name, search_name) FROM STDIN`

// sqlMergeImport upserts only rows that differ, so a repeated import is a
// no-op and existing foreign keys (subscribers' villages) stay valid.
const sqlMergeImport = `
INSERT INTO regions (code, parent_code, level, name, search_name)
SELECT code, NULLIF(parent_code, ''), level, name, search_name FROM regions_import
ON CONFLICT (code) DO UPDATE
SET parent_code = EXCLUDED.parent_code, level = EXCLUDED.level,
    name = EXCLUDED.name, search_name = EXCLUDED.search_name
WHERE (regions.parent_code, regions.level, regions.name, regions.search_name)
    IS DISTINCT FROM (EXCLUDED.parent_code, EXCLUDED.level, EXCLUDED.name, EXCLUDED.search_name)`

// Import loads the shipped regions inside root (all of Indonesia when root
// is empty), plus root's ancestors so names up the chain resolve. It is
// idempotent and runs in one transaction.
func Import(ctx context.Context, db *sqlx.DB, root Code) (ImportStats, error) {
	var stats ImportStats
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("starting region import: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqlCreateImportTable); err != nil {
		return stats, fmt.Errorf("creating import table: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, sqlCopyImport)
	if err != nil {
		return stats, fmt.Errorf("starting copy: %w", err)
	}
	err = readAll(func(r Region) error {
		if !root.Contains(r.Code) && !r.Code.Contains(root) {
			return nil
		}
		stats.Read++
		_, err := stmt.ExecContext(ctx, string(r.Code), string(r.ParentCode), int(r.Level), r.Name, SearchKey(r.Name))
		return err
	})
	if err != nil {
		stmt.Close()
		return stats, fmt.Errorf("copying regions: %w", err)
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return stats, fmt.Errorf("flushing copy: %w", err)
	}
	if err := stmt.Close(); err != nil {
		return stats, fmt.Errorf("closing copy: %w", err)
	}
	res, err := tx.ExecContext(ctx, sqlMergeImport)
	if err != nil {
		return stats, fmt.Errorf("merging regions: %w", err)
	}
	n, _ := res.RowsAffected()
	stats.Changed = int(n)
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("committing region import: %w", err)
	}
	if stats.Changed > 0 {
		// Fresh statistics, so the planner picks the search indexes, and
		// the trigram index's pending list merged (a search otherwise reads
		// its thousands of pending entries one by one: 20 ms instead of 2),
		// now rather than whenever autovacuum gets round to it (databases
		// cloned from the test template never get there).
		if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE) regions"); err != nil {
			return stats, fmt.Errorf("vacuuming regions: %w", err)
		}
	}
	return stats, nil
}
