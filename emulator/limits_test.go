package emulator

import (
	"strconv"
	"testing"
	"time"
)

func send(t testing.TB, s *Server, chatID int64) reply {
	t.Helper()
	return call(t, s, "sendMessage", map[string]string{"chat_id": strconv.FormatInt(chatID, 10), "text": "halo"})
}

func TestPerChatLimitAllowsABurstThenOnePerSecond(t *testing.T) {
	clock := newFakeClock()
	s := NewTestServer(t, Options{Clock: clock.Now})
	s.SendText(budi, "/start")
	for i := range 3 {
		mustOK(t, send(t, s, budi.ID), nil)
		_ = i
	}
	r := send(t, s, budi.ID)
	wantError(t, r, 429, "Too Many Requests: retry after 1")
	if r.Parameters.RetryAfter != 1 {
		t.Fatalf("retry_after = %d", r.Parameters.RetryAfter)
	}
	clock.Advance(time.Second)
	mustOK(t, send(t, s, budi.ID), nil)
	wantError(t, send(t, s, budi.ID), 429, "")
	st := s.Stats()
	if st.Sends != 4 || st.RateLimited != 2 || st.InjectedFaults != 0 {
		t.Fatalf("stats = %+v", st)
	}
	if n := len(s.Messages(budi.ID)); n != 4 {
		t.Fatalf("%d messages recorded, want 4 (429s record nothing)", n)
	}
}

func TestGlobalLimitIsPerSlidingSecond(t *testing.T) {
	clock := newFakeClock()
	s := NewTestServer(t, Options{Clock: clock.Now, GlobalPerSec: 5, AnyChat: true})
	for i := range 5 {
		mustOK(t, send(t, s, int64(2000+i)), nil)
	}
	clock.Advance(400 * time.Millisecond)
	r := send(t, s, 3000)
	wantError(t, r, 429, "")
	if r.Parameters.RetryAfter != 1 {
		t.Fatalf("retry_after = %d", r.Parameters.RetryAfter)
	}
	clock.Advance(700 * time.Millisecond) // the first five are now older than a second
	mustOK(t, send(t, s, 3000), nil)
	if st := s.Stats(); st.RateLimited != 1 || st.MaxPerSecond != 5 || st.Sends != 6 {
		t.Fatalf("stats = %+v", st)
	}
	s.ResetStats()
	if st := s.Stats(); st != (Stats{}) {
		t.Fatalf("after reset: %+v", st)
	}
}

func TestGroupLimitIsPerMinute(t *testing.T) {
	clock := newFakeClock()
	s := NewTestServer(t, Options{Clock: clock.Now, GroupPerMin: 3})
	group := Chat{ID: -5005, Type: "group", Title: "RW"}
	s.AddBotToGroup(group, budi)
	for range 3 {
		mustOK(t, send(t, s, group.ID), nil)
		clock.Advance(2 * time.Second) // keep under the per-chat limit
	}
	r := send(t, s, group.ID)
	wantError(t, r, 429, "")
	if r.Parameters.RetryAfter != 54 {
		t.Fatalf("retry_after = %d, want 54 (first send 54 s from leaving the minute)", r.Parameters.RetryAfter)
	}
	clock.Advance(54 * time.Second)
	mustOK(t, send(t, s, group.ID), nil)
	if st := s.Stats(); st.RateLimited != 1 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestUnlimitedAndDisabledLimits(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	s.SendText(budi, "hai")
	for range 50 {
		mustOK(t, send(t, s, budi.ID), nil)
	}
	s2 := NewTestServer(t, Options{GlobalPerSec: -1, PerChatPerSec: -1})
	s2.RegisterUser(budi)
	for range 40 {
		mustOK(t, send(t, s2, budi.ID), nil)
	}
	if st := s2.Stats(); st.RateLimited != 0 || st.MaxPerSecond < 40 {
		t.Fatalf("stats = %+v", st)
	}
}
