package aspiration

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// onAspirasi handles /aspirasi [text]. In order: a reply to a forwarded
// message files that message as cek hoaks; text files at once as
// lainnya; a forwarded message received just before files as cek hoaks;
// otherwise the guided flow starts.
func (f *Flow) onAspirasi(ctx context.Context, r *chat.Request) error {
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
	name := chat.UserName(r.Message.From)
	if fwd := r.Message.ReplyToMessage; isForwarded(fwd) {
		return f.fileHoax(ctx, r, name, village, forwardedText(fwd), sourceKey(r.Update.ID), f.checkOfReply(ctx, r, fwd))
	}
	if text := r.Command.Args; text != "" {
		att, kind := attachmentOf(r.Message) // "/aspirasi …" as a photo's caption
		if kind == attachUnsupported {
			return r.Say(ctx, "asp.err_attachment")
		}
		_, err := f.file(ctx, r, aspirations.NewTicket{ResidentChat: r.ChatID, ResidentName: name, VillageCode: village,
			Category: aspirations.CategoryOther, Text: text, Attachment: att, SourceKey: sourceKey(r.Update.ID)})
		return err
	}
	var fwd forward
	if found, _ := r.Store().Load(ctx, forwardKey(r), &fwd); found {
		drop(ctx, r, forwardKey(r))
		return f.fileHoax(ctx, r, name, village, fwd.Text, sourceKey(fwd.UpdateID), fwd.Check)
	}
	return f.startDraft(ctx, r)
}

// fileHoax files a forwarded message for the KIM to check, with what
// the authenticity check found for it.
func (f *Flow) fileHoax(ctx context.Context, r *chat.Request, name string, village region.Code, text, key, check string) error {
	if text == "" {
		return r.Say(ctx, "asp.hoax_missing_text")
	}
	_, err := f.file(ctx, r, aspirations.NewTicket{ResidentChat: r.ChatID, ResidentName: name, VillageCode: village,
		Category: aspirations.CategoryHoax, Text: text, SourceKey: key, Check: check})
	return err
}

func (f *Flow) startDraft(ctx context.Context, r *chat.Request) error {
	d := &draft{ID: newDraftID(), Step: stepCategory}
	if err := f.saveDraft(ctx, r, d); err != nil {
		return err
	}
	_, err := r.Reply(ctx, d.prompt())
	return err
}

// loadDraft reads the chat's guided aspiration; ok is false when the
// chat is in no aspiration flow (expired, or another flow took over).
func (f *Flow) loadDraft(ctx context.Context, r *chat.Request) (*draft, bool, error) {
	st, err := r.State(ctx)
	if err != nil || st.Flow != flowName {
		return nil, false, err
	}
	var d draft
	if json.Unmarshal([]byte(st.Data[draftField]), &d) != nil || d.ID == "" {
		return nil, false, nil
	}
	return &d, true, nil
}

func (f *Flow) saveDraft(ctx context.Context, r *chat.Request, d *draft) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return r.SetState(ctx, chat.State{Flow: flowName, Step: string(d.Step), Data: map[string]string{draftField: string(raw)}})
}

// onResidentButton handles the guided flow's buttons ("aspr:…"); each
// press turns the prompt it sat on into the next step.
func (f *Flow) onResidentButton(ctx context.Context, r *chat.Request) error {
	verb, arg, err := parseResidentData(r.Data)
	if err != nil || !r.Private {
		r.Answer(ctx, catalog.T("asp.expired"))
		return nil
	}
	r.Answer(ctx, "")
	if verb == verbHoax {
		return f.fileForward(ctx, r, arg)
	}
	d, ok, err := f.loadDraft(ctx, r)
	if err != nil {
		return err
	}
	if !ok {
		return r.Show(ctx, chat.Text("asp.expired"))
	}
	switch verb {
	case verbCancel:
		r.ClearState(ctx)
		return r.Show(ctx, chat.Text("asp.cancelled"))
	case verbSend:
		return f.sendDraft(ctx, r, d)
	case verbCategory:
		if c, err := aspirations.ParseCategory(arg); err == nil {
			d.onCategory(c)
		}
	case verbSkip:
		d.onSkip()
	case verbAnon:
		if problem := d.onAnon(arg == "1"); problem != "" {
			return f.savePrompt(ctx, r, d, catalog.T(problem))
		}
	}
	return f.savePrompt(ctx, r, d, "")
}

// savePrompt keeps the draft and shows its step, after a note if any.
func (f *Flow) savePrompt(ctx context.Context, r *chat.Request, d *draft, note string) error {
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
func (f *Flow) fileForward(ctx context.Context, r *chat.Request, updateID string) error {
	var fwd forward
	found, _ := r.Store().Load(ctx, forwardKey(r), &fwd)
	if !found {
		return r.Show(ctx, chat.Text("asp.expired"))
	}
	if updateID != "" && updateID != strconv.FormatInt(fwd.UpdateID, 10) {
		return r.Show(ctx, chat.Text("cek.offer_stale"))
	}
	village, ok, err := f.residentVillage(ctx, r.ChatID)
	if err != nil {
		return err
	}
	if !ok {
		return f.askVillage(ctx, r)
	}
	if err := r.Show(ctx, chat.Text("asp.hoax_offer_taken")); err != nil {
		return err
	}
	drop(ctx, r, forwardKey(r))
	return f.fileHoax(ctx, r, chat.UserName(&r.Callback.From), village, fwd.Text, sourceKey(fwd.UpdateID), fwd.Check)
}

// sendDraft files a finished draft. On a refusal the draft stays, so the
// resident can cancel or, after a flood wait, press Kirim again.
func (f *Flow) sendDraft(ctx context.Context, r *chat.Request, d *draft) error {
	if d.Step != stepPreview {
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
	filed, err := f.file(ctx, r, d.newTicket(r.ChatID, chat.UserName(&r.Callback.From), village))
	if filed {
		r.ClearState(ctx)
	} else if err == nil {
		_, err = r.Reply(ctx, d.prompt())
	}
	return err
}

// onDraftMessage takes a message typed during the guided flow.
func (f *Flow) onDraftMessage(ctx context.Context, r *chat.Request) error {
	d, ok, err := f.loadDraft(ctx, r)
	if err != nil || !ok {
		return err
	}
	text := r.Text()
	if isForwarded(r.Message) {
		text = forwardedText(r.Message)
	}
	att, kind := attachmentOf(r.Message)
	if problem := d.onMessage(text, att, kind); problem != "" {
		return r.Say(ctx, problem, tooLongArgs(aspirations.CheckText(text))...)
	}
	if err := f.saveDraft(ctx, r, d); err != nil {
		return err
	}
	m := d.prompt()
	if att != nil && d.Attachment == att {
		m.Text = albumNote(r, m.Text)
	}
	_, err = r.Reply(ctx, m)
	return err
}

// onResidentMessage takes a private message no command or flow took: a
// forwarded message is offered for a hoax check; a reply to an answer is
// added to that ticket's thread.
func (f *Flow) onResidentMessage(ctx context.Context, r *chat.Request) (bool, error) {
	if isForwarded(r.Message) {
		return true, f.offerHoax(ctx, r)
	}
	if r.Message.ReplyToMessage != nil {
		return f.residentReply(ctx, r)
	}
	return f.checkPasted(ctx, r)
}

// residentReply adds a reply to an answer message to the ticket's thread
// (the Service reopens it).
func (f *Flow) residentReply(ctx context.Context, r *chat.Request) (bool, error) {
	t, err := f.svc.TicketByAnswerMessage(ctx, r.ChatID, r.Message.ReplyToMessage.ID)
	if err != nil {
		return false, nil // not a reply to an answer: let other flows look
	}
	att, kind := attachmentOf(r.Message)
	if kind == attachUnsupported {
		return true, r.Say(ctx, "asp.err_attachment")
	}
	t, err = f.svc.ResidentReply(ctx, r.ChatID, t.Number, r.Text(), att)
	if err != nil {
		if key := fileErrorKey(err); key != "" {
			return true, r.Say(ctx, key, tooLongArgs(err)...)
		}
		return true, err
	}
	f.log.Info("resident replied", "ticket", t.Number, "update_id", r.Update.ID)
	_, err = r.Reply(ctx, message.Message{Text: albumNote(r, catalog.T("asp.reply_added", t.Number))})
	return true, err
}

// onStatus lists the resident's tickets.
func (f *Flow) onStatus(ctx context.Context, r *chat.Request) error {
	ts, err := f.svc.ResidentTickets(ctx, r.ChatID, 10)
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, message.Message{Text: statusList(ts, f.clock.Now())})
	return err
}

// onRate records Membantu / Tidak membantu on an answer.
func (f *Flow) onRate(ctx context.Context, r *chat.Request, ticketID int64, helpful bool) error {
	if !r.Private {
		r.Alert(ctx, catalog.T("asp.rate_forbidden"))
		return nil
	}
	err := f.svc.Rate(ctx, r.ChatID, ticketID, helpful)
	switch {
	case errors.Is(err, aspirations.ErrBadTransition):
		r.Alert(ctx, catalog.T("asp.rate_not_answered"))
		return nil
	case errors.Is(err, aspirations.ErrNotFound):
		r.Alert(ctx, catalog.T("asp.rate_forbidden"))
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
func (f *Flow) setButtons(ctx context.Context, r *chat.Request, rows [][]message.Button) {
	if m := r.Callback.Message.Message; m != nil {
		f.setButtonsOf(ctx, r, m.Chat.ID, m.ID, rows)
	}
}

// setButtonsOf replaces the buttons of message messageID in chatID.
func (f *Flow) setButtonsOf(ctx context.Context, r *chat.Request, chatID int64, messageID int, rows [][]message.Button) {
	if err := r.Conn().EditButtons(ctx, chatID, messageID, rows); err != nil {
		f.log.Debug("replacing buttons", "err", err, "update_id", r.Update.ID)
	}
}
