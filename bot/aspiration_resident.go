package bot

import (
	"context"
	"encoding/json"
	"errors"

	tgbot "github.com/go-telegram/bot"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// onAspirasi handles /aspirasi [text]. In order: a reply to a forwarded
// message files that message as cek hoaks; text files at once as
// lainnya; a forwarded message received just before files as cek hoaks;
// otherwise the guided flow starts.
func (f *aspFlow) onAspirasi(ctx context.Context, r *Request) error {
	if !r.Private {
		return r.Say(ctx, "asp.private_only")
	}
	village, ok, err := f.residentVillage(ctx, r.ChatID)
	if err != nil {
		return err
	}
	if !ok {
		return f.askVillage(ctx, r)
	}
	name := aspUserName(r.Message.From)
	if fwd := r.Message.ReplyToMessage; aspIsForwarded(fwd) {
		f.store.drop(ctx, f.store.forwardKey(r.ChatID)) // this is the forward offered, if any
		return f.fileHoax(ctx, r, name, village, aspForwardedText(fwd), aspSourceKey(r.Update.ID))
	}
	if text := r.Command.Args; text != "" {
		_, err := f.file(ctx, r, aspirations.NewTicket{ResidentChat: r.ChatID, ResidentName: name, VillageCode: village,
			Category: aspirations.CategoryOther, Text: text, SourceKey: aspSourceKey(r.Update.ID)})
		return err
	}
	var fwd aspForward
	if found, _ := f.store.load(ctx, f.store.forwardKey(r.ChatID), &fwd); found {
		f.store.drop(ctx, f.store.forwardKey(r.ChatID))
		return f.fileHoax(ctx, r, name, village, fwd.Text, aspSourceKey(fwd.UpdateID))
	}
	return f.startDraft(ctx, r)
}

// fileHoax files a forwarded message for the KIM to check.
func (f *aspFlow) fileHoax(ctx context.Context, r *Request, name string, village region.Code, text, key string) error {
	if text == "" {
		return r.Say(ctx, "asp.hoax_missing_text")
	}
	_, err := f.file(ctx, r, aspirations.NewTicket{ResidentChat: r.ChatID, ResidentName: name, VillageCode: village,
		Category: aspirations.CategoryHoax, Text: text, SourceKey: key})
	return err
}

func (f *aspFlow) startDraft(ctx context.Context, r *Request) error {
	d := &aspDraft{ID: aspNewDraftID(), Step: aspStepCategory}
	if err := f.saveDraft(ctx, r, d); err != nil {
		return err
	}
	_, err := r.Reply(ctx, d.prompt())
	return err
}

// loadDraft reads the chat's guided aspiration; ok is false when the
// chat is in no aspiration flow (expired, or another flow took over).
func (f *aspFlow) loadDraft(ctx context.Context, r *Request) (*aspDraft, bool, error) {
	st, err := r.State(ctx)
	if err != nil || st.Flow != aspFlowName {
		return nil, false, err
	}
	var d aspDraft
	if json.Unmarshal([]byte(st.Data[aspDraftField]), &d) != nil || d.ID == "" {
		return nil, false, nil
	}
	return &d, true, nil
}

func (f *aspFlow) saveDraft(ctx context.Context, r *Request, d *aspDraft) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return r.SetState(ctx, State{Flow: aspFlowName, Step: string(d.Step), Data: map[string]string{aspDraftField: string(raw)}})
}

// onResidentButton handles the guided flow's buttons ("aspr:…"); each
// press turns the prompt it sat on into the next step.
func (f *aspFlow) onResidentButton(ctx context.Context, r *Request) error {
	verb, arg, err := aspParseResidentData(r.Data)
	if err != nil || !r.Private {
		r.Answer(ctx, catalog.T("asp.expired"))
		return nil
	}
	r.Answer(ctx, "")
	if verb == aspVerbHoax {
		return f.fileForward(ctx, r)
	}
	d, ok, err := f.loadDraft(ctx, r)
	if err != nil {
		return err
	}
	if !ok {
		return r.Show(ctx, textMessage("asp.expired"))
	}
	switch verb {
	case aspVerbCancel:
		r.ClearState(ctx)
		return r.Show(ctx, textMessage("asp.cancelled"))
	case aspVerbSend:
		return f.sendDraft(ctx, r, d)
	case aspVerbCategory:
		if c, err := aspirations.ParseCategory(arg); err == nil {
			d.onCategory(c)
		}
	case aspVerbSkip:
		d.onSkip()
	case aspVerbAnon:
		if problem := d.onAnon(arg == "1"); problem != "" {
			return f.savePrompt(ctx, r, d, catalog.T(problem))
		}
	}
	return f.savePrompt(ctx, r, d, "")
}

// savePrompt keeps the draft and shows its step, after a note if any.
func (f *aspFlow) savePrompt(ctx context.Context, r *Request, d *aspDraft, note string) error {
	if err := f.saveDraft(ctx, r, d); err != nil {
		return err
	}
	m := d.prompt()
	if note != "" {
		m.Text = note + "\n\n" + m.Text
	}
	return r.Show(ctx, m)
}

// fileForward files the forwarded message the "Laporkan untuk dicek"
// button was offered for.
func (f *aspFlow) fileForward(ctx context.Context, r *Request) error {
	var fwd aspForward
	found, _ := f.store.load(ctx, f.store.forwardKey(r.ChatID), &fwd)
	if !found {
		return r.Show(ctx, textMessage("asp.expired"))
	}
	village, ok, err := f.residentVillage(ctx, r.ChatID)
	if err != nil {
		return err
	}
	if !ok {
		return f.askVillage(ctx, r)
	}
	if err := r.Show(ctx, textMessage("asp.hoax_offer_taken")); err != nil {
		return err
	}
	f.store.drop(ctx, f.store.forwardKey(r.ChatID))
	return f.fileHoax(ctx, r, aspUserName(&r.Callback.From), village, fwd.Text, aspSourceKey(fwd.UpdateID))
}

// sendDraft files a finished draft. On a refusal the draft stays, so the
// resident can cancel or, after a flood wait, press Kirim again.
func (f *aspFlow) sendDraft(ctx context.Context, r *Request, d *aspDraft) error {
	if d.Step != aspStepPreview {
		return r.Show(ctx, d.prompt())
	}
	village, ok, err := f.residentVillage(ctx, r.ChatID)
	if err != nil {
		return err
	}
	if !ok {
		r.ClearState(ctx)
		return f.askVillage(ctx, r)
	}
	if err := r.Show(ctx, message.Message{Text: d.preview().Text}); err != nil {
		return err
	}
	filed, err := f.file(ctx, r, d.newTicket(r.ChatID, aspUserName(&r.Callback.From), village))
	if filed {
		r.ClearState(ctx)
	} else if err == nil {
		_, err = r.Reply(ctx, d.prompt())
	}
	return err
}

// onDraftMessage takes a message typed during the guided flow.
func (f *aspFlow) onDraftMessage(ctx context.Context, r *Request) error {
	d, ok, err := f.loadDraft(ctx, r)
	if err != nil || !ok {
		return err
	}
	text := r.Text()
	if aspIsForwarded(r.Message) {
		text = aspForwardedText(r.Message)
	}
	att, kind := aspAttachmentOf(r.Message)
	if problem := d.onMessage(text, att, kind); problem != "" {
		return r.Say(ctx, problem)
	}
	if err := f.saveDraft(ctx, r, d); err != nil {
		return err
	}
	_, err = r.Reply(ctx, d.prompt())
	return err
}

// onResidentMessage takes a private message no command or flow took: a
// forwarded message is offered for a hoax check; a reply to an answer is
// added to that ticket's thread.
func (f *aspFlow) onResidentMessage(ctx context.Context, r *Request) (bool, error) {
	if aspIsForwarded(r.Message) {
		return true, f.offerHoax(ctx, r)
	}
	if r.Message.ReplyToMessage != nil {
		return f.residentReply(ctx, r)
	}
	return false, nil
}

// offerHoax remembers a forwarded message and offers to file it.
func (f *aspFlow) offerHoax(ctx context.Context, r *Request) error {
	fwd := aspForward{Text: aspForwardedText(r.Message), UpdateID: r.Update.ID}
	if err := f.store.save(ctx, f.store.forwardKey(r.ChatID), fwd, aspForwardTTL); err != nil {
		return err
	}
	_, err := r.Reply(ctx, message.Message{Text: catalog.T("asp.hoax_offer"), ReplyTo: r.Message.ID,
		Buttons: [][]message.Button{{{Text: catalog.T("asp.btn_hoax"), Data: aspResidentData(aspVerbHoax, "")}}}})
	return err
}

// residentReply adds a reply to an answer message to the ticket's thread
// (the Service reopens it).
func (f *aspFlow) residentReply(ctx context.Context, r *Request) (bool, error) {
	t, err := f.svc.TicketByAnswerMessage(ctx, r.ChatID, r.Message.ReplyToMessage.ID)
	if err != nil {
		return false, nil // not a reply to an answer: let other flows look
	}
	att, kind := aspAttachmentOf(r.Message)
	if kind == aspAttachUnsupported {
		return true, r.Say(ctx, "asp.err_attachment")
	}
	t, err = f.svc.ResidentReply(ctx, r.ChatID, t.Number, r.Text(), att)
	if err != nil {
		if key := aspFileErrorKey(err); key != "" {
			return true, r.Say(ctx, key)
		}
		return true, err
	}
	f.log.Info("resident replied", "ticket", t.Number, "update_id", r.Update.ID)
	return true, r.Say(ctx, "asp.reply_added", t.Number)
}

// onStatus lists the resident's tickets.
func (f *aspFlow) onStatus(ctx context.Context, r *Request) error {
	ts, err := f.svc.ResidentTickets(ctx, r.ChatID, 10)
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, message.Message{Text: aspStatusList(ts, f.clock.Now())})
	return err
}

// onRate records Membantu / Tidak membantu on an answer.
func (f *aspFlow) onRate(ctx context.Context, r *Request, ticketID int64, helpful bool) error {
	if !r.Private {
		aspAlert(ctx, r, catalog.T("asp.rate_forbidden"))
		return nil
	}
	err := f.svc.Rate(ctx, r.ChatID, ticketID, helpful)
	switch {
	case errors.Is(err, aspirations.ErrBadTransition):
		aspAlert(ctx, r, catalog.T("asp.rate_not_answered"))
		return nil
	case errors.Is(err, aspirations.ErrNotFound):
		aspAlert(ctx, r, catalog.T("asp.rate_forbidden"))
		return nil
	case err != nil:
		return err
	}
	r.Answer(ctx, catalog.T("asp.rate_thanks"))
	f.setButtons(ctx, r, nil)
	return nil
}

// setButtons replaces only the buttons of the message a press sat on (a
// post may be a photo, whose text cannot be edited as text).
func (f *aspFlow) setButtons(ctx context.Context, r *Request, rows [][]message.Button) {
	if m := r.Callback.Message.Message; m != nil {
		f.setButtonsOf(ctx, r, m.Chat.ID, m.ID, rows)
	}
}

// setButtonsOf replaces the buttons of message messageID in chatID.
func (f *aspFlow) setButtonsOf(ctx context.Context, r *Request, chatID int64, messageID int, rows [][]message.Button) {
	_, err := r.Bot().EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: chatID, MessageID: messageID,
		ReplyMarkup: editKeyboard(rows)})
	if err != nil {
		f.log.Debug("replacing buttons", "err", err, "update_id", r.Update.ID)
	}
}
