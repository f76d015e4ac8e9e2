package aspiration

import (
	"context"
	"errors"
	"html"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// onTautkan links a moderator group. In a private chat a moderator gets a
// one-time code; sent in a group as "/tautkan CODE" it links that group,
// and typed in a forum topic it makes that topic the home of the posts.
func (f *Flow) onTautkan(ctx context.Context, r *chat.Request) error {
	if r.Private {
		return f.linkCode(ctx, r)
	}
	if r.Command.Args == "" {
		return r.Say(ctx, "asp.link_usage")
	}
	mod, err := f.staff.LinkGroup(ctx, r.Command.Args, r.ChatID, r.ThreadID)
	if errors.Is(err, staff.ErrLinkCode) || errors.Is(err, staff.ErrInvalid) {
		return r.Say(ctx, "asp.link_bad")
	}
	if err != nil {
		return err
	}
	f.log.Info("moderator group linked", "update_id", r.Update.ID)
	return r.Say(ctx, "asp.link_ok", f.regionName(ctx, mod.Scope))
}

func (f *Flow) linkCode(ctx context.Context, r *chat.Request) error {
	mod, err := f.staff.Get(ctx, r.UserID, staff.RoleModerator)
	if errors.Is(err, staff.ErrNotFound) {
		return r.Say(ctx, "asp.staff_unlinked")
	}
	if err != nil {
		return err
	}
	code, err := f.staff.CreateGroupLinkCode(ctx, mod.Actor(chat.UserName(r.Message.From)))
	if err != nil {
		return err
	}
	return r.Say(ctx, "asp.link_code", html.EscapeString(code), html.EscapeString(code))
}

// onChatMember greets a group the bot was just added to with how to link
// it to a KIM.
func (f *Flow) onChatMember(ctx context.Context, r *chat.Request) error {
	switch {
	case botAddedToGroup(r.Update):
		return r.Say(ctx, "asp.group_welcome")
	case botRemovedFromGroup(r.Update):
		return f.svc.GroupGone(ctx, r.ChatID)
	}
	return nil
}

// botRemovedFromGroup matches the my_chat_member update of the bot leaving
// or being removed from a group or supergroup.
// Specs: https://core.telegram.org/bots/api#chatmemberupdated
func botRemovedFromGroup(u *models.Update) bool {
	cm := u.MyChatMember
	if cm == nil || (cm.Chat.Type != models.ChatTypeGroup && cm.Chat.Type != models.ChatTypeSupergroup) {
		return false
	}
	switch cm.NewChatMember.Type {
	case models.ChatMemberTypeLeft, models.ChatMemberTypeBanned:
		return true
	}
	return false
}

// botAddedToGroup matches the my_chat_member update of the bot joining
// a group or supergroup.
func botAddedToGroup(u *models.Update) bool {
	cm := u.MyChatMember
	if cm == nil || (cm.Chat.Type != models.ChatTypeGroup && cm.Chat.Type != models.ChatTypeSupergroup) {
		return false
	}
	switch cm.NewChatMember.Type {
	case models.ChatMemberTypeMember, models.ChatMemberTypeAdministrator:
	default:
		return false
	}
	switch cm.OldChatMember.Type {
	case models.ChatMemberTypeLeft, models.ChatMemberTypeBanned:
		return true
	}
	return false
}

// onChatMigrated keeps a KIM group's link (and the posts waiting for it)
// on the supergroup Telegram moved it to.
func (f *Flow) onChatMigrated(ctx context.Context, r *chat.Request, from, to int64) error {
	if from >= 0 || to >= 0 {
		return nil // only groups move
	}
	return f.svc.MoveChat(ctx, from, to)
}

// regionName is a region's name for messages, or its code if unknown.
func (f *Flow) regionName(ctx context.Context, code region.Code) string {
	return html.EscapeString(f.regions.Name(ctx, code))
}
