package bot

import (
	"context"
	"strings"

	"github.com/kimbot/kimbot/staff"
)

// step feeds one update to the /siaran session s. /batal, or the abort
// button, ends it at any step; a button from another step re-shows the
// current one.
func (f *operatorFlow) step(ctx context.Context, op staff.Actor, s *opSession, in opInput) opReply {
	if in.Data == "op:x" || opIsCommand(in.Plain, "batal") {
		return opRespond(nil, opText("operator.siaran.cancelled"))
	}
	switch s.Step {
	case stepContent:
		if in.Data != "" {
			return opRespond(s, opText("operator.siaran.content"))
		}
		return f.onContent(ctx, op, s, in)
	case stepLinks:
		return f.onLinks(ctx, op, s, in)
	case stepTargets:
		if in.Data != "" && !strings.HasPrefix(in.Data, "op:t") {
			return opRespond(s, f.targetsMessage(ctx, op, s))
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
	return opRespond(nil, opText("operator.siaran.expired"))
}

// opIsCommand reports whether text is /name (with or without @bot or args).
func opIsCommand(text, name string) bool {
	cmd, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return cmd == "/"+name
}
