package emulator

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the limit tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// reply is a decoded Bot API answer.
type reply struct {
	Status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts a multipart form, like go-telegram/bot does.
func call(t testing.TB, s *Server, method string, fields map[string]string) reply {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return do(t, s, method, mw.FormDataContentType(), &body)
}

// callForm posts an urlencoded form.
func callForm(t testing.TB, s *Server, method string, fields map[string]string) reply {
	t.Helper()
	v := url.Values{}
	for k, x := range fields {
		v.Set(k, x)
	}
	return do(t, s, method, "application/x-www-form-urlencoded", bytes.NewBufferString(v.Encode()))
}

func do(t testing.TB, s *Server, method, contentType string, body *bytes.Buffer) reply {
	t.Helper()
	resp, err := http.Post(s.URL()+"/bot123:TEST/"+method, contentType, body)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	var r reply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("%s: decoding answer: %v", method, err)
	}
	r.Status = resp.StatusCode
	return r
}

// mustOK fails unless the call succeeded and decodes its result into v.
func mustOK(t testing.TB, r reply, v any) {
	t.Helper()
	if !r.OK {
		t.Fatalf("call failed: %d %s", r.ErrorCode, r.Description)
	}
	if v != nil {
		if err := json.Unmarshal(r.Result, v); err != nil {
			t.Fatalf("decoding result %s: %v", r.Result, err)
		}
	}
}

func wantError(t testing.TB, r reply, code int, desc string) {
	t.Helper()
	if r.OK || r.ErrorCode != code || r.Status != code || (desc != "" && !bytes.Contains([]byte(r.Description), []byte(desc))) {
		t.Fatalf("want error %d %q, got ok=%v status=%d code=%d %q", code, desc, r.OK, r.Status, r.ErrorCode, r.Description)
	}
}

type updateIDs []struct {
	UpdateID int64 `json:"update_id"`
}

func ids(t testing.TB, r reply) []int64 {
	t.Helper()
	var us updateIDs
	mustOK(t, r, &us)
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.UpdateID
	}
	return out
}

var budi = User{ID: 1001, FirstName: "Budi", Username: "budi"}
