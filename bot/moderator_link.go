package bot

import (
	"context"
	"errors"
	"html"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// onTautkan links a moderator group. In a private chat a moderator gets a
// one-time code; sent in a group as "/tautkan CODE" it links that group.
func (f *aspFlow) onTautkan(ctx context.Context, r *Request) error {
	if r.Private {
		return f.linkCode(ctx, r)
	}
	if r.Command.Args == "" {
		return r.Say(ctx, "asp.link_usage")
	}
	mod, err := f.svc.LinkGroup(ctx, r.Command.Args, r.ChatID)
	if errors.Is(err, aspirations.ErrLinkCode) || errors.Is(err, aspirations.ErrNotFound) {
		return r.Say(ctx, "asp.link_bad")
	}
	if err != nil {
		return err
	}
	f.log.Info("moderator group linked", "update_id", r.Update.ID)
	return r.Say(ctx, "asp.link_ok", f.regionName(ctx, mod.Scope))
}

func (f *aspFlow) linkCode(ctx context.Context, r *Request) error {
	mod, err := f.svc.Moderator(ctx, r.UserID)
	if errors.Is(err, aspirations.ErrNotFound) || errors.Is(err, aspirations.ErrNotModerator) {
		return r.Say(ctx, "asp.staff_unlinked")
	}
	if err != nil {
		return err
	}
	code, err := f.svc.CreateGroupLinkCode(ctx, mod.Actor(aspUserName(r.Message.From)))
	if err != nil {
		return err
	}
	return r.Say(ctx, "asp.link_code", html.EscapeString(code), html.EscapeString(code))
}

// onChatMember greets a group the bot was just added to with how to link
// it to a KIM.
func (f *aspFlow) onChatMember(ctx context.Context, r *Request) error {
	if !aspBotAddedToGroup(r.Update) {
		return nil
	}
	return r.Say(ctx, "asp.group_welcome")
}

// aspBotAddedToGroup matches the my_chat_member update of the bot joining
// a group or supergroup.
func aspBotAddedToGroup(u *models.Update) bool {
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

// redeemModerator makes telegramID a moderator with an invitation code
// and says how it went. handled is false when the code is no moderator
// code (unknown, or an operator's), so /daftar may try it as an
// operator code instead.
func (f *aspFlow) redeemModerator(ctx context.Context, telegramID int64, code string) (reply message.Message, handled bool) {
	mod, err := f.svc.RedeemInvite(ctx, code, telegramID)
	key := catalog.Key("")
	switch {
	case errors.Is(err, broadcast.ErrInviteInvalid):
		return message.Message{}, false
	case errors.Is(err, broadcast.ErrInviteUsed):
		key = "asp.invite_used"
	case errors.Is(err, broadcast.ErrInviteExpired):
		key = "asp.invite_expired"
	case errors.Is(err, broadcast.ErrAlreadyInvited):
		key = "asp.invite_already"
	case err != nil:
		f.log.Error("redeeming moderator invite", "err", err)
		key = "asp.err_generic"
	default:
		f.log.Info("moderator invite redeemed")
		return message.Message{Text: catalog.T("asp.invite_ok", f.regionName(ctx, mod.Scope))}, true
	}
	return message.Message{Text: catalog.T(key)}, true
}

// regionName is a region's name for messages, or its code if unknown.
func (f *aspFlow) regionName(ctx context.Context, code region.Code) string {
	if f.regions != nil {
		if reg, err := f.regions.Get(ctx, code); err == nil {
			return html.EscapeString(reg.Name)
		}
	}
	return html.EscapeString(string(code))
}
