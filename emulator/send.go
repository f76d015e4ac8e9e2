package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"time"
)

// chatIDParam reads chat_id; "@name" chats do not exist in the emulator.
func chatIDParam(p params, key string) (int64, *apiError) {
	if p.str(key) == "" {
		return 0, badRequest("Bad Request: " + key + " is empty")
	}
	id, ok := p.int64(key)
	if !ok || id == 0 {
		return 0, badRequest("Bad Request: chat not found")
	}
	return id, nil
}

// replyToParam reads reply_parameters (JSON) or the older reply_to_message_id.
func replyToParam(p params) int {
	if raw := p.str("reply_parameters"); raw != "" {
		var rp struct {
			MessageID int `json:"message_id"`
		}
		if json.Unmarshal([]byte(raw), &rp) == nil {
			return rp.MessageID
		}
	}
	id, _ := p.int64("reply_to_message_id")
	return int(id)
}

func (s *Server) sendMessage(r *http.Request, p params) (any, *apiError) {
	d := Sent{Method: "sendMessage", Text: p.str("text"), ParseMode: p.str("parse_mode"), ReplyTo: replyToParam(p),
		NoPreview: previewDisabled(p.str("link_preview_options"))}
	if d.Text == "" {
		return nil, badRequest("Bad Request: message text is empty")
	}
	if desc := checkText(d.Text, d.ParseMode, maxTextLen, false); desc != "" {
		return nil, badRequest(desc)
	}
	msg, apiErr := s.deliver(r, p, d)
	if apiErr == nil && s.opts.FetchPreviews && !d.NoPreview {
		if u := firstURL(d.Text); u != "" {
			s.fetchPreview(u)
		}
	}
	return msg, apiErr
}

// previewDisabled reads link_preview_options.is_disabled.
func previewDisabled(raw string) bool {
	var o struct {
		IsDisabled bool `json:"is_disabled"`
	}
	return raw != "" && json.Unmarshal([]byte(raw), &o) == nil && o.IsDisabled
}

// urlPattern finds links in a text as Telegram does for previews (roughly:
// the first http or https URL).
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

func firstURL(text string) string { return urlPattern.FindString(text) }

// fetchPreview GETs u as Telegram's preview robot does, right after the
// message is accepted (in the background, like Telegram), counting it in
// Stats.PreviewFetches once the answer is in.
func (s *Server) fetchPreview(u string) {
	go func() {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return
		}
		req.Header.Set("User-Agent", "TelegramBot (like TwitterBot)")
		if resp, err := previewClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		s.mu.Lock()
		s.st.stats.PreviewFetches++
		s.mu.Unlock()
	}()
}

var previewClient = &http.Client{Timeout: 5 * time.Second}

func (s *Server) sendPhoto(r *http.Request, p params) (any, *apiError) {
	d := Sent{Method: "sendPhoto", Text: p.str("caption"), ParseMode: p.str("parse_mode"), ReplyTo: replyToParam(p)}
	d.PhotoFileID = s.fileParam(p, "photo")
	if d.PhotoFileID == "" {
		return nil, badRequest("Bad Request: there is no photo in the request")
	}
	if desc := checkText(d.Text, d.ParseMode, maxCaptionLen, true); desc != "" {
		return nil, badRequest(desc)
	}
	return s.deliver(r, p, d)
}

func (s *Server) sendDocument(r *http.Request, p params) (any, *apiError) {
	d := Sent{Method: "sendDocument", Text: p.str("caption"), ParseMode: p.str("parse_mode"), ReplyTo: replyToParam(p)}
	d.DocumentFileID = s.fileParam(p, "document")
	if d.DocumentFileID == "" {
		return nil, badRequest("Bad Request: there is no document in the request")
	}
	if desc := checkText(d.Text, d.ParseMode, maxCaptionLen, true); desc != "" {
		return nil, badRequest(desc)
	}
	return s.deliver(r, p, d)
}

// fileParam is the file_id of an upload (a new generated id) or the
// file_id/URL string given.
func (s *Server) fileParam(p params, key string) string {
	if up, ok := p.files[key]; ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		id := s.newFileLocked(key, up.Size)
		if up.Data != nil {
			s.st.contents[id] = up.Data
		}
		return id
	}
	return p.str(key)
}

func (s *Server) copyMessage(r *http.Request, p params) (any, *apiError) {
	res, apiErr := s.copyOrForward(r, p, "copyMessage")
	if apiErr != nil {
		return nil, apiErr
	}
	return wMessageID{MessageID: res.(*wMessage).MessageID}, nil
}

func (s *Server) forwardMessage(r *http.Request, p params) (any, *apiError) {
	return s.copyOrForward(r, p, "forwardMessage")
}

// copyOrForward sends the content of message_id in from_chat_id again.
func (s *Server) copyOrForward(r *http.Request, p params, method string) (any, *apiError) {
	from, apiErr := chatIDParam(p, "from_chat_id")
	if apiErr != nil {
		return nil, apiErr
	}
	msgID, _ := p.int64("message_id")
	s.mu.Lock()
	var src *wMessage
	if cs, ok := s.st.chats[from]; ok {
		src = s.messageLocked(cs, int(msgID))
	}
	s.mu.Unlock()
	if src == nil {
		if method == "forwardMessage" {
			return nil, badRequest("Bad Request: message to forward not found")
		}
		return nil, badRequest("Bad Request: message to copy not found")
	}
	d := Sent{Method: method, Text: src.Text + src.Caption, ParseMode: p.str("parse_mode"), ReplyTo: replyToParam(p)}
	if len(src.Photo) > 0 {
		d.PhotoFileID = src.Photo[len(src.Photo)-1].FileID
	}
	if src.Document != nil {
		d.DocumentFileID = src.Document.FileID
	}
	if p.has("caption") && method == "copyMessage" {
		d.Text = p.str("caption")
		if desc := checkText(d.Text, d.ParseMode, maxCaptionLen, true); desc != "" {
			return nil, badRequest(desc)
		}
	}
	return s.deliver(r, p, d)
}

// deliver runs the common part of every send: faults, chat checks, limits,
// recording. d has everything but the chat, id, date and keyboard.
func (s *Server) deliver(r *http.Request, p params, d Sent) (any, *apiError) {
	chatID, apiErr := chatIDParam(p, "chat_id")
	if apiErr != nil {
		return nil, apiErr
	}
	d.ChatID = chatID
	thread, _ := p.int64("message_thread_id")
	d.ThreadID = int(thread)
	buttons, desc := inlineKeyboard(p.str("reply_markup"))
	if desc != "" {
		return nil, badRequest(desc)
	}
	d.Buttons = buttons
	f := s.takeFault(d.Method, chatID)
	if f != nil && !f.Deliver {
		if !s.stall(r, f) {
			return nil, &apiError{Code: 499, Description: "request cancelled"}
		}
		if e := faultError(f); e != nil {
			return nil, e
		}
	}
	msg, apiErr := s.record(d, f == nil || !f.Deliver)
	if apiErr != nil {
		return nil, apiErr
	}
	if f != nil && f.Deliver {
		s.stall(r, f)
		if e := faultError(f); e != nil {
			return nil, e
		}
	}
	return msg, nil
}

// record stores an accepted send, after the chat checks and (when limit is
// set) Telegram's rate limits.
func (s *Server) record(d Sent, limit bool) (*wMessage, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.sendableChatLocked(d.ChatID)
	if apiErr != nil {
		return nil, apiErr
	}
	if cs.blocked {
		return nil, &apiError{Code: 403, Description: "Forbidden: bot was blocked by the user"}
	}
	if cs.removed {
		return nil, &apiError{Code: 403, Description: "Forbidden: bot was kicked from the group chat"}
	}
	if cs.migratedTo != 0 {
		s.st.stats.ToMigrated++
		return nil, &apiError{Code: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat",
			MigrateTo: cs.migratedTo}
	}
	if !threadOKLocked(cs, d.ThreadID) {
		return nil, badRequest("Bad Request: message thread not found")
	}
	now := s.now()
	if limit {
		if apiErr := s.limitLocked(cs, now); apiErr != nil {
			return nil, apiErr
		}
	}
	s.countSendLocked(now)
	cs.nextMsg++
	s.st.rev++
	d.MessageID, d.Date, d.Rev = cs.nextMsg, now, s.st.rev
	m := &d
	cs.sent = append(cs.sent, m)
	s.changedCh = notifyLocked(s.changedCh)
	w := s.wireSentLocked(cs, m)
	if d.ReplyTo != 0 {
		w.ReplyToMessage = s.messageLocked(cs, d.ReplyTo)
	}
	return w, nil
}
