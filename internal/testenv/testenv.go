// Package testenv gives tests real PostgreSQL databases and Redis key
// prefixes of their own.
//
// Every DB call clones a template database that already holds the whole
// schema and every Indonesian region, so a test starts in about a tenth of
// a second and never inherits another test's rows. The template is built
// once per schema fingerprint, under an advisory lock, so test binaries
// running in parallel share it.
package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/internal/redisconn"
	"github.com/kimbot/kimbot/migrations"
	"github.com/kimbot/kimbot/region"
)

const (
	defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedisURL    = "redis://127.0.0.1:6379/0"
	templateLockID     = 7314221
)

// DatabaseURL is the server the tests use: DATABASE_URL or the local default.
func DatabaseURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return defaultDatabaseURL
}

// RedisURL is the Redis the tests use: REDIS_URL or the local default.
func RedisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return defaultRedisURL
}

// DB returns a fresh migrated database with all regions imported, dropped
// when the test ends.
func DB(t testing.TB) *sqlx.DB {
	t.Helper()
	db, _ := DBWithURL(t)
	return db
}

// DBWithURL is DB plus the database's URL, for tests that start kimbot as a
// subprocess against the same database.
func DBWithURL(t testing.TB) (*sqlx.DB, string) {
	t.Helper()
	admin := openAdmin(t)
	defer admin.Close()
	tpl, err := ensureTemplate(context.Background(), admin)
	if err != nil {
		t.Fatalf("preparing template database: %v", err)
	}
	return newDB(t, admin, "TEMPLATE "+tpl)
}

// EmptyDB returns a database with no schema at all, dropped when the test
// ends: for migration tests that fill an older schema first.
func EmptyDB(t testing.TB) *sqlx.DB {
	t.Helper()
	admin := openAdmin(t)
	defer admin.Close()
	db, _ := newDB(t, admin, "")
	return db
}

// newDB creates a database with the CREATE DATABASE options given.
func newDB(t testing.TB, admin *sqlx.DB, options string) (*sqlx.DB, string) {
	t.Helper()
	name := "kimbot_t_" + randomHex(6)
	if _, err := admin.ExecContext(context.Background(), fmt.Sprintf("CREATE DATABASE %s %s", name, options)); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	dbURL := withDatabase(DatabaseURL(), name)
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatalf("opening test database: %v", err)
	}
	db.SetMaxOpenConns(20)
	t.Cleanup(func() {
		db.Close()
		dropDatabase(t, name)
	})
	return db, dbURL
}

// Redis returns a client and a key prefix that is this test's alone; keys
// under the prefix are deleted when the test ends.
func Redis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	opts, err := redisconn.Options(RedisURL()) // kimbot's deadlines, as serve has them
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opts)
	ctx := context.Background()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("redis at %s does not answer: %v (run the tests with `make test`)", opts.Addr, err)
	}
	prefix := "test:" + randomHex(6) + ":"
	t.Cleanup(func() {
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		rdb.Close()
	})
	return rdb, prefix
}

// KeysUnderPrefix fails the test when a Redis key that mentions prefix
// anywhere does not start with it (a library that put its own prefix in
// front, say), and returns the keys that do, for the test to check its
// activity left some.
func KeysUnderPrefix(t testing.TB, rdb *redis.Client, prefix string) []string {
	t.Helper()
	ctx := context.Background()
	var under []string
	iter := rdb.Scan(ctx, 0, "*"+prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		if !strings.HasPrefix(iter.Val(), prefix) {
			t.Errorf("redis key %q is not under the prefix %q", iter.Val(), prefix)
			continue
		}
		under = append(under, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("scanning redis keys: %v", err)
	}
	return under
}

func openAdmin(t testing.TB) *sqlx.DB {
	t.Helper()
	admin, err := sqlx.Open("postgres", DatabaseURL())
	if err != nil {
		t.Fatalf("opening %s: %v", redact(DatabaseURL()), err)
	}
	admin.SetMaxOpenConns(1) // the advisory lock must stay on one session
	if err := admin.Ping(); err != nil {
		t.Fatalf("postgres at %s does not answer: %v (run the tests with `make test`)", redact(DatabaseURL()), err)
	}
	return admin
}

// ensureTemplate builds the template for the current schema fingerprint if
// no test binary has done so yet, and returns its name.
func ensureTemplate(ctx context.Context, admin *sqlx.DB) (string, error) {
	name := "kimbot_tpl_" + fingerprint()
	if _, err := admin.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLockID); err != nil {
		return "", fmt.Errorf("taking template lock: %w", err)
	}
	defer admin.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", templateLockID)

	var exists bool
	if err := admin.GetContext(ctx, &exists, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name); err != nil {
		return "", fmt.Errorf("looking for template: %w", err)
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", fmt.Errorf("creating template: %w", err)
	}
	if err := fillTemplate(ctx, withDatabase(DatabaseURL(), building)); err != nil {
		return "", err
	}
	// Renaming last means a template that exists is always complete.
	if _, err := admin.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", fmt.Errorf("publishing template: %w", err)
	}
	return name, nil
}

func fillTemplate(ctx context.Context, dbURL string) error {
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		return err
	}
	if _, err := region.Import(ctx, db, ""); err != nil {
		return fmt.Errorf("importing regions into template: %w", err)
	}
	return nil
}

// fingerprint changes whenever a migration or the region data changes, so a
// stale template is never reused.
func fingerprint() string {
	h := sha256.New()
	fs.WalkDir(migrations.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS(), path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	h.Write([]byte(region.DataVersion))
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func dropDatabase(t testing.TB, name string) {
	admin, err := sqlx.Open("postgres", DatabaseURL())
	if err != nil {
		t.Logf("dropping %s: %v", name, err)
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Logf("dropping %s: %v", name, err)
	}
}

func withDatabase(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	u.Path = "/" + name
	return u.String()
}

func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "DATABASE_URL"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
