package bot_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kimbot/kimbot/bot"
	"github.com/kimbot/kimbot/bot/internal/bottest"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/emulator"
	"github.com/kimbot/kimbot/internal/testenv"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

const webhookSecret = "s3cret-Token_1"

// webhookRig runs the bot in webhook mode behind an httptest server that
// the emulator pushes updates to.
func webhookRig(t *testing.T) (*bottest.Rig, *httptest.Server) {
	var handler atomic.Pointer[http.Handler]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if h := handler.Load(); h != nil {
			(*h).ServeHTTP(w, req)
			return
		}
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	r := bottest.New(t, bottest.Options{Config: bot.Config{WebhookURL: srv.URL + "/tg", WebhookSecret: webhookSecret}})
	h := r.App.WebhookHandler()
	handler.Store(&h)
	return r, srv
}

func TestWebhook_EndToEnd(t *testing.T) {
	r, _ := webhookRig(t)
	u := emulator.User{ID: 9001, FirstName: "Web"}
	id := r.Emu.SendText(u, "/start 3573051003")
	r.WaitText(u.ID, "Tlogomas")
	r.WaitStatus(u.ID, broadcast.StatusActive, "35.73.05.1003")
	if got := r.Emu.AckedUpdateID(); got < id {
		t.Fatalf("acked %d, want ≥ %d", got, id)
	}
}

func TestWebhook_RefusesAndStores(t *testing.T) {
	r, srv := webhookRig(t)
	r.Emu.RegisterUser(emulator.User{ID: 9002, FirstName: "X"})
	update := `{"update_id":424242,"message":{"message_id":1,"date":1700000000,"chat":{"id":9002,"type":"private"},"from":{"id":9002,"is_bot":false,"first_name":"X"},"text":"/bantuan"}}`
	tests := []struct {
		name, method, secret, body string
		want                       int
	}{
		{"no secret", "POST", "", update, http.StatusUnauthorized},
		{"wrong secret", "POST", "s3cret-Token_2", update, http.StatusUnauthorized},
		{"longer secret", "POST", webhookSecret + "x", update, http.StatusUnauthorized},
		{"not POST", "GET", webhookSecret, "", http.StatusMethodNotAllowed},
		{"bad JSON", "POST", webhookSecret, `{"update_id":`, http.StatusBadRequest},
		{"no update id", "POST", webhookSecret, `{"message":{}}`, http.StatusBadRequest},
		{"too large", "POST", webhookSecret, `{"update_id":1,"x":"` + strings.Repeat("a", 2<<20) + `"}`, http.StatusRequestEntityTooLarge},
		{"good", "POST", webhookSecret, update, http.StatusOK},
		{"redelivered", "POST", webhookSecret, update, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+"/tg", bytes.NewBufferString(tt.body))
			if tt.secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tt.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	var n int
	if err := r.DB.Get(&n, "SELECT count(*) FROM bot_updates WHERE update_id = 424242"); err != nil || n != 1 {
		t.Fatalf("stored %d rows, %v; want exactly one", n, err)
	}
	r.WaitText(9002, "Cara memakai") // and it was handled (once: one row)
}

func TestWebhook_StoreFailureAsksTelegramToRetry(t *testing.T) {
	db := testenv.DB(t)
	app, err := bot.New(bot.Config{Token: "1:X", APIURL: "http://127.0.0.1:1", WebhookURL: "https://example.org/tg",
		WebhookSecret: webhookSecret}, bot.Deps{DB: db, Regions: region.NewStore(db),
		Subscribers: broadcast.NewSubscribers(db, message.SystemClock{})})
	if err != nil {
		t.Fatal(err)
	}
	db.Close() // PostgreSQL unreachable
	req := httptest.NewRequest("POST", "/tg", strings.NewReader(`{"update_id":5,"message":{"chat":{"id":1}}}`))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret)
	rec := httptest.NewRecorder()
	app.WebhookHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503 so Telegram delivers it again", rec.Code)
	}
}

func TestNew_RefusesBadConfig(t *testing.T) {
	db := testenv.DB(t)
	deps := bot.Deps{DB: db, Regions: region.NewStore(db), Subscribers: broadcast.NewSubscribers(db, message.SystemClock{})}
	if _, err := bot.New(bot.Config{}, deps); err == nil || !strings.Contains(err.Error(), "TELEGRAM_TOKEN") {
		t.Fatalf("no token: %v", err)
	}
	if _, err := bot.New(bot.Config{Token: "1:X", WebhookURL: "https://x/tg"}, deps); err == nil || !strings.Contains(err.Error(), "WEBHOOK_SECRET") {
		t.Fatalf("webhook without secret: %v", err)
	}
}
