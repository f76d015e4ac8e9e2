package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/kimbot/kimbot/staff"
)

const moderatorUsage = `usage: kimbot moderator add --telegram-id N --region CODE [--group-chat-id N]`

// runModerator is `kimbot moderator`: the admin makes someone a KIM
// moderator of a region prefix, optionally with the KIM's group chat.
func runModerator(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("%s", moderatorUsage)
	}
	fs := flag.NewFlagSet("moderator add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	id := fs.Int64("telegram-id", 0, "the moderator's Telegram user id")
	scope := fs.String("region", "", "region code the moderator reviews, e.g. 35.73.05.1003")
	group := fs.Int64("group-chat-id", 0, "the KIM's moderator group chat id (negative)")
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v; %s", err, moderatorUsage)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; %s", fs.Arg(0), moderatorUsage)
	}
	if *id <= 0 {
		return usagef("--telegram-id must be the moderator's positive Telegram user id; %s", moderatorUsage)
	}
	code, err := parseScope(*scope, true)
	if err != nil {
		return err
	}
	var groupID *int64
	if *group != 0 {
		if *group > 0 {
			return usagef("--group-chat-id must be a group chat id (negative, e.g. -1001234567890)")
		}
		groupID = group
	}
	m, err := staff.New(app.db, app.clock).Add(ctx, staff.Admin(), *id, staff.RoleModerator, code, groupID)
	if errors.Is(err, staff.ErrUnknownRegion) {
		return usagef("--region %s: no such region (import regions first: kimbot regions import)", code)
	}
	if err != nil {
		return err
	}
	where := "private chat"
	if m.GroupChatID != nil { // a group linked before stays unless a new one is given
		where = fmt.Sprintf("group %d", *m.GroupChatID)
	}
	fmt.Fprintf(app.stdout, "moderator %d reviews aspirations within %s (posts to %s)\n", *id, code, where)
	return nil
}
