package aspiration

import (
	"context"
	"html"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// minPastedWords is how long a pasted (not forwarded) text must be to be
// checked at all: shorter ones are chat, a village name, a question.
const minPastedWords = 8

// verify asks the archive about m (a forward, or a pasted text when
// pasted is set) and returns the verdict and the answer that tells it.
// ok is false when there is no archive, or a pasted text matched nothing
// (it was most likely not about an announcement: other flows answer it).
func (f *Flow) verify(ctx context.Context, r *chat.Request, m *models.Message, pasted bool) (broadcast.Verdict, string, bool, error) {
	if f.archive == nil || m == nil {
		return broadcast.Verdict{}, "", false, nil
	}
	s := suspectOf(m, pasted)
	s.Village, _, _ = f.residentVillage(ctx, r.ChatID)
	if pasted && len(strings.Fields(s.Text)) < minPastedWords {
		return broadcast.Verdict{}, "", false, nil
	}
	v, err := f.archive.Check(ctx, s)
	if err != nil || (pasted && v.Result == broadcast.CheckUnknown) {
		return v, "", false, err
	}
	return v, f.verdictText(ctx, v), true, nil
}

// suspectOf is what the check compares of m: its text or caption, the
// links hidden behind its words (a pasted text has none to tell), and
// every size of its photo.
func suspectOf(m *models.Message, pasted bool) broadcast.Suspect {
	s := broadcast.Suspect{Text: m.Text, Pasted: pasted}
	entities := m.Entities
	if s.Text == "" {
		s.Text, entities = m.Caption, m.CaptionEntities
	}
	if !pasted {
		s.Links = []string{}
		for _, e := range entities {
			if e.Type == models.MessageEntityTypeTextLink && e.URL != "" {
				s.Links = append(s.Links, e.URL)
			}
		}
	}
	for _, p := range m.Photo {
		s.Photos = append(s.Photos, p.FileUniqueID)
	}
	return s
}

// verdictText is the one answer to a check: official (with the archive
// link), edited (with what differs) or unknown (with advice).
func (f *Flow) verdictText(ctx context.Context, v broadcast.Verdict) string {
	if v.Result == broadcast.CheckUnknown {
		return catalog.T("cek.unknown")
	}
	office := html.EscapeString(f.office(ctx, v.Entry))
	when := broadcast.LongTime(v.Entry.FirstSentAt, f.zone)
	area := html.EscapeString(f.area(ctx, v.Entry.Targets))
	if v.Result == broadcast.CheckOfficial {
		text := catalog.T("cek.official", office, when, area)
		if v.Entry.Key != "" && f.archiveURL != "" {
			return text + catalog.T("cek.official_link", html.EscapeString(f.archiveURL+"/arsip/"+v.Entry.Key))
		}
		return text + catalog.T("cek.official_hidden")
	}
	var b strings.Builder
	b.WriteString(catalog.T("cek.edited", office, when, area))
	for _, c := range v.Changes {
		switch {
		case c.Official == "":
			b.WriteString(catalog.T("cek.change_added", html.EscapeString(c.Copy)))
		case c.Copy == "":
			b.WriteString(catalog.T("cek.change_removed", html.EscapeString(c.Official)))
		default:
			b.WriteString(catalog.T("cek.change", html.EscapeString(c.Official), html.EscapeString(c.Copy)))
		}
	}
	if v.More {
		b.WriteString(catalog.T("cek.change_more"))
	}
	if v.PhotoDiffers {
		b.WriteString(catalog.T("cek.photo_differs"))
	}
	if v.Entry.Key != "" && f.archiveURL != "" {
		b.WriteString(catalog.T("cek.official_link", html.EscapeString(f.archiveURL+"/arsip/"+v.Entry.Key)))
	}
	return b.String()
}

// office is who issued e (broadcast.Entry.IssuerName).
func (f *Flow) office(ctx context.Context, e broadcast.Entry) string {
	return e.IssuerName(func(c region.Code) string { return f.regions.Name(ctx, c) })
}

// area names the targets as people say them ("Kec. Lowokwaru").
func (f *Flow) area(ctx context.Context, targets []region.Code) string {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = f.regions.ShortLabel(ctx, t)
	}
	return strings.Join(names, catalog.T("cek.area_sep"))
}

// offerHoax answers a forwarded message in one message: what the
// authenticity check found and, unless it is official, the offer to
// file it for the KIM to check (the forward is remembered for that).
func (f *Flow) offerHoax(ctx context.Context, r *chat.Request) error {
	v, verdict, checked, err := f.verify(ctx, r, r.Message, false)
	if err != nil { // the offer still stands without the check
		f.log.Warn("checking a forward against the archive", "err", err, "update_id", r.Update.ID)
		checked = false
	}
	fwd := forward{Text: forwardedText(r.Message), UpdateID: r.Update.ID, Check: ticketCheck(v)}
	if !checked {
		verdict = catalog.T("asp.hoax_offer")
	}
	return f.answerCheck(ctx, r, fwd, verdict, !checked || v.Result != broadcast.CheckOfficial)
}

// checkPasted checks a long text a resident pasted (not forwarded): it is
// answered only when it matches or copies an official announcement.
func (f *Flow) checkPasted(ctx context.Context, r *chat.Request) (bool, error) {
	v, verdict, checked, err := f.verify(ctx, r, r.Message, true)
	if err != nil || !checked {
		if err != nil {
			f.log.Warn("checking a pasted text against the archive", "err", err, "update_id", r.Update.ID)
		}
		return false, nil
	}
	fwd := forward{Text: strings.TrimSpace(r.Message.Text), UpdateID: r.Update.ID, Check: ticketCheck(v)}
	return true, f.answerCheck(ctx, r, fwd, verdict, v.Result != broadcast.CheckOfficial)
}

// answerCheck remembers fwd for /aspirasi and sends the one answer;
// with offer, the check's answer invites filing it for the KIM.
func (f *Flow) answerCheck(ctx context.Context, r *chat.Request, fwd forward, text string, offer bool) error {
	if err := r.Store().Save(ctx, forwardKey(r), fwd, forwardTTL); err != nil {
		return err
	}
	m := message.Message{Text: text, ReplyTo: r.Message.ID, NoPreview: true}
	if offer {
		if text != catalog.T("asp.hoax_offer") {
			m.Text += catalog.T("cek.offer")
		}
		// The button names its message: a later check (of another
		// message) replaces what is remembered, and must not be filed
		// in this one's name.
		m.Buttons = [][]message.Button{{{Text: catalog.T("asp.btn_hoax"),
			Data: residentData(verbHoax, strconv.FormatInt(fwd.UpdateID, 10))}}}
	}
	_, err := r.Reply(ctx, m)
	return err
}

// checkOfReply is the check of the forward a "/aspirasi" replies to: the
// one remembered when it arrived, or a new one.
func (f *Flow) checkOfReply(ctx context.Context, r *chat.Request, fwd *models.Message) string {
	var kept forward
	if found, _ := r.Store().Load(ctx, forwardKey(r), &kept); found {
		drop(ctx, r, forwardKey(r)) // this is the forward offered, if any
		if kept.Text == forwardedText(fwd) {
			return kept.Check
		}
	}
	v, _, _, err := f.verify(ctx, r, fwd, false)
	if err != nil {
		f.log.Warn("checking a forward against the archive", "err", err, "update_id", r.Update.ID)
	}
	return ticketCheck(v)
}

// ticketCheck is what a ticket records of a verdict.
func ticketCheck(v broadcast.Verdict) string {
	switch v.Result {
	case broadcast.CheckOfficial:
		return aspirations.CheckOfficial
	case broadcast.CheckEdited:
		return aspirations.CheckEdited
	}
	return ""
}
