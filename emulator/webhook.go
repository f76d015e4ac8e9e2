package emulator

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

const maxWebhookBackoff = 2 * time.Second

var webhookClient = &http.Client{Timeout: 10 * time.Second}

func (s *Server) setWebhook(_ *http.Request, p params) (any, *apiError) {
	u := p.str("url")
	if u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return nil, badRequest("Bad Request: bad webhook: An HTTP URL must be provided for webhook")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.dropPendingLocked()
	}
	s.st.webhook = webhookConf{
		url: u, secret: p.str("secret_token"), allowed: parseAllowed(p.str("allowed_updates")),
		gen: s.st.webhook.gen + 1,
	}
	s.webhookCh = notifyLocked(s.webhookCh)
	return true, nil
}

func (s *Server) deleteWebhook(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.dropPendingLocked()
	}
	s.st.webhook = webhookConf{gen: s.st.webhook.gen + 1}
	s.webhookCh = notifyLocked(s.webhookCh)
	return true, nil
}

func (s *Server) dropPendingLocked() {
	if n := len(s.st.queue); n > 0 {
		s.st.acked = max(s.st.acked, s.st.queue[n-1].id)
	}
	s.st.queue = nil
}

func (s *Server) getWebhookInfo(*http.Request, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.webhook
	info := wWebhookInfo{URL: w.url, PendingUpdateCount: len(s.st.queue), LastErrorDate: w.lastErrDate, LastErrorMessage: w.lastErr}
	for k := range w.allowed {
		info.AllowedUpdates = append(info.AllowedUpdates, k)
	}
	return info, nil
}

// webhookLoop pushes pending updates, one at a time and in order, to the
// webhook URL while one is set. A 2xx answer confirms the update; anything
// else is retried with a doubling delay.
func (s *Server) webhookLoop() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.done
		cancel()
	}()
	backoff := s.opts.WebhookRetry
	for {
		s.mu.Lock()
		conf := s.st.webhook
		var next *queued
		if conf.url != "" {
			s.takeLocked(conf.allowed, 0) // drops the kinds not allowed
			if len(s.st.queue) > 0 {
				q := s.st.queue[0]
				next = &q
			}
		}
		updates, changed := s.updatesCh, s.webhookCh
		s.mu.Unlock()

		if next == nil {
			select {
			case <-updates:
			case <-changed:
			case <-s.done:
				return
			}
			continue
		}
		err := s.push(ctx, conf, next.raw)
		s.mu.Lock()
		sameConf := s.st.webhook.gen == conf.gen
		if err == nil && sameConf && len(s.st.queue) > 0 && s.st.queue[0].id == next.id {
			s.confirmLocked(next.id + 1)
		}
		if err != nil && sameConf {
			s.st.webhook.lastErr, s.st.webhook.lastErrDate = err.Error(), s.unixNow()
		}
		s.mu.Unlock()
		if err == nil {
			backoff = s.opts.WebhookRetry
			continue
		}
		s.log.Debug("emulator webhook push failed", "err", err)
		select {
		case <-time.After(backoff):
		case <-changed:
		case <-s.done:
			return
		}
		backoff = min(backoff*2, maxWebhookBackoff)
	}
}

func (s *Server) push(ctx context.Context, conf webhookConf, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, conf.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("building webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if conf.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", conf.secret)
	}
	resp, err := webhookClient.Do(req)
	if err != nil {
		return fmt.Errorf("connection failed: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("wrong response from the webhook: %s", resp.Status)
	}
	return nil
}
