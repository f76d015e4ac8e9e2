package aspirations

import (
	"fmt"
	"html"
	"time"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
)

// place is a village and its district, by name.
type place struct {
	Village  string `db:"village"`
	District string `db:"district"`
}

// residentLabel is ResidentLabel escaped for Telegram HTML.
func residentLabel(t Ticket) string { return html.EscapeString(t.ResidentLabel()) }

// ResidentLabel is how staff see the resident, in chat and in the web
// console alike: never anything for an anonymous ticket, never a chat id
// or username; plain text.
func (t Ticket) ResidentLabel() string {
	switch {
	case t.Anonymous:
		return catalog.T("aspo.anonymous")
	case t.ResidentName == "":
		return catalog.T("aspo.resident_unnamed")
	}
	return t.ResidentName
}

func (s *Service) stamp(t time.Time) string {
	return t.In(s.cfg.TZ).Format("02/01/2006 15:04 MST")
}

// attachmentNote is the line under a ticket's text about its attachment.
func attachmentNote(a *Attachment) string {
	switch {
	case a == nil:
		return ""
	case a.Kind == AttachLocation:
		return catalog.T("aspo.post_location", fmt.Sprintf("https://maps.google.com/?q=%.6f,%.6f", a.Lat, a.Lon))
	}
	return catalog.T("aspo.post_attachment", catalog.T(catalog.Key("aspo.attach_"+a.Kind)))
}

// fit composes a message around someone's plain text so that it stays
// within Telegram's 4096 UTF-16 units once parsed. The input limits
// (MaxTextLen, MaxNoteLen) already make every template fit; cutting the
// text with a marker is the last guard, for tickets stored before those
// limits counted as Telegram does.
func fit(compose func(escaped string) string, text string) string {
	return message.FitHTML(compose, text, catalog.T("aspo.cut"), message.MaxTextLen)
}

// StaffButtons are the actions on t in its status, the one keyboard of a
// ticket wherever staff see it (the posts to moderators and operators, the
// card of /antrian): Ambil while nobody holds it, Template once someone
// does, Teruskan only for moderators (an operator is where escalations
// end); none once it is closed. The Service still decides whether the
// presser may take them.
func StaffButtons(t Ticket, operator bool) [][]message.Button {
	b := func(key catalog.Key, act string) message.Button {
		return message.Button{Text: catalog.T(key), Data: ButtonData(act, t.ID)}
	}
	var first []message.Button
	switch t.Status {
	case StatusNew, StatusEscalated:
		first = []message.Button{b("asp.btn_claim", ActionClaim), b("asp.btn_answer", ActionAnswer)}
	case StatusClaimed:
		first = []message.Button{b("asp.btn_answer", ActionAnswer), b("asp.btn_canned", ActionCanned)}
	default:
		return nil
	}
	last := []message.Button{b("asp.btn_reject", ActionReject)}
	if !operator && t.Status != StatusEscalated {
		last = append(last, b("asp.btn_escalate", ActionEscalate))
	}
	return [][]message.Button{first, last}
}

func (s *Service) newPost(t Ticket, p place, operator bool) message.Message {
	text := fit(func(body string) string {
		return catalog.T("aspo.post", t.Number, t.CategoryLabel(), html.EscapeString(p.Village),
			html.EscapeString(p.District), residentLabel(t), s.stamp(t.CreatedAt), body+attachmentNote(t.Attachment)) +
			catalog.T("aspo.post_reply_hint")
	}, t.Text)
	return message.Message{Text: text, Buttons: StaffButtons(t, operator)}
}

func (s *Service) requeuedPost(t Ticket, p place) message.Message {
	text := fit(func(body string) string {
		return catalog.T("aspo.post_requeued", t.Number, int(s.cfg.ClaimTimeout.Hours()), t.CategoryLabel(),
			html.EscapeString(p.Village), html.EscapeString(p.District), residentLabel(t), s.stamp(t.CreatedAt),
			body+attachmentNote(t.Attachment)) + catalog.T("aspo.post_reply_hint")
	}, t.Text)
	return message.Message{Text: text, Buttons: StaffButtons(t, false)}
}

func (s *Service) escalationPost(t Ticket, p place, note string) message.Message {
	if note == "" {
		note = catalog.T("aspo.escalation_none")
	}
	text := fit(func(body string) string {
		return catalog.T("aspo.escalation", t.Number, t.CategoryLabel(), html.EscapeString(p.Village),
			html.EscapeString(p.District), residentLabel(t), s.stamp(t.CreatedAt), html.EscapeString(note),
			body+attachmentNote(t.Attachment)) + catalog.T("aspo.post_reply_hint")
	}, t.Text)
	return message.Message{Text: text, Buttons: StaffButtons(t, true)}
}

// attachmentMessage re-sends a photo or document by file id (Telegram
// recompresses photos, which drops their EXIF data), or nothing.
func attachmentMessage(t Ticket) (message.Message, bool) {
	a := t.Attachment
	if a == nil {
		return message.Message{}, false
	}
	caption := catalog.T("aspo.attachment", t.Number)
	switch a.Kind {
	case AttachPhoto:
		return message.Message{PhotoFileID: a.FileID, Caption: caption}, true
	case AttachDocument:
		return message.Message{DocumentFileID: a.FileID, Caption: caption}, true
	}
	return message.Message{}, false
}

func residentReplyNote(t Ticket, p place, text string, att *Attachment) message.Message {
	return message.Message{Text: fit(func(body string) string {
		if att != nil {
			body += catalog.T("aspo.post_attachment", catalog.T(catalog.Key("aspo.attach_"+att.Kind)))
		}
		return catalog.T("aspo.resident_reply", t.Number, html.EscapeString(p.Village), residentLabel(t), body) +
			catalog.T("aspo.post_reply_hint")
	}, text)}
}

func answerMessage(t Ticket, text, by string) message.Message {
	if by == "" {
		by = catalog.T("aspo.answered_by_kim")
	}
	return message.Message{
		Text: fit(func(body string) string {
			return catalog.T("aspo.res_answered", t.Number, body, html.EscapeString(by))
		}, text),
		Buttons: [][]message.Button{{
			{Text: catalog.T("asp.btn_helpful"), Data: ButtonData(ActionRateYes, t.ID)},
			{Text: catalog.T("asp.btn_nothelpful"), Data: ButtonData(ActionRateNo, t.ID)},
		}},
	}
}

func rejectedMessage(t Ticket, reason string) message.Message {
	return message.Message{Text: fit(func(body string) string {
		return catalog.T("aspo.res_rejected", t.Number, body)
	}, reason)}
}

func statusMessage(key catalog.Key, t Ticket) message.Message {
	return message.Message{Text: catalog.T(key, t.Number)}
}

// Age is how long ago t was, in the catalogue's words ("3 hari lalu").
func Age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return catalog.T("asp.age_now")
	case d < time.Hour:
		return catalog.T("asp.age_minutes", int(d/time.Minute))
	case d < 48*time.Hour:
		return catalog.T("asp.age_hours", int(d/time.Hour))
	}
	return catalog.T("asp.age_days", int(d/(24*time.Hour)))
}

// StatusLabel is the status's name for people.
func (s Status) Label() string { return catalog.T(catalog.Key("asp.status." + string(s))) }
