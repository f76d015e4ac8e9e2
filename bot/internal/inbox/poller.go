package inbox

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// AllowedUpdates are the update types kimbot handles; asking only for
// these also keeps unknown polymorphic types away.
var AllowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member"}

// runPoller long-polls getUpdates while this replica holds the poller lock,
// storing every batch in the inbox before confirming it with the next
// offset. Other replicas wait for the lock and take over when the holder's
// connection dies.
func (in *Inbox) runPoller(ctx context.Context) {
	client := &http.Client{Timeout: in.cfg.PollTimeout + 15*time.Second}
	for ctx.Err() == nil {
		conn, err := in.acquirePollerLock(ctx)
		if err != nil {
			if ctx.Err() == nil {
				in.log.Error("taking the poller lock", "err", err)
				sleep(ctx, time.Second)
			}
			continue
		}
		in.log.Info("polling Telegram for updates")
		in.pollAsLeader(ctx, conn, client)
		in.releasePollerLock(conn)
	}
}

// pollerLockKey is the advisory lock key of this bot's poller (per bot id,
// so two bots may share a database).
func (in *Inbox) pollerLockKey() int64 {
	h := fnv.New64a()
	botID, _, _ := strings.Cut(in.cfg.Token, ":")
	h.Write([]byte("kimbot-poller:" + botID))
	return int64(h.Sum64())
}

// acquirePollerLock waits until this replica holds the lock, on a
// connection of its own (a session lock lives as long as the connection).
func (in *Inbox) acquirePollerLock(ctx context.Context) (*sql.Conn, error) {
	for {
		conn, err := in.db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("opening the poller connection: %w", err)
		}
		var got bool
		err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", in.pollerLockKey()).Scan(&got)
		if err == nil && got {
			return conn, nil
		}
		conn.Close()
		if err != nil {
			return nil, fmt.Errorf("trying the poller lock: %w", err)
		}
		if !sleep(ctx, time.Second) {
			return nil, ctx.Err()
		}
	}
}

// releasePollerLock unlocks; if that fails the connection is discarded,
// which ends its session and the lock with it.
func (in *Inbox) releasePollerLock(conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", in.pollerLockKey()); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	conn.Close()
}

// pollAsLeader polls until ctx ends or the lock's connection is lost.
func (in *Inbox) pollAsLeader(ctx context.Context, conn *sql.Conn, client *http.Client) {
	var offset int64
	lastCheck := time.Now()
	failures := 0
	for ctx.Err() == nil {
		if time.Since(lastCheck) > 5*time.Second {
			if err := conn.PingContext(ctx); err != nil {
				in.log.Warn("lost the poller lock's connection", "err", err)
				return
			}
			lastCheck = time.Now()
		}
		next, err := in.pollOnce(ctx, client, offset)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			in.logPollError(err, failures)
			sleep(ctx, pollBackoff(err, failures))
			continue
		}
		offset, failures = next, 0
	}
}

// pollOnce fetches one batch, stores it, and returns the offset that
// confirms it. The offset only moves once the batch is durable.
func (in *Inbox) pollOnce(ctx context.Context, client *http.Client, offset int64) (int64, error) {
	raws, err := in.getUpdates(ctx, client, offset)
	if err != nil {
		return offset, err
	}
	updates := make([]rawUpdate, 0, len(raws))
	next := offset
	for _, raw := range raws {
		u, ok := parseRawUpdate(raw)
		if !ok {
			in.log.Error("skipping an update without a readable update_id")
			continue
		}
		updates = append(updates, u)
		next = max(next, u.ID+1)
	}
	if err := in.q.store(context.WithoutCancel(ctx), updates); err != nil {
		return offset, err
	}
	if len(updates) > 0 {
		in.poke()
	}
	return next, nil
}

// apiError is an error answer of the Bot API.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
}

func (e *apiError) Error() string {
	return fmt.Sprintf("telegram %d: %s", e.Code, e.Description)
}

// getUpdates calls the method itself (the library has no exported
// getUpdates) and keeps each update as raw JSON: one update the library
// cannot decode must not stall polling.
func (in *Inbox) getUpdates(ctx context.Context, client *http.Client, offset int64) ([]json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"offset": offset, "timeout": int(in.cfg.PollTimeout.Seconds()),
		"allowed_updates": AllowedUpdates})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, in.cfg.APIURL+"/bot"+in.cfg.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("building getUpdates request") // the URL holds the token: never wrap it
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", redactURLError(err))
	}
	defer resp.Body.Close()
	var out struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("decoding getUpdates answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if !out.OK {
		return nil, &apiError{Code: out.ErrorCode, Description: out.Description, RetryAfter: out.Parameters.RetryAfter}
	}
	return out.Result, nil
}

// redactURLError drops the request URL (it holds the token) from err.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

func (in *Inbox) logPollError(err error, failures int) {
	var ae *apiError
	if errors.As(err, &ae) && ae.Code == http.StatusConflict {
		in.log.Debug("getUpdates conflict (another poll still open)", "err", err)
		return
	}
	if failures == 1 || failures%10 == 0 {
		in.log.Warn("polling Telegram", "err", err, "failures", failures)
	}
}

// pollBackoff waits longer after repeated failures, as told by a 429, and
// long after 401 (a revoked token will not heal quickly).
func pollBackoff(err error, failures int) time.Duration {
	var ae *apiError
	if errors.As(err, &ae) {
		switch {
		case ae.RetryAfter > 0:
			return time.Duration(ae.RetryAfter) * time.Second
		case ae.Code == http.StatusUnauthorized:
			return 30 * time.Second
		case ae.Code == http.StatusConflict:
			return time.Second
		}
	}
	return min(time.Duration(failures)*500*time.Millisecond, 5*time.Second)
}

// sleep waits d or until ctx ends; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
