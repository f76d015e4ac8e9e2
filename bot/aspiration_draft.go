package bot

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// aspStep is where a resident stands in the guided /aspirasi flow.
type aspStep string

const (
	aspStepCategory aspStep = "category" // waiting for a category button
	aspStepText     aspStep = "text"     // waiting for the aspiration text
	aspStepAttach   aspStep = "attach"   // waiting for a photo/document/location or Lewati
	aspStepAnon     aspStep = "anon"     // waiting for named/anonymous
	aspStepPreview  aspStep = "preview"  // waiting for Kirim/Batal
)

// aspDraft is a guided aspiration in progress, kept in Redis with a TTL:
// losing it (Redis down, expiry) only means the resident starts again;
// nothing is filed until Kirim, and then PostgreSQL has it.
type aspDraft struct {
	ID         string                  `json:"id"` // makes the filing idempotent: SourceKey "draft:<id>"
	Step       aspStep                 `json:"step"`
	Category   aspirations.Category    `json:"category,omitempty"`
	Text       string                  `json:"text,omitempty"`
	Attachment *aspirations.Attachment `json:"attachment,omitempty"`
	Anonymous  bool                    `json:"anonymous,omitempty"`
}

// sourceKey is the idempotency key of the ticket this draft files.
func (d *aspDraft) sourceKey() string { return "draft:" + d.ID }

// prompt is what the resident sees for the current step.
func (d *aspDraft) prompt() message.Message {
	switch d.Step {
	case aspStepCategory:
		return message.Message{Text: catalog.T("asp.pick_category"), Buttons: aspCategoryButtons()}
	case aspStepText:
		return message.Message{Text: catalog.T("asp.ask_text", html.EscapeString(d.Category.Label())),
			Buttons: [][]message.Button{{aspCancelButton()}}}
	case aspStepAttach:
		return message.Message{Text: catalog.T("asp.ask_attachment"), Buttons: [][]message.Button{{
			{Text: catalog.T("asp.btn_skip"), Data: aspResidentData(aspVerbSkip, "")}, aspCancelButton()}}}
	case aspStepAnon:
		return message.Message{Text: catalog.T("asp.ask_anonymous"), Buttons: [][]message.Button{{
			{Text: catalog.T("asp.btn_named"), Data: aspResidentData(aspVerbAnon, "0")},
			{Text: catalog.T("asp.btn_anon"), Data: aspResidentData(aspVerbAnon, "1")}}, {aspCancelButton()}}}
	default:
		return d.preview()
	}
}

func (d *aspDraft) preview() message.Message {
	identity := catalog.T("asp.identity_named")
	if d.Anonymous {
		identity = catalog.T("asp.identity_anon")
	}
	text := catalog.T("asp.preview", html.EscapeString(d.Category.Label()), aspAttachLabel(d.Attachment),
		identity, html.EscapeString(aspTrunc(d.Text, aspCardTextRunes)))
	return message.Message{Text: text, Buttons: [][]message.Button{{
		{Text: catalog.T("asp.btn_send"), Data: aspResidentData(aspVerbSend, "")}, aspCancelButton()}}}
}

func aspCancelButton() message.Button {
	return message.Button{Text: catalog.T("asp.btn_cancel"), Data: aspResidentData(aspVerbCancel, "")}
}

// aspCategoryButtons lays the categories out two to a row.
func aspCategoryButtons() [][]message.Button {
	var rows [][]message.Button
	for i, c := range aspirations.Categories() {
		b := message.Button{Text: c.Label(), Data: aspResidentData(aspVerbCategory, string(c))}
		if i%2 == 0 {
			rows = append(rows, []message.Button{b})
		} else {
			rows[len(rows)-1] = append(rows[len(rows)-1], b)
		}
	}
	return append(rows, []message.Button{aspCancelButton()})
}

// onCategory records the category picked on the first step.
func (d *aspDraft) onCategory(c aspirations.Category) bool {
	if d.Step != aspStepCategory {
		return false
	}
	d.Category, d.Step = c, aspStepText
	return true
}

// onMessage takes a message typed during the flow. It returns the
// problem to tell the resident ("" when the draft moved on). A caption
// with a photo on the text step fills both text and attachment.
func (d *aspDraft) onMessage(text string, att *aspirations.Attachment, kind aspAttachKind) catalog.Key {
	switch d.Step {
	case aspStepText:
		if kind == aspAttachUnsupported {
			return "asp.err_attachment"
		}
		if text == "" {
			return "asp.err_need_text"
		}
		if problem := aspTextProblem(text); problem != "" {
			return problem
		}
		d.Text, d.Step = text, aspStepAttach
		if att != nil {
			d.Attachment, d.Step = att, aspStepAnon
		}
		return ""
	case aspStepAttach:
		if kind != aspAttachOK {
			return "asp.err_attachment"
		}
		d.Attachment, d.Step = att, aspStepAnon
		return ""
	default:
		return "" // a stray message on a button step: show the buttons again
	}
}

// onSkip leaves out the attachment.
func (d *aspDraft) onSkip() bool {
	if d.Step != aspStepAttach {
		return false
	}
	d.Step = aspStepAnon
	return true
}

// onAnon records the anonymity choice. An anonymous ticket must not leak
// where the resident is: a location is dropped, and a document (a file,
// which keeps EXIF GPS) is refused with a request to send it as a photo.
func (d *aspDraft) onAnon(anon bool) catalog.Key {
	if d.Step != aspStepAnon {
		return ""
	}
	d.Anonymous = anon
	if anon && d.Attachment != nil {
		switch d.Attachment.Kind {
		case "document":
			d.Attachment, d.Step = nil, aspStepAttach
			return "asp.err_anon_document"
		case "location":
			d.Attachment = nil
		}
	}
	d.Step = aspStepPreview
	return ""
}

// newTicket is what Kirim files.
func (d *aspDraft) newTicket(chatID int64, name string, village region.Code) aspirations.NewTicket {
	nt := aspirations.NewTicket{ResidentChat: chatID, VillageCode: village, Category: d.Category,
		Text: d.Text, Attachment: d.Attachment, Anonymous: d.Anonymous, SourceKey: d.sourceKey()}
	if !d.Anonymous {
		nt.ResidentName = name
	}
	return nt
}

// aspTextProblem checks the length the Service will check at Kirim, so
// the resident hears about it while still writing.
func aspTextProblem(text string) catalog.Key {
	switch n := utf8.RuneCountInString(strings.TrimSpace(text)); {
	case n < aspirations.MinTextLen:
		return "asp.err_too_short"
	case n > aspirations.MaxTextLen:
		return "asp.err_too_long"
	}
	return ""
}
