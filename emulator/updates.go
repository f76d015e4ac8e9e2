package emulator

import (
	"encoding/json"
	"net/http"
	"time"
)

const (
	maxPollTimeout = 50 * time.Second
	// shortPollHold is how long an empty timeout=0 poll waits anyway, so a
	// client polling without long-poll (go-telegram/bot with a poll timeout
	// under 2 s) does not spin a CPU.
	shortPollHold = 100 * time.Millisecond
)

// getUpdates hands out pending updates. offset confirms every update below
// it; confirmed updates are gone, the others are sent again on every call
// until a later offset confirms them. With no update it long-polls for
// `timeout` seconds. A second concurrent call gets 409.
func (s *Server) getUpdates(r *http.Request, p params) (any, *apiError) {
	offset, _ := p.int64("offset")
	limit, ok := p.int64("limit")
	if !ok || limit <= 0 || limit > 100 {
		limit = 100
	}
	timeoutSec, _ := p.int64("timeout")
	timeout := min(time.Duration(max(timeoutSec, 0))*time.Second, maxPollTimeout)
	if timeout == 0 {
		timeout = shortPollHold
	}

	s.mu.Lock()
	if s.st.webhook.url != "" {
		s.mu.Unlock()
		return nil, &apiError{Code: 409, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if s.st.polling {
		s.mu.Unlock()
		return nil, &apiError{Code: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	}
	if p.has("allowed_updates") {
		s.st.allowed = parseAllowed(p.str("allowed_updates"))
	}
	s.st.polling = true
	s.confirmLocked(offset)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.st.polling = false
		s.mu.Unlock()
	}()

	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		batch := s.takeLocked(s.st.allowed, int(limit))
		wake := s.updatesCh
		s.mu.Unlock()
		if len(batch) > 0 {
			return batch, nil
		}
		select {
		case <-wake:
		case <-deadline.C:
			return []json.RawMessage{}, nil
		case <-r.Context().Done():
			return []json.RawMessage{}, nil
		case <-s.done:
			return []json.RawMessage{}, nil
		}
	}
}

// takeLocked returns up to limit pending updates of the allowed kinds,
// dropping the pending updates of other kinds (Telegram never sends them).
func (s *Server) takeLocked(allowed map[string]bool, limit int) []json.RawMessage {
	out := make([]json.RawMessage, 0, min(limit, len(s.st.queue)))
	kept := s.st.queue[:0]
	for _, q := range s.st.queue {
		if allowed != nil && !allowed[q.kind] {
			continue
		}
		kept = append(kept, q)
		if len(out) < limit {
			out = append(out, q.raw)
		}
	}
	clear(s.st.queue[len(kept):])
	s.st.queue = kept
	return out
}

// confirmLocked forgets every update below offset. A negative offset keeps
// only the last -offset updates, like Telegram.
func (s *Server) confirmLocked(offset int64) {
	q := s.st.queue
	n := 0
	switch {
	case offset > 0:
		for n < len(q) && q[n].id < offset {
			n++
		}
		s.st.acked = max(s.st.acked, min(offset-1, s.st.nextUpdate))
	case offset < 0:
		n = max(len(q)+int(offset), 0)
		if n > 0 {
			s.st.acked = max(s.st.acked, q[n-1].id)
		}
	}
	if n == 0 {
		return
	}
	clear(q[:n])
	s.st.queue = q[n:]
}

// parseAllowed decodes allowed_updates; an empty list means the default.
func parseAllowed(raw string) map[string]bool {
	var kinds []string
	if err := json.Unmarshal([]byte(raw), &kinds); err != nil || len(kinds) == 0 {
		return nil
	}
	m := make(map[string]bool, len(kinds))
	for _, k := range kinds {
		m[k] = true
	}
	return m
}

// AckedUpdateID is the highest update_id confirmed by a getUpdates offset
// or by a 2xx webhook answer.
func (s *Server) AckedUpdateID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.acked
}

// PendingUpdates is the number of injected updates not yet confirmed.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.queue)
}
