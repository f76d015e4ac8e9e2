package aspirations

import (
	"errors"
	"strconv"
	"strings"
)

// The button actions carried in callback data.
const (
	ActionClaim    = "claim"
	ActionAnswer   = "answer"
	ActionReject   = "reject"
	ActionEscalate = "escalate"
	ActionCanned   = "canned"
	ActionRateYes  = "rate_yes"
	ActionRateNo   = "rate_no"
	// ActionCannedPick carries a canned answer's id (the ticket is in the
	// moderator's conversation state).
	ActionCannedPick = "cpick"
	// ActionOpen opens a ticket's card from the queue.
	ActionOpen = "open"
	// ActionPage carries a queue page number (0-based) instead of an id;
	// ParseButtonData accepts it only as a positive number, so page n is
	// encoded as n+1.
	ActionPage = "page"
)

var knownActions = map[string]bool{ActionClaim: true, ActionAnswer: true, ActionReject: true,
	ActionEscalate: true, ActionCanned: true, ActionRateYes: true, ActionRateNo: true,
	ActionCannedPick: true, ActionOpen: true, ActionPage: true}

var errBadButton = errors.New("not an aspirations button")

// ButtonData is the callback data of a button: "asp:<action>:<id>",
// at most 64 bytes for any action name up to 40 bytes.
func ButtonData(action string, id int64) string {
	return "asp:" + action + ":" + strconv.FormatInt(id, 10)
}

// ParseButtonData reverses ButtonData. It accepts only known actions and
// positive ids; it never trusts the data beyond that (the press is still
// checked against the presser's scope).
func ParseButtonData(s string) (action string, id int64, err error) {
	if len(s) > 64 {
		return "", 0, errBadButton
	}
	rest, ok := strings.CutPrefix(s, "asp:")
	if !ok {
		return "", 0, errBadButton
	}
	action, num, ok := strings.Cut(rest, ":")
	if !ok || !knownActions[action] || !digits(num) || len(num) > 18 || num[0] == '0' {
		return "", 0, errBadButton
	}
	id, err = strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, errBadButton
	}
	return action, id, nil
}
