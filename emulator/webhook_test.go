package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestWebhookPushesInOrderWithSecretAndRetriesUntil2xx(t *testing.T) {
	s := NewTestServer(t, Options{WebhookRetry: 10 * time.Millisecond})
	var mu sync.Mutex
	var delivered []int64
	attempts := 0
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			t.Errorf("secret header = %q", r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		}
		var u struct {
			UpdateID int64 `json:"update_id"`
			Message  struct {
				Text string `json:"text"`
			} `json:"message"`
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &u); err != nil {
			t.Errorf("webhook body %s: %v", body, err)
		}
		mu.Lock()
		defer mu.Unlock()
		attempts++
		if attempts <= 2 { // the first update fails twice before it is taken
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		delivered = append(delivered, u.UpdateID)
	}))
	defer hook.Close()

	a := s.SendText(budi, "satu")
	b := s.SendText(budi, "dua")
	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": hook.URL + "/tg", "secret_token": "s3cret"}), nil)
	wantError(t, call(t, s, "getUpdates", nil), 409, "webhook is active")

	deadline := time.Now().Add(5 * time.Second)
	for s.AckedUpdateID() != b && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	got, n := slices.Clone(delivered), attempts
	mu.Unlock()
	if !slices.Equal(got, []int64{a, b}) || n != 4 || s.PendingUpdates() != 0 {
		t.Fatalf("delivered %v in %d attempts, pending %d", got, n, s.PendingUpdates())
	}
	var info struct {
		URL     string `json:"url"`
		Pending int    `json:"pending_update_count"`
		LastErr string `json:"last_error_message"`
	}
	mustOK(t, call(t, s, "getWebhookInfo", nil), &info)
	if info.URL != hook.URL+"/tg" || info.Pending != 0 || info.LastErr == "" {
		t.Fatalf("webhook info = %+v", info)
	}

	mustOK(t, call(t, s, "deleteWebhook", nil), nil)
	c := s.SendText(budi, "tiga")
	if got := ids(t, call(t, s, "getUpdates", nil)); !slices.Equal(got, []int64{c}) {
		t.Fatalf("polling after deleteWebhook got %v", got)
	}
}

func TestSetWebhookDropPendingUpdates(t *testing.T) {
	s := NewTestServer(t, Options{})
	id := s.SendText(budi, "lama")
	mustOK(t, call(t, s, "deleteWebhook", map[string]string{"drop_pending_updates": "true"}), nil)
	if s.PendingUpdates() != 0 || s.AckedUpdateID() != id {
		t.Fatalf("pending %d acked %d", s.PendingUpdates(), s.AckedUpdateID())
	}
	wantError(t, call(t, s, "setWebhook", map[string]string{"url": "ftp://x"}), 400, "bad webhook")
}
