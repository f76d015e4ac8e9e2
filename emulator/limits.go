package emulator

import (
	"fmt"
	"math"
	"net/http"
	"time"
)

// Fault is an error or slowness injected into send* / copyMessage /
// editMessage* calls.
type Fault struct {
	Method      string        // "" = any sending method
	ChatID      int64         // 0 = any chat
	Code        int           // 429, 403, 400, 500, 502 ...; 0 with Delay only = just slow
	Description string        // default per code, like Telegram's
	RetryAfter  int           // seconds, for 429
	Times       int           // how many calls it hits; 0 = until ClearFaults
	Delay       time.Duration // answer after this long (slowness, read timeouts)
	Deliver     bool          // record the message as delivered even though the answer is late or an error
	// Hold, when set, keeps the call waiting (after Delay) until it is
	// closed: a test holds a send in flight exactly as long as it needs,
	// with no guess at how long that is.
	Hold <-chan struct{}
}

// AddFault adds a fault; the first matching fault applies to a call.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = append(s.st.faults, &f)
}

// ClearFaults removes all faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = nil
}

// takeFault returns a copy of the first fault matching the call, counting
// it, or nil.
func (s *Server) takeFault(method string, chatID int64) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.st.faults {
		if (f.Method != "" && f.Method != method) || (f.ChatID != 0 && f.ChatID != chatID) {
			continue
		}
		c := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.st.faults = append(s.st.faults[:i:i], s.st.faults[i+1:]...)
			}
		}
		s.st.stats.InjectedFaults++
		return &c
	}
	return nil
}

// faultError is the API error a fault answers with, or nil for a slow-only fault.
func faultError(f *Fault) *apiError {
	if f == nil || f.Code == 0 {
		return nil
	}
	desc := f.Description
	if desc == "" {
		desc = defaultDescription(f.Code, f.RetryAfter)
	}
	e := &apiError{Code: f.Code, Description: desc}
	if f.Code == http.StatusTooManyRequests {
		e.RetryAfter = max(f.RetryAfter, 1)
		if f.Description == "" {
			e.Description = defaultDescription(f.Code, e.RetryAfter)
		}
	}
	return e
}

func defaultDescription(code, retryAfter int) string {
	switch code {
	case 429:
		return fmt.Sprintf("Too Many Requests: retry after %d", max(retryAfter, 1))
	case 403:
		return "Forbidden: bot was blocked by the user"
	case 400:
		return "Bad Request: chat not found"
	case 401:
		return "Unauthorized"
	case 409:
		return "Conflict: terminated by other getUpdates request"
	}
	if code >= 500 {
		return "Internal Server Error"
	}
	return http.StatusText(code)
}

// stall delays a faulted call by f's Delay and Hold; false if cut short.
func (s *Server) stall(r *http.Request, f *Fault) bool {
	if !s.sleepCtx(r, f.Delay) {
		return false
	}
	if f.Hold == nil {
		return true
	}
	select {
	case <-f.Hold:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}

// sleepCtx waits d or until the request or the server ends; false if cut short.
func (s *Server) sleepCtx(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}

// limitLocked checks Telegram's limits for one more send to cs at now and
// consumes them, or answers 429 with retry_after.
func (s *Server) limitLocked(cs *chatState, now time.Time) *apiError {
	o := s.opts
	s.pruneWindowLocked(now)
	if o.GlobalPerSec > 0 && len(s.st.window) >= o.GlobalPerSec {
		return s.tooManyLocked(s.st.window[0].Add(time.Second).Sub(now))
	}
	if o.PerChatPerSec > 0 {
		elapsed := now.Sub(cs.tokensAt).Seconds()
		if elapsed > 0 {
			cs.tokens = math.Min(float64(o.PerChatBurst), cs.tokens+elapsed*o.PerChatPerSec)
			cs.tokensAt = now
		}
		if cs.tokens < 1 {
			return s.tooManyLocked(time.Duration((1 - cs.tokens) / o.PerChatPerSec * float64(time.Second)))
		}
	}
	if cs.chat.ID < 0 && o.GroupPerMin > 0 {
		i := 0
		for i < len(cs.groupSends) && !cs.groupSends[i].After(now.Add(-time.Minute)) {
			i++
		}
		cs.groupSends = cs.groupSends[i:]
		if len(cs.groupSends) >= o.GroupPerMin {
			return s.tooManyLocked(cs.groupSends[0].Add(time.Minute).Sub(now))
		}
		cs.groupSends = append(cs.groupSends, now)
	}
	if o.PerChatPerSec > 0 {
		cs.tokens--
	}
	return nil
}

func (s *Server) tooManyLocked(wait time.Duration) *apiError {
	s.st.stats.RateLimited++
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	return &apiError{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", secs), RetryAfter: secs}
}

// pruneWindowLocked drops accepted sends older than one second.
func (s *Server) pruneWindowLocked(now time.Time) {
	w := s.st.window
	i := 0
	for i < len(w) && !w[i].After(now.Add(-time.Second)) {
		i++
	}
	s.st.window = w[i:]
}

// countSendLocked records an accepted send for Stats and the global limit.
func (s *Server) countSendLocked(now time.Time) {
	s.st.window = append(s.st.window, now)
	s.st.stats.Sends++
	s.st.stats.MaxPerSecond = max(s.st.stats.MaxPerSecond, len(s.st.window))
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.stats
}

// ResetStats zeroes the counters and forgets the send window.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.stats = Stats{}
	s.st.window = nil
}
