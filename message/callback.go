package message

import (
	"errors"
	"strings"
)

// Callback is the data of an inline button: "area:action:arg…", the one
// codec for every button kimbot draws, in chat replies and in outbox posts
// alike. Area routes it (one per flow: "res" for residents, "op" for
// operators, "asp" for tickets…); action and args are the flow's own. Data
// is stateless, so a button keeps working after a restart and on any
// replica; it can be forged, so every press is checked again.
type Callback struct {
	Area   string
	Action string
	Args   []string
}

// MaxCallbackData is Telegram's limit on callback_data, in bytes.
// Specs: https://core.telegram.org/bots/api#inlinekeyboardbutton
const MaxCallbackData = 64

// ErrCallbackInvalid is returned for data that is too long, malformed or
// uses characters outside the codec's alphabet.
var ErrCallbackInvalid = errors.New("invalid callback data")

// String encodes c. It panics only on a programming error (a part with a
// forbidden character, or data over 64 bytes); use Encode for data built
// from input.
func (c Callback) String() string {
	s, err := c.Encode()
	if err != nil {
		panic("message: " + err.Error() + ": " + c.Area + ":" + c.Action)
	}
	return s
}

// Encode returns c as callback data, or ErrCallbackInvalid.
func (c Callback) Encode() (string, error) {
	parts := append([]string{c.Area, c.Action}, c.Args...)
	for i, p := range parts {
		if !validCallbackPart(p, i < 2) {
			return "", ErrCallbackInvalid
		}
	}
	s := strings.Join(parts, ":")
	if len(s) > MaxCallbackData {
		return "", ErrCallbackInvalid
	}
	return s, nil
}

// ParseCallback decodes callback data made by Encode. Anything else (a
// forged or truncated button) gives ErrCallbackInvalid.
func ParseCallback(data string) (Callback, error) {
	if data == "" || len(data) > MaxCallbackData {
		return Callback{}, ErrCallbackInvalid
	}
	parts := strings.Split(data, ":")
	if len(parts) < 2 {
		return Callback{}, ErrCallbackInvalid
	}
	for i, p := range parts {
		if !validCallbackPart(p, i < 2) {
			return Callback{}, ErrCallbackInvalid
		}
	}
	c := Callback{Area: parts[0], Action: parts[1]}
	if len(parts) > 2 {
		c.Args = parts[2:]
	}
	return c, nil
}

// CallbackArea is the routing part of any callback data, "" for none.
func CallbackArea(data string) string {
	area, _, _ := strings.Cut(data, ":")
	return area
}

// validCallbackPart allows letters, digits, '.', '_' and '-'; area and
// action must not be empty, args may be.
func validCallbackPart(p string, required bool) bool {
	if p == "" {
		return !required
	}
	for i := 0; i < len(p); i++ {
		b := p[i]
		if !(b == '.' || b == '_' || b == '-' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z') {
			return false
		}
	}
	return true
}
