package emulator

import (
	"strconv"
	"testing"
	"time"
)

// Messages returns the bot's messages in chatID in order, with edits
// applied in place (deleted messages are gone).
func (s *Server) Messages(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(chatID, func(*Sent) bool { return true })
}

// messagesLocked copies the messages of chatID that keep returns true for.
// Buttons are replaced, never changed in place, so a shallow copy is safe.
func (s *Server) messagesLocked(chatID int64, keep func(*Sent) bool) []Sent {
	cs, ok := s.st.chats[chatID]
	if !ok {
		return nil
	}
	out := make([]Sent, 0, len(cs.sent))
	for _, m := range cs.sent {
		if keep(m) {
			out = append(out, *m)
		}
	}
	return out
}

// waitChange calls check under the lock until it returns true or timeout
// passes; it reports whether check succeeded.
func (s *Server) waitChange(timeout time.Duration, check func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := check()
		wake := s.changedCh
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-wake:
		case <-deadline.C:
			return false
		case <-s.done:
			return false
		}
	}
}

// WaitMessages waits until chatID holds at least n bot messages and returns
// all of them; it fails t if fewer arrive within timeout.
func (s *Server) WaitMessages(t testing.TB, chatID int64, n int, timeout time.Duration) []Sent {
	t.Helper()
	var got []Sent
	ok := s.waitChange(timeout, func() bool {
		got = s.messagesLocked(chatID, func(*Sent) bool { return true })
		return len(got) >= n
	})
	if !ok {
		t.Fatalf("emulator: chat %d: want at least %d bot messages within %v, got %d: %s", chatID, n, timeout, len(got), describe(got))
	}
	return got
}

// WaitFor returns the first bot message in chatID (in its current state,
// edits included) that match accepts; it fails t on timeout. match runs
// with the emulator locked: it must not call the emulator (Messages,
// Stats…), or it deadlocks.
func (s *Server) WaitFor(t testing.TB, chatID int64, timeout time.Duration, match func(Sent) bool) Sent {
	t.Helper()
	var found Sent
	var all []Sent
	ok := s.waitChange(timeout, func() bool {
		all = s.messagesLocked(chatID, func(*Sent) bool { return true })
		for _, m := range all {
			if match(m) {
				found = m
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("emulator: chat %d: no matching bot message within %v; messages: %s", chatID, timeout, describe(all))
	}
	return found
}

// describe summarises messages for a failure message.
func describe(ms []Sent) string {
	if len(ms) == 0 {
		return "none"
	}
	out := ""
	for _, m := range ms {
		text := m.Text
		if r := []rune(text); len(r) > 60 {
			text = string(r[:60]) + "…"
		}
		out += "\n  #" + strconv.Itoa(m.MessageID) + " " + m.Method + ": " + text
		for _, row := range m.Buttons {
			for _, b := range row {
				out += " [" + b.Text + "]"
			}
		}
	}
	return out
}
