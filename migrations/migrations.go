// Package migrations holds kimbot's database schema as numbered SQL files,
// embedded in the binary and applied with pressly/goose.
//
// Files are append-only: never edit one that has shipped, add a new number.
// Each package owns the files for its tables (see the comment at the top of
// every file).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var files embed.FS

// FS exposes the embedded migration files, for tools that fingerprint the
// schema (the test template cache).
func FS() embed.FS { return files }

// Up applies every pending migration. A PostgreSQL session lock makes it
// safe to run from several replicas starting at once.
func Up(ctx context.Context, db *sql.DB) (applied int, err error) {
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return len(results), fmt.Errorf("applying migrations: %w", err)
	}
	return len(results), nil
}

// UpTo applies the pending migrations up to and including version, for
// tests that fill an older schema and then migrate it.
func UpTo(ctx context.Context, db *sql.DB, version int64) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("applying migrations up to %d: %w", version, err)
	}
	return nil
}

// DownTo rolls back the applied migrations above version, for tests that
// check a migration's Down keeps the data.
func DownTo(ctx context.Context, db *sql.DB, version int64) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("rolling back migrations to %d: %w", version, err)
	}
	return nil
}

func provider(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("creating migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, files, goose.WithSessionLocker(locker))
	if err != nil {
		return nil, fmt.Errorf("loading migrations: %w", err)
	}
	return p, nil
}
