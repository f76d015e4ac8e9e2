package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command is a bot command read from a message: "/start@kimbot_bot 3573051003"
// gives Name "start", Bot "kimbot_bot", Args "3573051003".
type Command struct {
	Name string // lower case, without the slash
	Bot  string // the @username it was addressed to, "" when none
	Args string // the rest of the text, trimmed
}

// maxCommandLen is Telegram's limit on a command name.
const maxCommandLen = 32

// ParseCommand reads a command from the start of a message text. Text
// before the slash that is only spaces or invisible characters (a phone
// keyboard's zero-width joiner, a byte-order mark) is skipped; anything
// else before it means the text is not a command. ok is false for plain
// text, a lone "/", or a name with characters Telegram does not allow.
func ParseCommand(text string) (c Command, ok bool) {
	text = strings.TrimLeftFunc(text, isIgnorable)
	if !strings.HasPrefix(text, "/") {
		return Command{}, false
	}
	head, args := splitFirstSpace(text[1:])
	name, botName, _ := strings.Cut(head, "@")
	if !validCommandName(name) || strings.Contains(botName, "@") {
		return Command{}, false
	}
	return Command{Name: strings.ToLower(name), Bot: botName, Args: strings.TrimSpace(args)}, true
}

// For reports whether the command is for the bot called username: true
// when it names no bot or names this one (case-insensitive).
func (c Command) For(username string) bool {
	return c.Bot == "" || username == "" || strings.EqualFold(c.Bot, username)
}

func isIgnorable(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) // Cf: ZWJ, ZWNJ, BOM, LRM…
}

// splitFirstSpace splits at the first Unicode space (a newline counts:
// "/aspirasi\njalan rusak").
func splitFirstSpace(s string) (head, rest string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return s[:i], s[i+size:]
}

func validCommandName(name string) bool {
	if name == "" || len(name) > maxCommandLen {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
