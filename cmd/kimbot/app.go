package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/internal/redisconn"
	"github.com/kimbot/kimbot/message"
)

// cliApp is what every subcommand gets: the validated config, open
// connections (when the command needs them) and where to write.
type cliApp struct {
	cfg    Config
	db     *sqlx.DB
	rdb    *redis.Client
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	clock  message.Clock
	logger *slog.Logger
}

// command is one subcommand of the kimbot binary.
type command struct {
	summary string
	needsDB bool
	// needsRedis opens Redis too; commands that merely can use it tolerate
	// its absence themselves.
	needsRedis bool
	// waitForDB retries the first connection for a while (serve under
	// docker compose starts next to a PostgreSQL that is still booting).
	waitForDB bool
	run       func(ctx context.Context, app *cliApp, args []string) error
	// unattended commands log for a collector (JSON, info); the others for
	// a person at a terminal (newLogger).
	unattended bool
}

func commands() map[string]command {
	return map[string]command{
		"serve":       {"run the bot, dispatcher, delivery workers and HTTP endpoints", true, true, true, runServe, true},
		"migrate":     {"apply database migrations", true, false, false, runMigrate, false},
		"regions":     {"regions import [--root CODE] | boundaries import FILE.geojson --code-property NAME: load Indonesia's regions, or an office's kelurahan boundaries", true, false, false, runRegions, false},
		"qr":          {"qr --region CODE --out DIR: poster QR codes of the deep link", true, false, false, runQR, false},
		"emulator":    {"emulator [--addr 127.0.0.1:8081] [--chat]: the built-in Bot API emulator", false, false, false, runEmulator, false},
		"operator":    {"operator add --telegram-id N --region CODE | list [--region CODE] | invite --region CODE [--role operator|moderator]", true, false, false, runOperator, false},
		"moderator":   {"moderator add --telegram-id N --region CODE [--group-chat-id N]", true, false, false, runModerator, false},
		"kim":         {"kim add|list|show|edit|import: the KIM registry", true, false, false, runKIM, false},
		"broadcast":   {"broadcast create|list|show|pause|resume|cancel|report", true, false, false, runBroadcast, false},
		"healthcheck": {"exit 0 when the local `kimbot serve` is ready (for container health checks)", false, false, false, runHealthcheck, false},
		"aspirations": {"aspirations list|answer|recap", true, true, false, runAspirations, false},
		"subscribers": {"subscribers list [--region CODE] [--format table|xlsx] [--out FILE]: subscribers per kelurahan/desa", true, false, false, runSubscribers, false},
		"web":         {"web link --telegram-id N: a one-time sign-in link to the web console, on stdout", true, false, false, runWeb, false},
	}
}

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kimbot: unknown command %q (try `kimbot help`)\n", args[0])
		return 2
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "kimbot: %s\n", strings.ReplaceAll(err.Error(), "\n", "; "))
		return 2
	}
	app := &cliApp{cfg: cfg, stdin: stdin, stdout: stdout, stderr: stderr, clock: message.SystemClock{},
		logger: newLogger(cfg, cmd, stderr)}
	redisconn.RouteLogs(app.logger)
	defer app.close()
	if err := app.open(ctx, cmd); err != nil {
		fmt.Fprintf(stderr, "kimbot: %v\n", err)
		return 1
	}
	if err := cmd.run(ctx, app, args[1:]); err != nil {
		fmt.Fprintf(stderr, "kimbot %s: %v\n", args[0], err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

// newLogger logs to w (stderr). An unattended command (serve) writes JSON
// lines from info up, for a log collector. The commands a person runs at a
// terminal write slog's key=value text, and only warnings and errors:
// their result goes to stdout, and info lines such as "aspiration
// answered" after it only repeat it. LOG_FORMAT and LOG_LEVEL, when set,
// override either default (LOG_LEVEL=info shows a command's info lines).
func newLogger(cfg Config, cmd command, w io.Writer) *slog.Logger {
	format, level := "text", slog.LevelWarn
	if cmd.unattended {
		format, level = "json", slog.LevelInfo
	}
	if cfg.LogFormat != "" {
		format = cfg.LogFormat
	}
	if cfg.LogLevelSet {
		level = cfg.LogLevel
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// usageError marks bad input (exit code 2) as opposed to a failure while
// doing the work (exit code 1).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: kimbot <command> [flags]")
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, cmds[n].summary)
	}
}

func (a *cliApp) open(ctx context.Context, cmd command) error {
	if cmd.needsDB {
		db, err := openDB(ctx, a.cfg.DatabaseURL, cmd.waitForDB)
		if err != nil {
			return err
		}
		a.db = db
	}
	if cmd.needsRedis {
		rdb, err := redisconn.New(a.cfg.RedisURL) // short deadlines: a hung Redis must not hold updates
		if err != nil {
			return fmt.Errorf("REDIS_URL: %w", err)
		}
		a.rdb = rdb
	}
	return nil
}

func (a *cliApp) close() {
	if a.rdb != nil {
		a.rdb.Close()
	}
	if a.db != nil {
		a.db.Close()
	}
}

// openDB connects and waits briefly for PostgreSQL, which may still be
// starting next to us under docker compose.
func openDB(ctx context.Context, dsn string, wait bool) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if err := createDatabaseIfMissing(ctx, db, dsn); err != nil {
		db.Close()
		return nil, err
	}
	db.SetMaxOpenConns(30)
	db.SetMaxIdleConns(30)
	db.SetConnMaxIdleTime(5 * time.Minute)
	tries := 1
	if wait {
		tries = 15
	}
	var pingErr error
	for i := 0; i < tries; i++ {
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		pingErr = db.PingContext(pctx)
		cancel()
		if pingErr == nil || ctx.Err() != nil || i == tries-1 {
			break
		}
		time.Sleep(2 * time.Second)
	}
	if pingErr != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at DATABASE_URL: %w", pingErr)
	}
	return db, nil
}

// createDatabaseIfMissing creates DATABASE_URL's database when the server
// answers but the database does not exist yet, so a first `kimbot migrate`
// on a fresh PostgreSQL just works.
func createDatabaseIfMissing(ctx context.Context, db *sqlx.DB, dsn string) error {
	err := db.PingContext(ctx)
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != "3D000" { // invalid_catalog_name
		return nil
	}
	u, perr := url.Parse(dsn)
	if perr != nil {
		return nil
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin, err := sqlx.Open("postgres", u.String())
	if err != nil {
		return nil
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		return fmt.Errorf("database %q does not exist and could not be created: %w", name, err)
	}
	return nil
}
