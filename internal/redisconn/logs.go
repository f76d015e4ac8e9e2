package redisconn

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// LogEvery is how often one kind of go-redis log line is written: a Redis
// that is away makes the pool log each failed dial, several times a
// second, and a log collector needs to hear it once a minute.
const LogEvery = time.Minute

// RouteLogs sends go-redis's log lines (failed dials, pool trouble) to
// logger as warnings with component=redis instead of the library's own
// unstructured stderr lines, at most one line of each kind (the library's
// format string) per LogEvery; the next one says how many were left out
// (repeats). go-redis has one logger for the process, so the last call
// wins.
func RouteLogs(logger *slog.Logger) {
	redis.SetLogger(newSlogAdapter(logger, time.Now))
}

type slogAdapter struct {
	log *slog.Logger
	now func() time.Time

	mu   sync.Mutex
	seen map[string]*logKind
}

type logKind struct {
	last    time.Time
	skipped int
}

func newSlogAdapter(logger *slog.Logger, now func() time.Time) *slogAdapter {
	return &slogAdapter{log: logger, now: now, seen: map[string]*logKind{}}
}

// maxKinds bounds the memory of what was logged (format strings are the
// library's constants, so it is never reached in practice).
const maxKinds = 256

// Printf implements go-redis's internal logging interface.
func (a *slogAdapter) Printf(ctx context.Context, format string, v ...any) {
	now := a.now()
	a.mu.Lock()
	k := a.seen[format]
	if k != nil && now.Sub(k.last) < LogEvery {
		k.skipped++
		a.mu.Unlock()
		return
	}
	if k == nil {
		if len(a.seen) >= maxKinds {
			a.seen = map[string]*logKind{}
		}
		k = &logKind{}
		a.seen[format] = k
	}
	skipped := k.skipped
	k.last, k.skipped = now, 0
	a.mu.Unlock()
	a.log.WarnContext(ctx, fmt.Sprintf(format, v...), "component", "redis", "repeats", skipped)
}
