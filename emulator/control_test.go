package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func postJSON(t *testing.T, url string, body any) map[string]int64 {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", url, resp.Status)
	}
	var out map[string]int64
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func getMessages(t *testing.T, url string) []Sent {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []Sent
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestControlAPI(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	id := postJSON(t, s.URL()+"/_emu/send", map[string]any{"user_id": 1001, "first_name": "Budi", "text": "/start"})["update_id"]
	var us []struct {
		UpdateID int64 `json:"update_id"`
		Message  struct {
			From struct {
				FirstName string `json:"first_name"`
			} `json:"from"`
			Entities []wEntity `json:"entities"`
		} `json:"message"`
	}
	mustOK(t, call(t, s, "getUpdates", nil), &us)
	if len(us) != 1 || us[0].UpdateID != id || us[0].Message.From.FirstName != "Budi" || len(us[0].Message.Entities) != 1 {
		t.Fatalf("updates = %+v", us)
	}
	mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "1001", "text": "satu"}), nil)
	mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "1001", "text": "dua", "reply_markup": `{"inline_keyboard":[[{"text":"OK","callback_data":"ok"}]]}`}), nil)

	msgs := getMessages(t, s.URL()+"/_emu/messages?chat_id=1001&after=2")
	if len(msgs) != 1 || msgs[0].Text != "dua" || msgs[0].Buttons[0][0].CallbackData != "ok" {
		t.Fatalf("after=2: %+v", msgs)
	}
	// long poll: an edit wakes a since= waiter
	res := make(chan []Sent, 1)
	go func() {
		res <- getMessages(t, fmt.Sprintf("%s/_emu/messages?chat_id=1001&since=%d&wait=5", s.URL(), msgs[0].Rev))
	}()
	time.Sleep(50 * time.Millisecond)
	mustOK(t, call(t, s, "editMessageText", map[string]string{"chat_id": "1001", "message_id": "3", "text": "dua!"}), nil)
	if got := <-res; len(got) != 1 || got[0].Text != "dua!" || got[0].Edits != 1 {
		t.Fatalf("since: %+v", got)
	}
	if got := getMessages(t, s.URL()+"/_emu/messages?chat_id=1001&after=3&wait=0"); len(got) != 0 {
		t.Fatalf("nothing new: %+v", got)
	}

	press := postJSON(t, s.URL()+"/_emu/press", map[string]any{"user_id": 1001, "message_id": 3, "data": "ok"})["update_id"]
	var cbs []struct {
		UpdateID      int64 `json:"update_id"`
		CallbackQuery struct {
			Data    string `json:"data"`
			Message struct {
				MessageID int   `json:"message_id"`
				Date      int64 `json:"date"`
			} `json:"message"`
		} `json:"callback_query"`
	}
	mustOK(t, call(t, s, "getUpdates", map[string]string{"offset": fmt.Sprint(id + 1)}), &cbs)
	if len(cbs) != 1 || cbs[0].UpdateID != press || cbs[0].CallbackQuery.Data != "ok" || cbs[0].CallbackQuery.Message.MessageID != 3 || cbs[0].CallbackQuery.Message.Date == 0 {
		t.Fatalf("press: %+v", cbs)
	}
}

func TestWaitHelpers(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	s.SendText(budi, "hai")
	go func() {
		time.Sleep(50 * time.Millisecond)
		call(t, s, "sendMessage", map[string]string{"chat_id": "1001", "text": "satu"})
		call(t, s, "sendMessage", map[string]string{"chat_id": "1001", "text": "dua"})
		call(t, s, "editMessageText", map[string]string{"chat_id": "1001", "message_id": "2", "text": "satu (diubah)"})
	}()
	if got := s.WaitMessages(t, budi.ID, 2, 5*time.Second); len(got) < 2 {
		t.Fatalf("WaitMessages = %+v", got)
	}
	m := s.WaitFor(t, budi.ID, 5*time.Second, func(m Sent) bool { return strings.Contains(m.Text, "diubah") })
	if m.MessageID != 2 || m.Edits != 1 {
		t.Fatalf("WaitFor = %+v", m)
	}

	ft := &fakeTB{TB: t}
	s.WaitFor(ft, budi.ID, 50*time.Millisecond, func(m Sent) bool { return m.Text == "tidak ada" })
	if !strings.Contains(ft.msg, "no matching bot message") || !strings.Contains(ft.msg, "satu (diubah)") {
		t.Fatalf("WaitFor failure message = %q", ft.msg)
	}
	ft = &fakeTB{TB: t}
	s.WaitMessages(ft, budi.ID, 5, 50*time.Millisecond)
	if !strings.Contains(ft.msg, "want at least 5") {
		t.Fatalf("WaitMessages failure message = %q", ft.msg)
	}
}

// fakeTB records Fatalf instead of stopping the test.
type fakeTB struct {
	testing.TB
	msg string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Fatalf(format string, args ...any) { f.msg = fmt.Sprintf(format, args...) }

func TestListenAndServeStopsOnContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ListenAndServe(ctx, addr, Options{}) }()

	base := "http://" + addr
	var resp *http.Response
	for range 100 {
		if resp, err = http.Post(base+"/bot1:T/getMe", "multipart/form-data; boundary=x", nil); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// a long poll in flight must not hold up the shutdown
	go func() {
		r, err := http.Post(base+"/bot1:T/getUpdates?timeout=30", "", nil)
		if err == nil {
			r.Body.Close()
		}
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done: // a poll that kept Shutdown waiting would fail it after 5 s
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ListenAndServe did not stop")
	}
	if err := ListenAndServe(context.Background(), "bad-address", Options{}); err == nil {
		t.Fatal("bad address accepted")
	}
}
