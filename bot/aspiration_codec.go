package bot

import (
	"errors"
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
	aspVerbCategory = "cat"
	aspVerbSkip     = "skip"
	aspVerbAnon     = "anon"
	aspVerbSend     = "send"
	aspVerbCancel   = "cancel"
	aspVerbHoax     = "hoax"
)

// aspStopData cancels a moderator's pending Jawab/Tolak.
var aspStopData = Callback{Area: aspModArea, Action: "stop"}.String()

var errAspData = errors.New("bad aspiration callback data")

// aspResidentData encodes a resident button; arg may be empty.
func aspResidentData(verb, arg string) string {
	c := Callback{Area: aspResArea, Action: verb}
	if arg != "" {
		c.Args = []string{arg}
	}
	return c.String()
}

// aspParseResidentData decodes what aspResidentData made and checks that
// the verb takes the argument it carries.
func aspParseResidentData(s string) (verb, arg string, err error) {
	c, err := ParseCallback(s)
	if err != nil || c.Area != aspResArea || len(c.Args) > 1 {
		return "", "", errAspData
	}
	if len(c.Args) == 1 {
		arg = c.Args[0]
	}
	switch c.Action {
	case aspVerbSkip, aspVerbSend, aspVerbCancel, aspVerbHoax:
		if len(c.Args) != 0 {
			return "", "", errAspData
		}
	case aspVerbAnon:
		if arg != "0" && arg != "1" {
			return "", "", errAspData
		}
	case aspVerbCategory:
		if arg == "" {
			return "", "", errAspData
		}
	default:
		return "", "", errAspData
	}
	return c.Action, arg, nil
}
