package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// The /_emu/ control API lets a separate process (the terminal chat of
// `kimbot emulator --chat`) act as a user.

const defaultMessagesWait = 25 * time.Second

type controlRequest struct {
	UserID    int64  `json:"user_id"`
	ChatID    int64  `json:"chat_id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
	Text      string `json:"text"`
	MessageID int    `json:"message_id"`
	Data      string `json:"data"`
}

func (c controlRequest) user() User {
	return User{ID: c.UserID, FirstName: c.FirstName, LastName: c.LastName, Username: c.Username}
}

func readControl(w http.ResponseWriter, r *http.Request) (controlRequest, bool) {
	var c controlRequest
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return c, false
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&c); err != nil {
		http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
		return c, false
	}
	if c.UserID <= 0 {
		http.Error(w, "user_id must be positive", http.StatusBadRequest)
		return c, false
	}
	return c, true
}

// handleControlSend: POST /_emu/send {"user_id","first_name","text"} -> {"update_id"}.
func (s *Server) handleControlSend(w http.ResponseWriter, r *http.Request) {
	c, ok := readControl(w, r)
	if !ok {
		return
	}
	if c.Text == "" {
		http.Error(w, "text is empty", http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"update_id": s.SendText(c.user(), c.Text)})
}

// handleControlPress: POST /_emu/press {"user_id","message_id","data"} -> {"update_id"}.
func (s *Server) handleControlPress(w http.ResponseWriter, r *http.Request) {
	c, ok := readControl(w, r)
	if !ok {
		return
	}
	chatID := c.ChatID
	if chatID == 0 {
		chatID = c.UserID
	}
	writeJSON(w, http.StatusOK, map[string]int64{"update_id": s.PressButton(c.user(), chatID, c.MessageID, c.Data)})
}

// handleControlMessages: GET /_emu/messages?chat_id=N&after=MSGID[&since=REV][&wait=SECONDS]
// returns the bot's messages with a larger id (or, with since, every
// message sent or edited after change number REV), long-polling when none.
func (s *Server) handleControlMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	chatID, err := strconv.ParseInt(q.Get("chat_id"), 10, 64)
	if err != nil {
		http.Error(w, "chat_id must be a number", http.StatusBadRequest)
		return
	}
	after, _ := strconv.Atoi(q.Get("after"))
	since, _ := strconv.ParseInt(q.Get("since"), 10, 64)
	wait := defaultMessagesWait
	if secs, err := strconv.ParseFloat(q.Get("wait"), 64); err == nil && secs >= 0 {
		wait = min(time.Duration(secs*float64(time.Second)), time.Minute)
	}
	keep := func(m *Sent) bool { return m.MessageID > after && m.Rev > since }
	var got []Sent
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got = s.messagesLocked(chatID, keep)
		wake := s.changedCh
		s.mu.Unlock()
		if len(got) > 0 || wait == 0 {
			break
		}
		select {
		case <-wake:
			continue
		case <-deadline.C:
		case <-r.Context().Done():
		case <-s.done:
		}
		break
	}
	if got == nil {
		got = []Sent{}
	}
	writeJSON(w, http.StatusOK, got)
}
