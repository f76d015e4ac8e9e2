package inbox

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"time"
)

// maxWebhookBody bounds one update (Telegram's are a few kilobytes).
const maxWebhookBody = 1 << 20

// WebhookHandler is the http.Handler for WEBHOOK_URL's path: it stores
// Telegram's webhook deliveries in the inbox and only then answers 200; a
// failed store answers 503 so Telegram retries. It refuses (401) a request
// without the right X-Telegram-Bot-Api-Secret-Token, answers 400 to a body
// that is not an update, and wakes the workers.
// Specs: https://core.telegram.org/bots/api#setwebhook (secret_token)
func (in *Inbox) WebhookHandler() http.Handler { return http.HandlerFunc(in.serveWebhook) }

func (in *Inbox) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !secretMatches(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), in.cfg.WebhookSecret) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "reading update", http.StatusBadRequest)
		return
	}
	u, ok := parseRawUpdate(body)
	if !ok {
		http.Error(w, "not a Telegram update", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	if err := in.q.store(ctx, []rawUpdate{u}); err != nil {
		in.log.Error("storing a webhook update", "update_id", u.ID, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	in.poke()
	w.WriteHeader(http.StatusOK)
}

// secretMatches compares in constant time (hashing first hides the
// length too). An empty expected secret matches nothing.
func secretMatches(got, want string) bool {
	if want == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
