package aspirations

import (
	"errors"
	"strconv"

	"github.com/kimbot/kimbot/message"
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

// buttonArea is the callback area of every ticket button.
const buttonArea = "asp"

// ButtonData is the callback data of a ticket button, "asp:<action>:<id>"
// in the one codec of every button (message.Callback).
func ButtonData(action string, id int64) string {
	return message.Callback{Area: buttonArea, Action: action, Args: []string{strconv.FormatInt(id, 10)}}.String()
}

// ParseButtonData reverses ButtonData. It accepts only known actions and
// positive ids; it never trusts the data beyond that (the press is still
// checked against the presser's scope).
func ParseButtonData(s string) (action string, id int64, err error) {
	c, err := message.ParseCallback(s)
	if err != nil || c.Area != buttonArea || len(c.Args) != 1 || !knownActions[c.Action] {
		return "", 0, errBadButton
	}
	num := c.Args[0]
	if !digits(num) || len(num) > 18 || num[0] == '0' {
		return "", 0, errBadButton
	}
	id, err = strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, errBadButton
	}
	return c.Action, id, nil
}
