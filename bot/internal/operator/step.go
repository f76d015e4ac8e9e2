package operator

import (
	"context"
	"strings"

	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/staff"
)

// step feeds one update to the /siaran session s. /batal, or the abort
// button, ends it at any step; a button from another step re-shows the
// current one.
func (f *flow) step(ctx context.Context, op staff.Actor, s *session, in input) reply {
	if in.Data == callbackData("x") || isCommand(in.Plain, "batal") {
		return respond(nil, chat.Text("operator.siaran.cancelled"))
	}
	switch s.Step {
	case stepContent:
		if in.Data != "" {
			return respond(s, chat.Text("operator.siaran.content"))
		}
		return f.onContent(ctx, op, s, in)
	case stepLinks:
		return f.onLinks(ctx, op, s, in)
	case stepTargets:
		if action, _, _ := parseData(in.Data); in.Data != "" && !strings.HasPrefix(action, "t") {
			return respond(s, f.targetsMessage(ctx, op, s))
		}
		return f.onTargets(ctx, op, s, in)
	case stepTiming:
		return f.onTiming(ctx, s, in.Data)
	case stepAt, stepCron:
		if in.Data != "" || in.Plain == "" {
			return f.onTiming(ctx, s, in.Data)
		}
		return f.onTypedTiming(s, in.Plain)
	case stepUntil:
		return f.onUntil(s, in)
	case stepUrgent:
		return f.onUrgent(ctx, s, in.Data)
	case stepConfirm:
		return f.onConfirm(ctx, op, s, in.Data)
	}
	return respond(nil, chat.Text("operator.siaran.expired"))
}

// isCommand reports whether text is /name (with or without @bot or args).
func isCommand(text, name string) bool {
	cmd, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return cmd == "/"+name
}
