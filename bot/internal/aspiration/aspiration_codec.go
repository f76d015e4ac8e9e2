package aspiration

import (
	"errors"
	"strconv"

	"github.com/go-telegram/bot/models"
	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/message"
)

// The buttons of the resident's guided /aspirasi use the framework's
// Callback codec under area "aspr" (aspr:<verb>[:<arg>]); staff buttons on
// tickets, the queue and canned answers use aspirations.ButtonData
// ("asp:<action>:<id>", one codec with the outbox posts); cancelling a
// pending Jawab/Tolak is "aspm:stop". Everything a press carries is
// re-checked against the Service, so forged data can at worst ask for
// something the presser is refused.

// Resident verbs.
const (
	verbCategory = "cat"
	verbSkip     = "skip"
	verbAnon     = "anon"
	verbSend     = "send"
	verbCancel   = "cancel"
	verbHoax     = "hoax"
)

// stopData cancels a moderator's pending Jawab/Tolak.
var stopData = message.Callback{Area: modArea, Action: "stop"}.String()

// promptStopData is the Batal button of a Jawab/Tolak prompt. Besides
// cancelling, it carries what the prompt asks for ("aspm:stop:<action>:
// <ticket>:<post>"), so a reply to the prompt can be completed after the
// pending step expired or Redis lost it: the prompt itself says what it
// was for. Telegram sends the replied-to message with its keyboard.
func promptStopData(p pending) string {
	return message.Callback{Area: modArea, Action: "stop",
		Args: []string{p.Action, strconv.FormatInt(p.TicketID, 10), strconv.Itoa(p.PostID)}}.String()
}

// pendingOfPrompt reads back what promptStopData put on the keyboard of
// the message m; ok is false for any other message. It is checked again
// like any button data: the Service still decides whether the replier may
// act on the ticket.
func pendingOfPrompt(m *models.Message) (p pending, ok bool) {
	if m == nil || m.ReplyMarkup == nil {
		return p, false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			c, err := message.ParseCallback(b.CallbackData)
			if err != nil || c.Area != modArea || c.Action != "stop" || len(c.Args) != 3 {
				continue
			}
			id, err1 := strconv.ParseInt(c.Args[1], 10, 64)
			post, err2 := strconv.Atoi(c.Args[2])
			action := c.Args[0]
			if err1 != nil || err2 != nil || id <= 0 || (action != aspirations.ActionAnswer && action != aspirations.ActionReject) {
				return p, false
			}
			return pending{Action: action, TicketID: id, PostID: post}, true
		}
	}
	return p, false
}

var errAspData = errors.New("bad aspiration callback data")

// residentData encodes a resident button; arg may be empty.
func residentData(verb, arg string) string {
	c := message.Callback{Area: resArea, Action: verb}
	if arg != "" {
		c.Args = []string{arg}
	}
	return c.String()
}

// parseResidentData decodes what residentData made and checks that
// the verb takes the argument it carries.
func parseResidentData(s string) (verb, arg string, err error) {
	c, err := message.ParseCallback(s)
	if err != nil || c.Area != resArea || len(c.Args) > 1 {
		return "", "", errAspData
	}
	if len(c.Args) == 1 {
		arg = c.Args[0]
	}
	switch c.Action {
	case verbSkip, verbSend, verbCancel:
		if len(c.Args) != 0 {
			return "", "", errAspData
		}
	case verbHoax: // the update id of the message it offers to file
		if _, err := strconv.ParseInt(arg, 10, 64); err != nil && arg != "" {
			return "", "", errAspData
		}
	case verbAnon:
		if arg != "0" && arg != "1" {
			return "", "", errAspData
		}
	case verbCategory:
		if arg == "" {
			return "", "", errAspData
		}
	default:
		return "", "", errAspData
	}
	return c.Action, arg, nil
}
