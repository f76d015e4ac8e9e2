package bot

import (
	"context"
	"errors"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// onTautkan links a moderator group. In a private chat a moderator gets a
// one-time code; sent in a group as "/tautkan CODE" it links that group.
func (f *aspFlow) onTautkan(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	m := u.Message
	if m.Chat.Type == models.ChatTypePrivate {
		f.linkCode(ctx, b, u)
		return
	}
	code := aspArgs(m.Text)
	if code == "" {
		f.say(ctx, b, m.Chat.ID, catalog.T("asp.link_usage"))
		return
	}
	mod, err := f.svc.LinkGroup(ctx, code, m.Chat.ID)
	if err != nil {
		if !errors.Is(err, aspirations.ErrNotFound) {
			f.log.Error("linking group", "err", err, "update_id", u.ID)
		}
		f.say(ctx, b, m.Chat.ID, catalog.T("asp.link_bad"))
		return
	}
	f.log.Info("moderator group linked", "update_id", u.ID)
	f.say(ctx, b, m.Chat.ID, catalog.T("asp.link_ok", f.regionName(ctx, mod.Scope)))
}

func (f *aspFlow) linkCode(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	chatID := u.Message.Chat.ID
	mod, err := f.svc.Moderator(ctx, u.Message.From.ID)
	if err != nil {
		if !errors.Is(err, aspirations.ErrNotFound) {
			f.log.Error("reading moderator", "err", err, "update_id", u.ID)
		}
		f.say(ctx, b, chatID, catalog.T("asp.staff_unlinked"))
		return
	}
	actor := aspirations.Actor{Role: aspirations.RoleModerator, TelegramID: mod.TelegramID, Scope: mod.Scope,
		Name: aspUserName(u.Message.From)}
	code, err := f.svc.CreateGroupLinkCode(ctx, actor)
	if err != nil {
		f.log.Error("creating group link code", "err", err, "update_id", u.ID)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	f.say(ctx, b, chatID, catalog.T("asp.link_code", code, code))
}

// onBotAddedToGroup greets a group the bot was just added to with how to
// link it.
func (f *aspFlow) onBotAddedToGroup(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	cm := u.MyChatMember
	f.say(ctx, b, cm.Chat.ID, catalog.T("asp.group_welcome"))
}

// aspBotAddedToGroup matches the my_chat_member update of the bot joining a
// group or supergroup.
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
