package bot

import (
	"errors"
	"strconv"
	"strings"
)

// Callback data of the buttons the chat flows draw themselves. Staff
// actions on a ticket (Ambil, Jawab, Tolak, Teruskan, Template, ratings)
// use aspirations.ButtonData ("asp:…") so the outbox posts and the bot
// share one codec; the rest live here:
//
//	aspr:<verb>[:<arg>]   the resident's guided filing (category, skip, anon, send, cancel, hoax)
//	aspm:<verb>:<n>       moderator navigation (page offset, open ticket id, canned answer id, cancel)
//
// Everything a press carries is re-checked against the Service, so forged
// data can at worst ask for something the presser is refused.
const (
	aspResidentPrefix  = "aspr:"
	aspModeratorPrefix = "aspm:"
)

// Resident verbs.
const (
	aspVerbCategory = "cat"
	aspVerbSkip     = "skip"
	aspVerbAnon     = "anon"
	aspVerbSend     = "send"
	aspVerbCancel   = "cancel"
	aspVerbHoax     = "hoax"
)

// Moderator verbs.
const (
	aspVerbPage    = "page"
	aspVerbOpen    = "open"
	aspVerbCanned  = "tpl"
	aspVerbAbandon = "stop"
)

var errAspData = errors.New("bad callback data")

// aspResidentData encodes a resident button; arg may be empty.
func aspResidentData(verb, arg string) string {
	if arg == "" {
		return aspResidentPrefix + verb
	}
	return aspResidentPrefix + verb + ":" + arg
}

// aspParseResidentData decodes what aspResidentData made.
func aspParseResidentData(s string) (verb, arg string, err error) {
	rest, ok := strings.CutPrefix(s, aspResidentPrefix)
	if !ok || len(s) > 64 {
		return "", "", errAspData
	}
	verb, arg, _ = strings.Cut(rest, ":")
	switch verb {
	case aspVerbSkip, aspVerbSend, aspVerbCancel, aspVerbHoax:
		if arg != "" {
			return "", "", errAspData
		}
	case aspVerbAnon:
		if arg != "0" && arg != "1" {
			return "", "", errAspData
		}
	case aspVerbCategory:
		if arg == "" || strings.ContainsRune(arg, ':') {
			return "", "", errAspData
		}
	default:
		return "", "", errAspData
	}
	return verb, arg, nil
}

// aspModeratorData encodes a moderator navigation button.
func aspModeratorData(verb string, n int64) string {
	return aspModeratorPrefix + verb + ":" + strconv.FormatInt(n, 10)
}

// aspParseModeratorData decodes what aspModeratorData made; n is never negative.
func aspParseModeratorData(s string) (verb string, n int64, err error) {
	rest, ok := strings.CutPrefix(s, aspModeratorPrefix)
	if !ok || len(s) > 64 {
		return "", 0, errAspData
	}
	verb, num, ok := strings.Cut(rest, ":")
	if !ok {
		return "", 0, errAspData
	}
	switch verb {
	case aspVerbPage, aspVerbOpen, aspVerbCanned, aspVerbAbandon:
	default:
		return "", 0, errAspData
	}
	n, err = strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != num {
		return "", 0, errAspData
	}
	return verb, n, nil
}
