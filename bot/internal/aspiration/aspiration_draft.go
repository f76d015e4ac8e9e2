package aspiration

import (
	"html"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
)

// step is where a resident stands in the guided /aspirasi flow.
type step string

const (
	stepCategory step = "category" // waiting for a category button
	stepText     step = "text"     // waiting for the aspiration text
	stepAttach   step = "attach"   // waiting for a photo/document/location or Lewati
	stepAnon     step = "anon"     // waiting for named/anonymous
	stepPreview  step = "preview"  // waiting for Kirim/Batal
)

// draft is a guided aspiration in progress, kept in Redis with a TTL:
// losing it (Redis down, expiry) only means the resident starts again;
// nothing is filed until Kirim, and then PostgreSQL has it.
type draft struct {
	ID         string                  `json:"id"` // makes the filing idempotent: SourceKey "draft:<id>"
	Step       step                    `json:"step"`
	Category   aspirations.Category    `json:"category,omitempty"`
	Text       string                  `json:"text,omitempty"`
	Attachment *aspirations.Attachment `json:"attachment,omitempty"`
	Anonymous  bool                    `json:"anonymous,omitempty"`
}

// sourceKey is the idempotency key of the ticket this draft files.
func (d *draft) sourceKey() string { return "draft:" + d.ID }

// prompt is what the resident sees for the current step.
func (d *draft) prompt() message.Message {
	switch d.Step {
	case stepCategory:
		return message.Message{Text: catalog.T("asp.pick_category"), Buttons: categoryButtons()}
	case stepText:
		return message.Message{Text: catalog.T("asp.ask_text", html.EscapeString(d.Category.Label())),
			Buttons: [][]message.Button{{cancelButton()}}}
	case stepAttach:
		return message.Message{Text: catalog.T("asp.ask_attachment"), Buttons: [][]message.Button{{
			{Text: catalog.T("asp.btn_skip"), Data: residentData(verbSkip, "")}, cancelButton()}}}
	case stepAnon:
		return message.Message{Text: catalog.T("asp.ask_anonymous"), Buttons: [][]message.Button{{
			{Text: catalog.T("asp.btn_named"), Data: residentData(verbAnon, "0")},
			{Text: catalog.T("asp.btn_anon"), Data: residentData(verbAnon, "1")}}, {cancelButton()}}}
	default:
		return d.preview()
	}
}

func (d *draft) preview() message.Message {
	identity := catalog.T("asp.identity_named")
	if d.Anonymous {
		identity = catalog.T("asp.identity_anon")
	}
	text := catalog.T("asp.preview", html.EscapeString(d.Category.Label()), attachLabel(d.Attachment),
		identity, html.EscapeString(chat.Truncate(d.Text, cardTextRunes)))
	return message.Message{Text: text, Buttons: [][]message.Button{{
		{Text: catalog.T("asp.btn_send"), Data: residentData(verbSend, "")}, cancelButton()}}}
}

func cancelButton() message.Button {
	return message.Button{Text: catalog.T("asp.btn_cancel"), Data: residentData(verbCancel, "")}
}

// categoryButtons lays the categories out two to a row.
func categoryButtons() [][]message.Button {
	var rows [][]message.Button
	for i, c := range aspirations.Categories() {
		b := message.Button{Text: c.Label(), Data: residentData(verbCategory, string(c))}
		if i%2 == 0 {
			rows = append(rows, []message.Button{b})
		} else {
			rows[len(rows)-1] = append(rows[len(rows)-1], b)
		}
	}
	return append(rows, []message.Button{cancelButton()})
}

// onCategory records the category picked on the first step.
func (d *draft) onCategory(c aspirations.Category) bool {
	if d.Step != stepCategory {
		return false
	}
	d.Category, d.Step = c, stepText
	return true
}

// onMessage takes a message typed during the flow. It returns the
// problem to tell the resident ("" when the draft moved on). A caption
// with a photo on the text step fills both text and attachment.
func (d *draft) onMessage(text string, att *aspirations.Attachment, kind attachKind) catalog.Key {
	switch d.Step {
	case stepText:
		if kind == attachUnsupported {
			return "asp.err_attachment"
		}
		if text == "" {
			return "asp.err_need_text"
		}
		if problem := textProblem(text); problem != "" {
			return problem
		}
		d.Text, d.Step = text, stepAttach
		if att != nil {
			d.Attachment, d.Step = att, stepAnon
		}
		return ""
	case stepAttach:
		if kind != attachOK {
			return "asp.err_attachment"
		}
		d.Attachment, d.Step = att, stepAnon
		return ""
	default:
		return "" // a stray message on a button step: show the buttons again
	}
}

// onSkip leaves out the attachment.
func (d *draft) onSkip() bool {
	if d.Step != stepAttach {
		return false
	}
	d.Step = stepAnon
	return true
}

// onAnon records the anonymity choice. An anonymous ticket must not leak
// where the resident is: a location is dropped, and a document (a file,
// which keeps EXIF GPS) is refused with a request to send it as a photo.
func (d *draft) onAnon(anon bool) catalog.Key {
	if d.Step != stepAnon {
		return ""
	}
	d.Anonymous = anon
	if anon && d.Attachment != nil {
		switch d.Attachment.Kind {
		case "document":
			d.Attachment, d.Step = nil, stepAttach
			return "asp.err_anon_document"
		case "location":
			d.Attachment = nil
		}
	}
	d.Step = stepPreview
	return ""
}

// newTicket is what Kirim files.
func (d *draft) newTicket(chatID int64, name string, village region.Code) aspirations.NewTicket {
	nt := aspirations.NewTicket{ResidentChat: chatID, VillageCode: village, Category: d.Category,
		Text: d.Text, Attachment: d.Attachment, Anonymous: d.Anonymous, SourceKey: d.sourceKey()}
	if !d.Anonymous {
		nt.ResidentName = name
	}
	return nt
}

// textProblem checks the text as the Service will at Kirim, so the
// resident hears about it while still writing.
func textProblem(text string) catalog.Key {
	if err := aspirations.CheckText(text); err != nil {
		return fileErrorKey(err)
	}
	return ""
}
