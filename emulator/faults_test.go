package emulator

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFaultKinds(t *testing.T) {
	cases := []struct {
		fault    Fault
		code     int
		desc     string
		retryAft int
	}{
		{Fault{Code: 429, RetryAfter: 7}, 429, "Too Many Requests: retry after 7", 7},
		{Fault{Code: 403}, 403, "Forbidden: bot was blocked by the user", 0},
		{Fault{Code: 400}, 400, "Bad Request: chat not found", 0},
		{Fault{Code: 500}, 500, "Internal Server Error", 0},
		{Fault{Code: 502, Description: "Bad Gateway"}, 502, "Bad Gateway", 0},
		{Fault{Code: 403, Description: "Forbidden: user is deactivated"}, 403, "user is deactivated", 0},
	}
	for _, c := range cases {
		t.Run(strconv.Itoa(c.code)+c.desc, func(t *testing.T) {
			s := NewTestServer(t, Options{Unlimited: true})
			s.SendText(budi, "hai")
			c.fault.Times = 2
			s.AddFault(c.fault)
			for range 2 {
				r := send(t, s, budi.ID)
				wantError(t, r, c.code, c.desc)
				if r.Parameters.RetryAfter != c.retryAft {
					t.Fatalf("retry_after = %d", r.Parameters.RetryAfter)
				}
			}
			mustOK(t, send(t, s, budi.ID), nil) // Times used up
			if st := s.Stats(); st.InjectedFaults != 2 || st.RateLimited != 0 || st.Sends != 1 {
				t.Fatalf("stats = %+v", st)
			}
		})
	}
}

func TestFaultMatchesMethodAndChatUntilCleared(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	ani := User{ID: 1002, FirstName: "Ani"}
	s.SendText(budi, "hai")
	s.SendText(ani, "hai")
	s.AddFault(Fault{Method: "sendMessage", ChatID: ani.ID, Code: 500})
	mustOK(t, send(t, s, budi.ID), nil)
	for range 3 {
		wantError(t, send(t, s, ani.ID), 500, "")
	}
	mustOK(t, call(t, s, "sendPhoto", map[string]string{"chat_id": "1002", "photo": "AgACfile"}), nil)
	s.AddFault(Fault{Method: "editMessageText", Code: 400, Description: "Bad Request: message can't be edited"})
	wantError(t, call(t, s, "editMessageText", map[string]string{"chat_id": "1001", "message_id": "2", "text": "baru"}), 400, "can't be edited")
	s.ClearFaults()
	mustOK(t, send(t, s, ani.ID), nil)
	mustOK(t, call(t, s, "editMessageText", map[string]string{"chat_id": "1001", "message_id": "2", "text": "baru"}), nil)
}

// post sends one message with a client timeout, like a bot with a short
// HTTP timeout would.
func postWithTimeout(s *Server, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot1:T/sendMessage", strings.NewReader("chat_id=1001&text=halo"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func TestSlowFaults(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	s.SendText(budi, "hai")

	// slow: the client gives up first, nothing is delivered
	s.AddFault(Fault{Delay: 500 * time.Millisecond, Times: 1})
	if err := postWithTimeout(s, 50*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow send: %v", err)
	}
	time.Sleep(600 * time.Millisecond)
	if n := len(s.Messages(budi.ID)); n != 0 {
		t.Fatalf("slow, undelivered send recorded %d messages", n)
	}

	// slow but delivered: the client times out, yet the message arrived
	s.AddFault(Fault{Delay: 500 * time.Millisecond, Deliver: true, Times: 1})
	if err := postWithTimeout(s, 50*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow delivered send: %v", err)
	}
	if n := len(s.Messages(budi.ID)); n != 1 {
		t.Fatalf("slow-but-delivered send recorded %d messages", n)
	}

	// slow, then answered normally when the client waits long enough
	s.AddFault(Fault{Delay: 100 * time.Millisecond, Times: 1})
	start := time.Now()
	mustOK(t, send(t, s, budi.ID), nil)
	if time.Since(start) < 100*time.Millisecond {
		t.Fatal("slow fault answered early")
	}

	// delivered but answered with an error: the uncertain case
	s.AddFault(Fault{Code: 500, Deliver: true, Times: 1})
	wantError(t, send(t, s, budi.ID), 500, "")
	if n := len(s.Messages(budi.ID)); n != 3 {
		t.Fatalf("%d messages, want 3", n)
	}
	if st := s.Stats(); st.InjectedFaults != 4 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestHeldFaultAnswersWhenReleased(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	s.SendText(budi, "hai")
	hold := make(chan struct{})
	s.AddFault(Fault{Hold: hold, Times: 1})
	answered := make(chan reply, 1)
	go func() { answered <- send(t, s, budi.ID) }()
	select {
	case <-answered:
		t.Fatal("a held send answered before its release")
	case <-time.After(100 * time.Millisecond):
	}
	if n := len(s.Messages(budi.ID)); n != 0 {
		t.Fatalf("a held send recorded %d messages", n)
	}
	close(hold)
	mustOK(t, <-answered, nil)
	if n := len(s.Messages(budi.ID)); n != 1 {
		t.Fatalf("%d messages after the release, want 1", n)
	}
}
