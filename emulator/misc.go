package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func (s *Server) answerCallbackQuery(_ *http.Request, p params) (any, *apiError) {
	id := p.str("callback_query_id")
	text := p.str("text")
	if utf16Len(text) > 200 {
		return nil, badRequest("Bad Request: MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.st.callbacks[id] {
		return nil, badRequest("Bad Request: query is too old and response timeout expired or query ID is invalid")
	}
	s.st.answers = append(s.st.answers, CallbackAnswer{QueryID: id, Text: text, ShowAlert: p.bool("show_alert")})
	s.changedCh = notifyLocked(s.changedCh)
	return true, nil
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(_ *http.Request, p params) (any, *apiError) {
	var cmds []Command
	if err := json.Unmarshal([]byte(p.str("commands")), &cmds); err != nil {
		return nil, badRequest("Bad Request: can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("Bad Request: too many commands")
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("Bad Request: BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n == 0 || n > 256 {
			return nil, badRequest("Bad Request: command description is empty or too long")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.commands = cmds
	return true, nil
}

func (s *Server) getMyCommands(*http.Request, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command{}, s.st.commands...), nil
}

func (s *Server) deleteMyCommands(*http.Request, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.commands = nil
	return true, nil
}

func (s *Server) sendChatAction(_ *http.Request, p params) (any, *apiError) {
	chatID, apiErr := chatIDParam(p, "chat_id")
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, apiErr := s.sendableChatLocked(chatID)
	if apiErr != nil {
		return nil, apiErr
	}
	if cs.blocked {
		return nil, &apiError{Code: 403, Description: "Forbidden: bot was blocked by the user"}
	}
	return true, nil
}

func (s *Server) getChat(_ *http.Request, p params) (any, *apiError) {
	chatID, apiErr := chatIDParam(p, "chat_id")
	if apiErr != nil {
		return nil, apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.st.chats[chatID]
	if !ok {
		return nil, badRequest("Bad Request: chat not found")
	}
	c := cs.chat
	return wChatFull{ID: c.ID, Type: c.Type, Title: c.Title, Username: c.Username, FirstName: c.FirstName, LastName: c.LastName, MaxReactionCount: 11}, nil
}

func (s *Server) getFile(_ *http.Request, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.files[p.str("file_id")]
	if !ok {
		return nil, badRequest("Bad Request: invalid file_id")
	}
	return f, nil
}

// handleFile serves GET /file/bot<token>/<file_path>: the bytes that
// were uploaded, when the emulator kept them, else placeholder bytes.
// Counted in Stats.Downloads.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	rest, _ := strings.CutPrefix(r.URL.Path, "/file/bot")
	_, path, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	found := false
	var data []byte
	for id, f := range s.st.files {
		if f.FilePath == path {
			found, data = true, s.st.fileData[id]
			break
		}
	}
	if found {
		s.st.stats.Downloads++
	}
	s.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	if data != nil {
		w.Header().Set("Content-Type", http.DetectContentType(data))
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = fmt.Fprintf(w, "kimbot emulator file %s\n", path)
}

// Callbacks returns the answerCallbackQuery calls so far, in order.
func (s *Server) Callbacks() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.answers)
}

// Commands returns the commands of the last setMyCommands call.
func (s *Server) Commands() []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.commands)
}
