package emulator

import (
	"net/http"
	"reflect"
)

const notModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

// editChange is what an edit call wants to change.
type editChange struct {
	method    string
	text      *string // nil: keep
	caption   bool    // text is a caption
	parseMode string
	buttons   [][]Button // nil removes the keyboard, like Telegram
}

func (s *Server) editMessageText(r *http.Request, p params) (any, *apiError) {
	text := p.str("text")
	if text == "" {
		return nil, badRequest("Bad Request: message text is empty")
	}
	if desc := checkText(text, p.str("parse_mode"), maxTextLen, false); desc != "" {
		return nil, badRequest(desc)
	}
	return s.edit(r, p, editChange{method: "editMessageText", text: &text, parseMode: p.str("parse_mode")})
}

func (s *Server) editMessageCaption(r *http.Request, p params) (any, *apiError) {
	caption := p.str("caption")
	if desc := checkText(caption, p.str("parse_mode"), maxCaptionLen, true); desc != "" {
		return nil, badRequest(desc)
	}
	return s.edit(r, p, editChange{method: "editMessageCaption", text: &caption, caption: true, parseMode: p.str("parse_mode")})
}

func (s *Server) editMessageReplyMarkup(r *http.Request, p params) (any, *apiError) {
	return s.edit(r, p, editChange{method: "editMessageReplyMarkup"})
}

// edit applies an edit to a bot message: faults, existence, "not modified".
func (s *Server) edit(r *http.Request, p params, c editChange) (any, *apiError) {
	if p.str("inline_message_id") != "" {
		return nil, badRequest("Bad Request: inline messages are not supported by the emulator")
	}
	chatID, apiErr := chatIDParam(p, "chat_id")
	if apiErr != nil {
		return nil, apiErr
	}
	msgID, _ := p.int64("message_id")
	buttons, desc := inlineKeyboard(p.str("reply_markup"))
	if desc != "" {
		return nil, badRequest(desc)
	}
	c.buttons = buttons
	if f := s.takeFault(c.method, chatID); f != nil {
		if !s.stall(r, f) {
			return nil, &apiError{Code: 499, Description: "request cancelled"}
		}
		if e := faultError(f); e != nil {
			return nil, e
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.st.chats[chatID]
	if !ok {
		return nil, badRequest("Bad Request: chat not found")
	}
	if cs.blocked {
		return nil, &apiError{Code: 403, Description: "Forbidden: bot was blocked by the user"}
	}
	m := cs.findSent(int(msgID))
	if m == nil {
		return nil, badRequest("Bad Request: message to edit not found")
	}
	media := m.PhotoFileID != "" || m.DocumentFileID != ""
	if c.text != nil && c.caption && !media {
		return nil, badRequest("Bad Request: there is no caption in the message to edit")
	}
	if c.text != nil && !c.caption && media {
		return nil, badRequest("Bad Request: there is no text in the message to edit")
	}
	if (c.text == nil || *c.text == m.Text) && reflect.DeepEqual(c.buttons, m.Buttons) {
		return nil, badRequest(notModified)
	}
	if c.text != nil {
		m.Text, m.ParseMode = *c.text, c.parseMode
	}
	m.Buttons = c.buttons
	m.Edits++
	s.st.rev++
	m.Rev = s.st.rev
	s.changedCh = notifyLocked(s.changedCh)
	return s.wireSentLocked(cs, m), nil
}

func (s *Server) deleteMessage(_ *http.Request, p params) (any, *apiError) {
	chatID, apiErr := chatIDParam(p, "chat_id")
	if apiErr != nil {
		return nil, apiErr
	}
	msgID, _ := p.int64("message_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.st.chats[chatID]
	if !ok {
		return nil, badRequest("Bad Request: chat not found")
	}
	if cs.deleteSent(int(msgID)) {
		s.st.rev++
		s.changedCh = notifyLocked(s.changedCh)
		return true, nil
	}
	if _, ok := cs.userMsgs[int(msgID)]; ok {
		delete(cs.userMsgs, int(msgID))
		return true, nil
	}
	return nil, badRequest("Bad Request: message to delete not found")
}
