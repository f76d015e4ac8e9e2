package emulator

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// state is everything behind Server.mu.
type state struct {
	nextUpdate int64
	queue      []queued // injected, not yet confirmed, in update_id order
	acked      int64
	allowed    map[string]bool // nil: every kind the emulator produces
	polling    bool
	webhook    webhookConf

	chats     map[int64]*chatState
	callbacks map[string]bool
	answers   []CallbackAnswer
	commands  []Command
	faults    []*Fault
	files     map[string]wFile
	fileData  map[string][]byte // the bytes of small uploads, by file_id
	nextFile  int64
	nextCB    int64
	nextAlbum int64

	stats  Stats
	window []time.Time // accepted sends within the last second
	rev    int64
}

type queued struct {
	id   int64
	kind string
	raw  json.RawMessage
}

type webhookConf struct {
	url, secret string
	allowed     map[string]bool
	lastErr     string
	lastErrDate int64
	gen         int // bumped on every change, so a push in flight knows it is stale
}

// chatState is one chat: the bot's messages, the users' messages (for
// replies and copies) and the chat's rate-limit state.
type chatState struct {
	chat     wChat
	nextMsg  int
	sent     []*Sent           // in message id order
	userMsgs map[int]*wMessage // made on the first user message
	blocked  bool
	// removed: the bot was removed from this group; sends answer 403.
	removed bool
	// migratedTo is the supergroup a group was upgraded to: sends to the
	// old id fail with migrate_to_chat_id from then on.
	migratedTo int64
	// topics are a forum's topics by message_thread_id: the service
	// message that opened each.
	topics map[int]*wMessage

	tokens     float64
	tokensAt   time.Time
	groupSends []time.Time
}

func newState() state {
	return state{
		chats:     map[int64]*chatState{},
		callbacks: map[string]bool{},
		files:     map[string]wFile{},
		fileData:  map[string][]byte{},
	}
}

// findSent returns the bot message id in cs, or nil.
func (cs *chatState) findSent(id int) *Sent {
	i := sort.Search(len(cs.sent), func(i int) bool { return cs.sent[i].MessageID >= id })
	if i < len(cs.sent) && cs.sent[i].MessageID == id {
		return cs.sent[i]
	}
	return nil
}

func (cs *chatState) deleteSent(id int) bool {
	i := sort.Search(len(cs.sent), func(i int) bool { return cs.sent[i].MessageID >= id })
	if i < len(cs.sent) && cs.sent[i].MessageID == id {
		cs.sent = append(cs.sent[:i], cs.sent[i+1:]...)
		return true
	}
	return false
}

// newChatLocked creates the state of a chat the bot can now talk to.
func (s *Server) newChatLocked(c wChat) *chatState {
	cs := &chatState{chat: c, tokens: float64(s.opts.PerChatBurst), tokensAt: s.now()}
	s.st.chats[c.ID] = cs
	return cs
}

// privateChatLocked returns the private chat with u, creating it.
func (s *Server) privateChatLocked(u User) *chatState {
	c := wChat{ID: u.ID, Type: "private", FirstName: firstName(u), LastName: u.LastName, Username: u.Username}
	if cs, ok := s.st.chats[u.ID]; ok {
		cs.chat = c
		return cs
	}
	return s.newChatLocked(c)
}

// groupChatLocked returns the group chat, creating it or updating its title.
func (s *Server) groupChatLocked(c Chat) *chatState {
	w := wChat{ID: c.ID, Type: c.Type, Title: c.Title, IsForum: c.IsForum}
	if w.Type == "" {
		w.Type = "supergroup"
	}
	if w.Title == "" {
		w.Title = fmt.Sprintf("Grup %d", -c.ID)
	}
	if cs, ok := s.st.chats[c.ID]; ok {
		if c.Title != "" || c.Type != "" {
			w.IsForum = w.IsForum || cs.chat.IsForum // topics, once on, stay
			cs.chat = w
		}
		return cs
	}
	return s.newChatLocked(w)
}

// chatOfLocked is the chat chatID as seen by from: their private chat when
// chatID is theirs (or 0), otherwise a group.
func (s *Server) chatOfLocked(from User, chatID int64) *chatState {
	if chatID == 0 || chatID == from.ID {
		return s.privateChatLocked(from)
	}
	if cs, ok := s.st.chats[chatID]; ok {
		return cs
	}
	if chatID > 0 {
		return s.privateChatLocked(User{ID: chatID})
	}
	return s.groupChatLocked(Chat{ID: chatID})
}

// sendableChatLocked returns the chat for a bot send, or 400 chat not found.
func (s *Server) sendableChatLocked(chatID int64) (*chatState, *apiError) {
	if cs, ok := s.st.chats[chatID]; ok {
		return cs, nil
	}
	if !s.opts.AnyChat || chatID == 0 {
		return nil, badRequest("Bad Request: chat not found")
	}
	if chatID > 0 {
		return s.privateChatLocked(User{ID: chatID}), nil
	}
	return s.groupChatLocked(Chat{ID: chatID}), nil
}

func firstName(u User) string {
	if u.FirstName == "" {
		return fmt.Sprintf("User%d", u.ID)
	}
	return u.FirstName
}

func wireUser(u User) wUser {
	return wUser{ID: u.ID, FirstName: firstName(u), LastName: u.LastName, Username: u.Username}
}

// wireSentLocked renders a bot message as the API returns it.
func (s *Server) wireSentLocked(cs *chatState, m *Sent) *wMessage {
	w := &wMessage{MessageID: m.MessageID, From: s.botUser(), Chat: cs.chat, Date: max(m.Date.Unix(), 1)}
	w.MessageThreadID, w.IsTopicMessage = m.ThreadID, m.ThreadID != 0 && cs.chat.IsForum
	if m.Edits > 0 {
		w.EditDate = s.unixNow()
	}
	switch {
	case m.PhotoFileID != "":
		w.Photo = []wPhotoSize{{FileID: m.PhotoFileID, FileUniqueID: uniqueID(m.PhotoFileID), Width: 1280, Height: 960, FileSize: 120000}}
		w.Caption = m.Text
	case m.DocumentFileID != "":
		w.Document = &wDocument{FileID: m.DocumentFileID, FileUniqueID: uniqueID(m.DocumentFileID), FileName: "document", FileSize: 1024}
		w.Caption = m.Text
	default:
		w.Text = m.Text
	}
	if len(m.Buttons) > 0 {
		w.ReplyMarkup = &wMarkup{InlineKeyboard: wireButtons(m.Buttons)}
	}
	return w
}

func wireButtons(rows [][]Button) [][]wButton {
	out := make([][]wButton, len(rows))
	for i, row := range rows {
		out[i] = make([]wButton, len(row))
		for j, b := range row {
			out[i][j] = wButton(b)
		}
	}
	return out
}

// messageLocked is the stored message id in cs as the API shows it (bot or
// user message), or nil.
func (s *Server) messageLocked(cs *chatState, id int) *wMessage {
	if m := cs.findSent(id); m != nil {
		return s.wireSentLocked(cs, m)
	}
	if m, ok := cs.userMsgs[id]; ok {
		c := *m
		c.ReplyToMessage = nil
		return &c
	}
	return nil
}

// newFileLocked registers a generated file and returns its file_id.
func (s *Server) newFileLocked(kind string, size int64) string {
	s.st.nextFile++
	id := fmt.Sprintf("emu-%s-%d", kind, s.st.nextFile)
	s.st.files[id] = wFile{FileID: id, FileUniqueID: uniqueID(id), FileSize: size, FilePath: fmt.Sprintf("%ss/file_%d", kind, s.st.nextFile)}
	return id
}

func uniqueID(fileID string) string { return "u" + fileID }
