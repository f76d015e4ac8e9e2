package bot

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// maxWebhookBody bounds one update (Telegram's are a few kilobytes).
const maxWebhookBody = 1 << 20

// webhookHandler stores Telegram's webhook deliveries in the inbox and
// only then answers 200; a failed store answers 503 so Telegram retries.
type webhookHandler struct{ a *App }

// WebhookHandler is the http.Handler for WEBHOOK_URL's path. It refuses
// (401) a request without the right X-Telegram-Bot-Api-Secret-Token,
// answers 400 to a body that is not an update, and wakes the workers.
func (a *App) WebhookHandler() http.Handler { return &webhookHandler{a: a} }

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a := h.a
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !secretMatches(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), a.cfg.WebhookSecret) {
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
	if err := a.inbox.store(ctx, []rawUpdate{u}); err != nil {
		a.log.Error("storing a webhook update", "update_id", u.ID, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	a.poke()
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

// setWebhook points Telegram at WebhookURL with the secret.
func (a *App) setWebhook(ctx context.Context) error {
	_, err := a.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: a.cfg.WebhookURL, SecretToken: a.cfg.WebhookSecret,
		AllowedUpdates: allowedUpdates})
	if err != nil {
		return fmt.Errorf("setting the webhook: %w", classify(ctx, err))
	}
	a.log.Info("webhook set; updates arrive over HTTP")
	return nil
}

// deleteWebhook leaves webhook mode (getUpdates is refused while a webhook
// is set). Pending updates stay with Telegram.
func (a *App) deleteWebhook(ctx context.Context) {
	if _, err := a.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		a.log.Warn("removing a previous webhook", "err", classify(ctx, err))
	}
}
