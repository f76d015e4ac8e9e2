package broadcast

import "github.com/kimbot/kimbot/message"

// ErrBadHTML wraps every reason an announcement's HTML is refused.
var ErrBadHTML = message.ErrBadHTML

// VisibleLength checks that s is Telegram HTML that Telegram will accept
// and returns the length of its visible text the way Telegram counts it:
// tags stripped, entities unescaped, in UTF-16 code units.
func VisibleLength(s string) (int, error) { return message.VisibleLen(s) }

// EscapeHTML escapes plain text for Telegram HTML.
func EscapeHTML(s string) string { return message.EscapeHTML(s) }
