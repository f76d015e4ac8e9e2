package aspiration

import (
	"errors"

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
	case verbSkip, verbSend, verbCancel, verbHoax:
		if len(c.Args) != 0 {
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
