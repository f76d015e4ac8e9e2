package emulator

// The JSON shapes of the Bot API objects the emulator produces. Field names
// follow https://core.telegram.org/bots/api and decode cleanly into the
// models of github.com/go-telegram/bot (checked by the protocol tests).

type wUser struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

type wChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"` // a supergroup with topics
}

type wEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wPhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size"`
}

type wDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

type wSticker struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Type         string `json:"type"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	IsAnimated   bool   `json:"is_animated"`
	IsVideo      bool   `json:"is_video"`
	Emoji        string `json:"emoji,omitempty"`
}

type wLocation struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type wOrigin struct {
	Type       string `json:"type"`
	Date       int64  `json:"date"`
	SenderUser *wUser `json:"sender_user,omitempty"`
	SenderChat *wChat `json:"sender_chat,omitempty"`
}

type wButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

type wMarkup struct {
	InlineKeyboard [][]wButton `json:"inline_keyboard"`
}

type wMessage struct {
	MessageID       int          `json:"message_id"`
	MessageThreadID int          `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool         `json:"is_topic_message,omitempty"`
	From            *wUser       `json:"from,omitempty"`
	SenderChat      *wChat       `json:"sender_chat,omitempty"` // a message sent on behalf of a chat
	Chat            wChat        `json:"chat"`
	Date            int64        `json:"date"`
	EditDate        int64        `json:"edit_date,omitempty"`
	ForwardOrigin   *wOrigin     `json:"forward_origin,omitempty"`
	ReplyToMessage  *wMessage    `json:"reply_to_message,omitempty"`
	MediaGroupID    string       `json:"media_group_id,omitempty"`
	Text            string       `json:"text,omitempty"`
	Entities        []wEntity    `json:"entities,omitempty"`
	Caption         string       `json:"caption,omitempty"`
	CaptionEntities []wEntity    `json:"caption_entities,omitempty"`
	Photo           []wPhotoSize `json:"photo,omitempty"`
	Document        *wDocument   `json:"document,omitempty"`
	Sticker         *wSticker    `json:"sticker,omitempty"`
	Location        *wLocation   `json:"location,omitempty"`
	ReplyMarkup     *wMarkup     `json:"reply_markup,omitempty"`
	// Service messages of a group upgraded to a supergroup.
	MigrateToChatID   int64 `json:"migrate_to_chat_id,omitempty"`
	MigrateFromChatID int64 `json:"migrate_from_chat_id,omitempty"`
	// The service message that opens a forum topic.
	ForumTopicCreated *wTopicCreated `json:"forum_topic_created,omitempty"`
}

type wTopicCreated struct {
	Name      string `json:"name"`
	IconColor int    `json:"icon_color"`
}

type wMember struct {
	Status    string `json:"status"`
	User      wUser  `json:"user"`
	UntilDate *int64 `json:"until_date,omitempty"`
}

type wMemberUpdated struct {
	Chat          wChat   `json:"chat"`
	From          wUser   `json:"from"`
	Date          int64   `json:"date"`
	OldChatMember wMember `json:"old_chat_member"`
	NewChatMember wMember `json:"new_chat_member"`
}

type wCallback struct {
	ID           string    `json:"id"`
	From         wUser     `json:"from"`
	Message      *wMessage `json:"message,omitempty"`
	ChatInstance string    `json:"chat_instance"`
	Data         string    `json:"data,omitempty"`
}

type wUpdate struct {
	UpdateID      int64           `json:"update_id"`
	Message       *wMessage       `json:"message,omitempty"`
	CallbackQuery *wCallback      `json:"callback_query,omitempty"`
	MyChatMember  *wMemberUpdated `json:"my_chat_member,omitempty"`
}

// kind is the allowed_updates name of the update.
func (u *wUpdate) kind() string {
	switch {
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.MyChatMember != nil:
		return "my_chat_member"
	default:
		return "message"
	}
}

type wFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

type wWebhookInfo struct {
	URL                string   `json:"url"`
	HasCustomCert      bool     `json:"has_custom_certificate"`
	PendingUpdateCount int      `json:"pending_update_count"`
	LastErrorDate      int64    `json:"last_error_date,omitempty"`
	LastErrorMessage   string   `json:"last_error_message,omitempty"`
	AllowedUpdates     []string `json:"allowed_updates,omitempty"`
}

type wBotUser struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	Username                string `json:"username"`
	CanJoinGroups           bool   `json:"can_join_groups"`
	CanReadAllGroupMessages bool   `json:"can_read_all_group_messages"`
	SupportsInlineQueries   bool   `json:"supports_inline_queries"`
}

type wChatFull struct {
	ID               int64  `json:"id"`
	Type             string `json:"type"`
	Title            string `json:"title,omitempty"`
	Username         string `json:"username,omitempty"`
	FirstName        string `json:"first_name,omitempty"`
	LastName         string `json:"last_name,omitempty"`
	AccentColorID    int    `json:"accent_color_id"`
	MaxReactionCount int    `json:"max_reaction_count"`
}

type wMessageID struct {
	MessageID int `json:"message_id"`
}
