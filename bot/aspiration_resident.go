package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// onAspirasi handles /aspirasi [text]. In order: a reply to a forwarded
// message files that message as cek hoaks; text files at once as
// lainnya; a forwarded message received just before files as cek hoaks;
// otherwise the guided flow starts.
func (f *aspFlow) onAspirasi(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	m := u.Message
	chatID := m.Chat.ID
	if m.Chat.Type != models.ChatTypePrivate {
		f.say(ctx, b, chatID, catalog.T("asp.private_only"))
		return
	}
	village, ok, err := f.residentVillage(ctx, chatID)
	if err != nil {
		f.log.Error("reading subscription", "err", err, "update_id", u.ID)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	if !ok {
		f.askVillage(ctx, b, chatID)
		return
	}
	name := aspUserName(m.From)
	if fwd := m.ReplyToMessage; aspIsForwarded(fwd) {
		f.fileHoax(ctx, b, chatID, name, village, aspForwardedText(fwd), aspSourceKey(u))
		return
	}
	if text := aspArgs(m.Text); text != "" {
		f.file(ctx, b, chatID, aspirations.NewTicket{ResidentChat: chatID, ResidentName: name, VillageCode: village,
			Category: aspirations.Category("lainnya"), Text: text, SourceKey: aspSourceKey(u)})
		return
	}
	var fwd aspForward
	if found, _ := f.store.load(ctx, f.store.forwardKey(chatID), &fwd); found {
		f.store.drop(ctx, f.store.forwardKey(chatID))
		f.fileHoax(ctx, b, chatID, name, village, fwd.Text, aspSourceKey(&models.Update{ID: fwd.UpdateID}))
		return
	}
	f.startDraft(ctx, b, chatID)
}

// fileHoax files a forwarded message for the KIM to check.
func (f *aspFlow) fileHoax(ctx context.Context, b *tgbot.Bot, chatID int64, name string, village region.Code, text, key string) {
	if text == "" {
		f.say(ctx, b, chatID, catalog.T("asp.hoax_missing_text"))
		return
	}
	f.file(ctx, b, chatID, aspirations.NewTicket{ResidentChat: chatID, ResidentName: name, VillageCode: village,
		Category: aspirations.Category("cek_hoaks"), Text: text, SourceKey: key})
}

func (f *aspFlow) startDraft(ctx context.Context, b *tgbot.Bot, chatID int64) {
	d := &aspDraft{ID: aspNewDraftID(), Step: aspStepCategory}
	if err := f.store.save(ctx, f.store.draftKey(chatID), d, aspDraftTTL); err != nil {
		f.log.Error("starting aspiration draft", "err", err)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	f.show(ctx, b, chatID, d.prompt())
}

// onResidentButton handles the guided flow's buttons ("aspr:…").
func (f *aspFlow) onResidentButton(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	cq := u.CallbackQuery
	msg := aspCallbackMessage(cq)
	verb, arg, err := aspParseResidentData(cq.Data)
	if err != nil || msg == nil || msg.Chat.Type != models.ChatTypePrivate {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.expired"), false)
		return
	}
	chatID := msg.Chat.ID
	if verb == aspVerbHoax {
		aspAnswerCallback(ctx, b, cq, "", false)
		f.removeButtons(ctx, b, chatID, msg.ID)
		f.onAspirasi(ctx, b, &models.Update{ID: u.ID, Message: &models.Message{
			ID: msg.ID, Chat: msg.Chat, From: &cq.From, Text: "/aspirasi"}})
		return
	}
	var d aspDraft
	if found, _ := f.store.load(ctx, f.store.draftKey(chatID), &d); !found {
		aspAnswerCallback(ctx, b, cq, "", false)
		f.removeButtons(ctx, b, chatID, msg.ID)
		f.say(ctx, b, chatID, catalog.T("asp.expired"))
		return
	}
	aspAnswerCallback(ctx, b, cq, "", false)
	f.removeButtons(ctx, b, chatID, msg.ID)
	switch verb {
	case aspVerbCancel:
		f.store.drop(ctx, f.store.draftKey(chatID))
		f.say(ctx, b, chatID, catalog.T("asp.cancelled"))
		return
	case aspVerbSend:
		f.sendDraft(ctx, b, chatID, cq.From, &d)
		return
	case aspVerbCategory:
		if c, err := aspirations.ParseCategory(arg); err == nil {
			d.onCategory(c)
		}
	case aspVerbSkip:
		d.onSkip()
	case aspVerbAnon:
		if problem := d.onAnon(arg == "1"); problem != "" {
			f.say(ctx, b, chatID, catalog.T(problem))
		}
	}
	f.saveAndPrompt(ctx, b, chatID, &d)
}

func (f *aspFlow) saveAndPrompt(ctx context.Context, b *tgbot.Bot, chatID int64, d *aspDraft) {
	if err := f.store.save(ctx, f.store.draftKey(chatID), d, aspDraftTTL); err != nil {
		f.log.Error("saving aspiration draft", "err", err)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	f.show(ctx, b, chatID, d.prompt())
}

// sendDraft files a finished draft. On a refusal the draft stays, so the
// resident can cancel or, after a flood wait, press Kirim again.
func (f *aspFlow) sendDraft(ctx context.Context, b *tgbot.Bot, chatID int64, from models.User, d *aspDraft) {
	if d.Step != aspStepPreview {
		f.show(ctx, b, chatID, d.prompt())
		return
	}
	village, ok, err := f.residentVillage(ctx, chatID)
	if err != nil || !ok {
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	if f.file(ctx, b, chatID, d.newTicket(chatID, aspUserName(&from), village)) {
		f.store.drop(ctx, f.store.draftKey(chatID))
		return
	}
	f.show(ctx, b, chatID, d.prompt())
}

func (f *aspFlow) removeButtons(ctx context.Context, b *tgbot.Bot, chatID int64, messageID int) {
	if err := aspSetButtons(ctx, b, chatID, messageID, nil); err != nil {
		f.log.Debug("removing buttons", "err", err)
	}
}

// onResidentMessage takes a non-command message in a private chat. It
// reports false when it is not for the aspiration flows, so the
// subscription flow may handle it.
func (f *aspFlow) onResidentMessage(ctx context.Context, b *tgbot.Bot, u *models.Update) bool {
	m := u.Message
	chatID := m.Chat.ID
	var d aspDraft
	if found, _ := f.store.load(ctx, f.store.draftKey(chatID), &d); found && (d.Step == aspStepText || d.Step == aspStepAttach) {
		f.draftMessage(ctx, b, chatID, m, &d)
		return true
	}
	if aspIsForwarded(m) {
		f.offerHoax(ctx, b, chatID, m, u.ID)
		return true
	}
	if m.ReplyToMessage != nil {
		return f.residentReply(ctx, b, chatID, m)
	}
	return false
}

func (f *aspFlow) draftMessage(ctx context.Context, b *tgbot.Bot, chatID int64, m *models.Message, d *aspDraft) {
	text := aspText(m)
	if aspIsForwarded(m) {
		text = aspForwardedText(m)
	}
	att, kind := aspAttachmentOf(m)
	if problem := d.onMessage(text, att, kind); problem != "" {
		f.say(ctx, b, chatID, catalog.T(problem))
		return
	}
	f.saveAndPrompt(ctx, b, chatID, d)
}

// offerHoax remembers a forwarded message and offers to file it.
func (f *aspFlow) offerHoax(ctx context.Context, b *tgbot.Bot, chatID int64, m *models.Message, updateID int64) {
	fwd := aspForward{Text: aspForwardedText(m), UpdateID: updateID}
	if err := f.store.save(ctx, f.store.forwardKey(chatID), fwd, aspForwardTTL); err != nil {
		f.log.Warn("remembering forward", "err", err)
	}
	f.show(ctx, b, chatID, message.Message{Text: catalog.T("asp.hoax_offer"), ReplyTo: m.ID,
		Buttons: [][]message.Button{{{Text: catalog.T("asp.btn_hoax"), Data: aspResidentData(aspVerbHoax, "")}}}})
}

// residentReply adds a reply to an answer message to the ticket's thread.
func (f *aspFlow) residentReply(ctx context.Context, b *tgbot.Bot, chatID int64, m *models.Message) bool {
	t, err := f.svc.TicketByAnswerMessage(ctx, chatID, m.ReplyToMessage.ID)
	if err != nil {
		return false
	}
	att, kind := aspAttachmentOf(m)
	if kind == aspAttachUnsupported {
		f.say(ctx, b, chatID, catalog.T("asp.err_attachment"))
		return true
	}
	t, err = f.svc.ResidentReply(ctx, chatID, t.Number, aspText(m), att)
	if err != nil {
		f.sayFileError(ctx, b, chatID, err)
		return true
	}
	f.say(ctx, b, chatID, catalog.T("asp.reply_added", t.Number))
	return true
}

// onStatus lists the resident's tickets.
func (f *aspFlow) onStatus(ctx context.Context, b *tgbot.Bot, u *models.Update) {
	chatID := u.Message.Chat.ID
	ts, err := f.svc.ResidentTickets(ctx, chatID, 10)
	if err != nil {
		f.log.Error("listing resident tickets", "err", err, "update_id", u.ID)
		f.say(ctx, b, chatID, catalog.T("asp.err_generic"))
		return
	}
	f.say(ctx, b, chatID, aspStatusList(ts, f.clock.Now()))
}

// onRate records Membantu / Tidak membantu on an answer.
func (f *aspFlow) onRate(ctx context.Context, b *tgbot.Bot, cq *models.CallbackQuery, ticketID int64, helpful bool) {
	msg := aspCallbackMessage(cq)
	if msg == nil || msg.Chat.Type != models.ChatTypePrivate {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.rate_forbidden"), true)
		return
	}
	if err := f.svc.Rate(ctx, msg.Chat.ID, ticketID, helpful); err != nil {
		aspAnswerCallback(ctx, b, cq, catalog.T("asp.rate_forbidden"), true)
		return
	}
	aspAnswerCallback(ctx, b, cq, catalog.T("asp.rate_thanks"), false)
	f.removeButtons(ctx, b, msg.Chat.ID, msg.ID)
}
