package emulator

// Forum topics, as Telegram has them: a supergroup with is_forum has a
// General topic (messages without a thread) and topics, each named by
// message_thread_id, the id of the forum_topic_created service message
// that opened it. A message typed in a topic carries message_thread_id and
// is_topic_message, and (unless it replies to something else) a
// reply_to_message that is the topic's service message. In a supergroup
// without topics a reply carries the message_thread_id of its reply
// thread but not is_topic_message. A send with a message_thread_id that
// names no topic (or no message) of the chat is refused with 400 "message
// thread not found".
// Specs: https://core.telegram.org/bots/api#chat (is_forum),
// https://core.telegram.org/bots/api#message (message_thread_id,
// is_topic_message), https://core.telegram.org/bots/api#sendmessage
// (message_thread_id)

import "fmt"

// topicColor is the icon colour Telegram gives a topic by default.
const topicColor = 7322096

// CreateTopic turns chat into a forum supergroup (if it is not one yet)
// and opens a topic called name in it, created by `by`; the
// forum_topic_created service message is queued as an update, as
// Telegram sends it. It returns the topic's message_thread_id.
func (s *Server) CreateTopic(chat Chat, by User, name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.st.chats[chat.ID]
	if !ok {
		cs = s.groupChatLocked(Chat{ID: chat.ID, Type: "supergroup", Title: chat.Title})
	}
	cs.chat.Type, cs.chat.IsForum = "supergroup", true
	m := s.userMessageLocked(cs, by)
	m.MessageThreadID, m.IsTopicMessage = m.MessageID, true
	m.ForumTopicCreated = &wTopicCreated{Name: name, IconColor: topicColor}
	if cs.topics == nil {
		cs.topics = map[int]*wMessage{}
	}
	cs.topics[m.MessageID] = m
	s.enqueueLocked(&wUpdate{Message: m})
	return m.MessageID
}

// DeleteTopic deletes topic thread of forum chat, as an admin does: sends
// naming it are refused with 400 "message thread not found" from now on.
func (s *Server) DeleteTopic(chatID int64, thread int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs, ok := s.st.chats[chatID]; ok {
		delete(cs.topics, thread)
	}
}

// SendTopicText injects a text message from a user typed in topic thread
// of a forum chat (thread 0: General). A topic CreateTopic did not open is
// a mistake in the test and panics.
func (s *Server) SendTopicText(chat Chat, thread int, from User, text string) int64 {
	return s.injectMessage(from, chat.ID, func(cs *chatState, m *wMessage) {
		m.Text, m.Entities = text, commandEntities(text)
		if thread == 0 {
			return
		}
		opened, ok := cs.topics[thread]
		if !ok {
			panic(fmt.Sprintf("emulator: chat %d has no topic %d", chat.ID, thread))
		}
		c := *opened
		m.MessageThreadID, m.IsTopicMessage, m.ReplyToMessage = thread, true, &c
	})
}

// inheritThreadLocked puts a reply to `to` in to's thread: its topic in a
// forum, or in a supergroup without topics the reply thread rooted at the
// first message replied to.
func inheritThreadLocked(cs *chatState, m, to *wMessage) {
	switch {
	case to == nil || cs.chat.Type != "supergroup":
	case cs.chat.IsForum:
		m.MessageThreadID, m.IsTopicMessage = to.MessageThreadID, to.IsTopicMessage
	case to.MessageThreadID != 0:
		m.MessageThreadID = to.MessageThreadID
	default:
		m.MessageThreadID = to.MessageID
	}
}

// threadOKLocked says whether a send to cs may name thread: a topic of a
// forum, or in a supergroup without topics a message that roots a reply
// thread.
func threadOKLocked(cs *chatState, thread int) bool {
	switch {
	case thread == 0:
		return true
	case cs.chat.IsForum:
		return cs.topics[thread] != nil
	case cs.chat.Type == "supergroup":
		return cs.findSent(thread) != nil || cs.userMsgs[thread] != nil
	}
	return false
}
