package emulator

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// enqueueLocked gives u the next update_id, stores it as JSON until it is
// confirmed and wakes pollers and the webhook pusher.
func (s *Server) enqueueLocked(u *wUpdate) int64 {
	s.st.nextUpdate++
	u.UpdateID = s.st.nextUpdate
	raw, err := json.Marshal(u)
	if err != nil { // cannot happen: plain structs
		panic("emulator: encoding update: " + err.Error())
	}
	s.st.queue = append(s.st.queue, queued{id: u.UpdateID, kind: u.kind(), raw: raw})
	s.updatesCh = notifyLocked(s.updatesCh)
	return u.UpdateID
}

// userMessageLocked starts a new message from `from` in cs.
func (s *Server) userMessageLocked(cs *chatState, from User) *wMessage {
	cs.nextMsg++
	u := wireUser(from)
	m := &wMessage{MessageID: cs.nextMsg, From: &u, Chat: cs.chat, Date: s.unixNow()}
	if cs.userMsgs == nil {
		cs.userMsgs = map[int]*wMessage{}
	}
	cs.userMsgs[m.MessageID] = m
	return m
}

func (s *Server) injectMessage(from User, chatID int64, fill func(cs *chatState, m *wMessage)) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if chatID == from.ID || chatID == 0 {
		s.privateChatLocked(from)
	}
	cs := s.chatOfLocked(from, chatID)
	m := s.userMessageLocked(cs, from)
	fill(cs, m)
	return s.enqueueLocked(&wUpdate{Message: m})
}

// SendText injects a text message from a user in their private chat. Text
// with "/commands" gets bot_command entities like Telegram makes them.
func (s *Server) SendText(from User, text string) int64 {
	return s.injectMessage(from, from.ID, func(_ *chatState, m *wMessage) {
		m.Text, m.Entities = text, commandEntities(text)
	})
}

// SendGroupText injects a text message from a user in a group chat.
func (s *Server) SendGroupText(chat Chat, from User, text string) int64 {
	s.mu.Lock()
	s.groupChatLocked(chat)
	s.mu.Unlock()
	return s.injectMessage(from, chat.ID, func(_ *chatState, m *wMessage) {
		m.Text, m.Entities = text, commandEntities(text)
	})
}

// Reply injects a text message that replies to message replyTo (the bot's
// or a user's) in chat chatID; in a supergroup it is in replyTo's thread
// (its forum topic).
func (s *Server) Reply(from User, chatID int64, replyTo int, text string) int64 {
	return s.injectMessage(from, chatID, func(cs *chatState, m *wMessage) {
		m.Text, m.Entities = text, commandEntities(text)
		m.ReplyToMessage = s.messageLocked(cs, replyTo)
		inheritThreadLocked(cs, m, m.ReplyToMessage)
	})
}

// RemoveBotFromGroup removes the bot from group chatID, as an admin (by)
// does: the my_chat_member update (status "kicked" in a supergroup,
// "left" in a basic group) is queued, and every send to the group answers
// 403 "bot was kicked from the group chat" from now on.
func (s *Server) RemoveBotFromGroup(chatID int64, by User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.groupChatLocked(Chat{ID: chatID})
	cs.removed = true
	status := "kicked"
	if cs.chat.Type == "group" {
		status = "left"
	}
	s.enqueueLocked(s.memberUpdateLocked(cs, by, "member", status))
}

// ChannelBot is the user Telegram puts in "from" of a message a user
// sends in a group as one of their channels (sender_chat is the channel).
var ChannelBot = User{ID: 136817688, FirstName: "Channel", Username: "Channel_Bot"}

// ReplyAsChannel injects a reply to message replyTo in group chatID sent
// as the channel: from is ChannelBot, sender_chat the channel.
func (s *Server) ReplyAsChannel(chatID int64, channel Chat, replyTo int, text string) int64 {
	return s.injectMessage(ChannelBot, chatID, func(cs *chatState, m *wMessage) {
		m.From.IsBot = true
		m.SenderChat = &wChat{ID: channel.ID, Type: "channel", Title: channel.Title}
		m.Text, m.Entities = text, commandEntities(text)
		m.ReplyToMessage = s.messageLocked(cs, replyTo)
	})
}

// GroupAnonymousBot is the user Telegram puts in "from" of a message an
// anonymous group admin sends (the group itself is in sender_chat).
// Specs: https://core.telegram.org/bots/api#message (sender_chat)
var GroupAnonymousBot = User{ID: 1087968824, FirstName: "Group", Username: "GroupAnonymousBot"}

// ReplyAsChat injects a reply to message replyTo in group chatID sent by
// an anonymous admin: from is GroupAnonymousBot, sender_chat the group.
func (s *Server) ReplyAsChat(chatID int64, replyTo int, text string) int64 {
	return s.injectMessage(GroupAnonymousBot, chatID, func(cs *chatState, m *wMessage) {
		m.From.IsBot = true
		sender := cs.chat
		m.SenderChat = &sender
		m.Text, m.Entities = text, commandEntities(text)
		m.ReplyToMessage = s.messageLocked(cs, replyTo)
	})
}

// SendPhoto injects a photo (three generated sizes) with a caption.
func (s *Server) SendPhoto(from User, chatID int64, caption string) int64 {
	return s.injectMessage(from, chatID, func(_ *chatState, m *wMessage) {
		s.fillPhotoLocked(m, caption)
	})
}

// SendAlbum injects an album of photos, one per caption, as Telegram
// delivers it: one message (and update) per photo, one after another,
// all with the same media_group_id. A caption typed once for the whole
// album travels on the first photo only, so pass "" for the others. It
// returns the update ids in order. Specs:
// https://core.telegram.org/bots/api#message (media_group_id)
func (s *Server) SendAlbum(from User, chatID int64, captions ...string) []int64 {
	return s.ReplyAlbum(from, chatID, 0, captions...)
}

// ReplyAlbum is SendAlbum replying to message replyTo (0: none); every
// item carries the reply, as Telegram sends it.
func (s *Server) ReplyAlbum(from User, chatID int64, replyTo int, captions ...string) []int64 {
	s.mu.Lock()
	s.st.nextAlbum++
	group := strconv.FormatInt(13_000_000_000_000_000+s.st.nextAlbum, 10)
	s.mu.Unlock()
	ids := make([]int64, 0, len(captions))
	for _, caption := range captions {
		ids = append(ids, s.injectMessage(from, chatID, func(cs *chatState, m *wMessage) {
			s.fillPhotoLocked(m, caption)
			m.MediaGroupID = group
			if replyTo != 0 {
				m.ReplyToMessage = s.messageLocked(cs, replyTo)
			}
		}))
	}
	return ids
}

// fillPhotoLocked gives m a new photo (three generated sizes) and caption.
func (s *Server) fillPhotoLocked(m *wMessage, caption string) {
	sizes := []struct{ w, h, n int }{{90, 67, 1500}, {320, 240, 18000}, {1280, 960, 120000}}
	for _, z := range sizes {
		id := s.newFileLocked("photo", int64(z.n))
		m.Photo = append(m.Photo, wPhotoSize{FileID: id, FileUniqueID: uniqueID(id), Width: z.w, Height: z.h, FileSize: z.n})
	}
	m.Caption, m.CaptionEntities = caption, commandEntities(caption)
}

// SendDocument injects a document with a caption.
func (s *Server) SendDocument(from User, chatID int64, fileName, mime, caption string) int64 {
	return s.injectMessage(from, chatID, func(_ *chatState, m *wMessage) {
		id := s.newFileLocked("document", 2048)
		m.Document = &wDocument{FileID: id, FileUniqueID: uniqueID(id), FileName: fileName, MimeType: mime, FileSize: 2048}
		m.Caption, m.CaptionEntities = caption, commandEntities(caption)
	})
}

// SendLocation injects a location.
func (s *Server) SendLocation(from User, chatID int64, lat, lon float64) int64 {
	return s.injectMessage(from, chatID, func(_ *chatState, m *wMessage) {
		m.Location = &wLocation{Latitude: lat, Longitude: lon}
	})
}

// SendSticker injects a sticker in the user's private chat.
func (s *Server) SendSticker(from User) int64 {
	return s.injectMessage(from, from.ID, func(_ *chatState, m *wMessage) {
		id := s.newFileLocked("sticker", 30000)
		m.Sticker = &wSticker{FileID: id, FileUniqueID: uniqueID(id), Type: "regular", Width: 512, Height: 512, Emoji: "👍"}
	})
}

// Forward injects a forwarded text in the user's private chat. With an
// origin chat title the origin is of type "chat", otherwise "user".
func (s *Server) Forward(from User, text, originChatTitle string) int64 {
	return s.injectMessage(from, from.ID, s.forwardFill(text, originChatTitle, 0))
}

// forwardFill makes m a forward of text; date 0 keeps the message's own.
func (s *Server) forwardFill(text, originChatTitle string, date int64) func(*chatState, *wMessage) {
	return func(_ *chatState, m *wMessage) {
		if date != 0 {
			m.Date = date
		}
		m.Text, m.Entities = text, commandEntities(text)
		o := &wOrigin{Type: "user", Date: max(m.Date-3600, 1), SenderUser: &wUser{ID: 424242, FirstName: "Teman"}}
		if originChatTitle != "" {
			o = &wOrigin{Type: "chat", Date: o.Date, SenderChat: &wChat{ID: -1009999, Type: "supergroup", Title: originChatTitle}}
		}
		m.ForwardOrigin = o
	}
}

// ForwardPhoto injects, in the user's private chat, a forward of a photo
// the bot sent (or any file_id) with its caption: the same file, so the
// same file_unique_id as every copy of it. A new photo (generated sizes)
// when fileID is "".
func (s *Server) ForwardPhoto(from User, fileID, caption, originChatTitle string) int64 {
	fill := s.forwardFill("", originChatTitle, 0)
	return s.injectMessage(from, from.ID, func(cs *chatState, m *wMessage) {
		fill(cs, m)
		if fileID == "" {
			s.fillPhotoLocked(m, caption)
			return
		}
		m.Photo = []wPhotoSize{{FileID: fileID, FileUniqueID: uniqueID(fileID), Width: 1280, Height: 960, FileSize: 120000}}
		m.Caption, m.CaptionEntities = caption, commandEntities(caption)
	})
}

// ForwardMany injects several forwarded texts at once in the user's
// private chat, as Telegram delivers a multi-select forward: one message
// per text, one after another with the same date and no id that ties
// them together. It returns the update ids in order.
func (s *Server) ForwardMany(from User, originChatTitle string, texts ...string) []int64 {
	date := s.unixNow()
	ids := make([]int64, 0, len(texts))
	for _, text := range texts {
		ids = append(ids, s.injectMessage(from, from.ID, s.forwardFill(text, originChatTitle, date)))
	}
	return ids
}

// PressButton injects a callback_query for a button of message messageID in
// chat chatID. The message carries a non-zero date; a stale or unknown
// message or data is allowed, like an old button after a restart.
func (s *Server) PressButton(from User, chatID int64, messageID int, data string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if chatID == from.ID || chatID == 0 {
		s.privateChatLocked(from)
	}
	cs := s.chatOfLocked(from, chatID)
	msg := s.messageLocked(cs, messageID)
	if msg == nil {
		msg = &wMessage{MessageID: messageID, From: s.botUser(), Chat: cs.chat, Date: s.unixNow(), Text: "…"}
	}
	s.st.nextCB++
	id := strconv.FormatInt(4_000_000_000_000+s.st.nextCB, 10)
	s.st.callbacks[id] = true
	cb := &wCallback{ID: id, From: wireUser(from), Message: msg, ChatInstance: strconv.FormatInt(cs.chat.ID*7919+17, 10), Data: data}
	return s.enqueueLocked(&wUpdate{CallbackQuery: cb})
}

// Block makes the user block the bot: later sends to their chat get 403
// "Forbidden: bot was blocked by the user", and a my_chat_member update
// (new status "kicked") is queued.
func (s *Server) Block(from User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.privateChatLocked(from)
	cs.blocked = true
	s.enqueueLocked(s.memberUpdateLocked(cs, from, "member", "kicked"))
}

// Unblock lets the bot write to the user again and queues a my_chat_member
// update (new status "member").
func (s *Server) Unblock(from User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.privateChatLocked(from)
	cs.blocked = false
	s.enqueueLocked(s.memberUpdateLocked(cs, from, "kicked", "member"))
}

// AddBotToGroup makes the group known and queues a my_chat_member update
// (the bot's status goes from "left" to "member").
func (s *Server) AddBotToGroup(chat Chat, by User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.groupChatLocked(chat)
	return s.enqueueLocked(s.memberUpdateLocked(cs, by, "left", "member"))
}

// MigrateGroup upgrades group oldID to the supergroup newID, as Telegram
// does when a group turns on visible history or grows: the service
// message with migrate_to_chat_id arrives in the old chat and the one
// with migrate_from_chat_id in the new one (both from by), and every send
// to the old id fails from now on with 400 "group chat was upgraded to a
// supergroup chat" carrying parameters.migrate_to_chat_id. Specs:
// https://core.telegram.org/bots/api#message (migrate_to_chat_id)
func (s *Server) MigrateGroup(oldID, newID int64, by User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.groupChatLocked(Chat{ID: oldID, Type: "group"})
	sup := s.groupChatLocked(Chat{ID: newID, Type: "supergroup", Title: old.chat.Title})
	old.migratedTo = newID
	m := s.userMessageLocked(old, by)
	m.MigrateToChatID = newID
	s.enqueueLocked(&wUpdate{Message: m})
	m = s.userMessageLocked(sup, by)
	m.MigrateFromChatID = oldID
	s.enqueueLocked(&wUpdate{Message: m})
}

func (s *Server) memberUpdateLocked(cs *chatState, by User, oldStatus, newStatus string) *wUpdate {
	member := func(status string) wMember {
		m := wMember{Status: status, User: *s.botUser()}
		if status == "kicked" {
			zero := int64(0)
			m.UntilDate = &zero
		}
		return m
	}
	return &wUpdate{MyChatMember: &wMemberUpdated{
		Chat: cs.chat, From: wireUser(by), Date: s.unixNow(),
		OldChatMember: member(oldStatus), NewChatMember: member(newStatus),
	}}
}

// RegisterUser makes the user's private chat known without injecting an
// update, as if they had written to the bot long ago (for seeding
// subscribers in tests and benchmarks).
func (s *Server) RegisterUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.privateChatLocked(u)
}

// rawTextMark stands for the text of a SendTextRaw message until its
// update is encoded; then the raw JSON replaces it.
const rawTextMark = "\x01emulator-raw-text\x01"

// SendTextRaw injects a text message from a user in their private chat
// whose "text" field is textJSON exactly as written, for the bytes
// Telegram sends that Go would never encode: a lone UTF-16 surrogate
// escape (`"tlogo\ud800mas"`), which Telegram passes on from a client
// that cut a character in half. textJSON must be a JSON string.
func (s *Server) SendTextRaw(from User, textJSON string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.privateChatLocked(from)
	m := s.userMessageLocked(cs, from)
	m.Text = rawTextMark
	id := s.enqueueLocked(&wUpdate{Message: m})
	mark, _ := json.Marshal(rawTextMark)
	last := &s.st.queue[len(s.st.queue)-1] // patched before the lock is let go: no poller sees the mark
	last.raw = bytes.Replace(last.raw, mark, []byte(textJSON), 1)
	return id
}

// SendRawUpdate queues an update whose bytes are `{"update_id":N,` +
// fields + `}`: anything a test needs Telegram to send, including JSON
// that Go reads but PostgreSQL refuses (a number beyond numeric's range).
// The chats and users it names are not made known to the emulator.
func (s *Server) SendRawUpdate(fields string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.nextUpdate++
	id := s.st.nextUpdate
	raw := []byte(`{"update_id":` + strconv.FormatInt(id, 10) + `,` + fields + `}`)
	var head map[string]json.RawMessage
	kind := "message"
	if json.Unmarshal(raw, &head) == nil {
		for k := range head {
			if k != "update_id" {
				kind = k
			}
		}
	}
	s.st.queue = append(s.st.queue, queued{id: id, kind: kind, raw: raw})
	s.updatesCh = notifyLocked(s.updatesCh)
	return id
}
