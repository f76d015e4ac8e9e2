package broadcast_test

// tmpNewSender is a minimal JSON Bot API client the engine tests use until
// package bot exports NewSender (then the rig switches to it and this file
// goes). It classifies errors the way message.SendError describes.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/kimbot/kimbot/message"
)

type tmpSender struct {
	url string
	c   *http.Client
}

func tmpNewSender(token, apiURL string, timeout time.Duration) (message.Sender, error) {
	return &tmpSender{url: apiURL + "/bot" + token + "/sendMessage", c: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}, nil
}

func (s *tmpSender) Send(ctx context.Context, chatID int64, m message.Message) (int, error) {
	body, _ := json.Marshal(map[string]any{"chat_id": chatID, "text": m.Text, "parse_mode": "HTML"})
	req, _ := http.NewRequestWithContext(ctx, "POST", s.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.c.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return 0, &message.SendError{Kind: message.Uncertain, Err: err}
		}
		return 0, &message.SendError{Kind: message.Transient, Err: err}
	}
	defer resp.Body.Close()
	var r struct {
		OK     bool   `json:"ok"`
		Code   int    `json:"error_code"`
		Desc   string `json:"description"`
		Params struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
		Result struct {
			MessageID int `json:"message_id"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, &message.SendError{Kind: message.Transient, Err: err}
	}
	if r.OK {
		return r.Result.MessageID, nil
	}
	e := fmt.Errorf("%d %s", r.Code, r.Desc)
	switch {
	case r.Code == 429:
		return 0, &message.SendError{Kind: message.RetryAfter, RetryAfter: time.Duration(r.Params.RetryAfter) * time.Second, Err: e}
	case r.Code == 403:
		return 0, &message.SendError{Kind: message.Blocked, Err: e}
	case r.Code == 400 && r.Desc == "Bad Request: chat not found":
		return 0, &message.SendError{Kind: message.ChatNotFound, Err: e}
	case r.Code == 401:
		return 0, &message.SendError{Kind: message.Unauthorized, Err: e}
	case r.Code >= 500:
		return 0, &message.SendError{Kind: message.Transient, Err: e}
	}
	return 0, &message.SendError{Kind: message.Permanent, Err: e}
}
