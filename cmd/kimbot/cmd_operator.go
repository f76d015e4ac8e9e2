package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

const operatorUsage = `usage: kimbot operator add --telegram-id N --region CODE | list [--region CODE] | invite --region CODE [--role operator|moderator]`

// runOperator is `kimbot operator`: the system admin creates the first
// operators (later ones join with invitation codes in the chat).
func runOperator(ctx context.Context, app *cliApp, args []string) error {
	if len(args) == 0 {
		return usagef("%s", operatorUsage)
	}
	fs := flag.NewFlagSet("operator "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	id := fs.Int64("telegram-id", 0, "the operator's Telegram user id")
	scope := fs.String("region", "", "region code the operator may broadcast to, e.g. 35.73")
	role := fs.String("role", "operator", "what the invitation makes of its redeemer")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return usagef("bad flags; %s", operatorUsage)
	}
	switch args[0] {
	case "add":
		return operatorAdd(ctx, app, *id, *scope)
	case "list":
		return operatorList(ctx, app, *scope)
	case "invite":
		return operatorInvite(ctx, app, *scope, staff.Role(*role))
	}
	return usagef("unknown subcommand %q; %s", args[0], operatorUsage)
}

func parseScope(s string, required bool) (region.Code, error) {
	if s == "" && !required {
		return "", nil
	}
	c, err := region.ParseCode(s)
	if err != nil {
		return "", usagef("--region %q: %v", s, err)
	}
	return c, nil
}

func operatorAdd(ctx context.Context, app *cliApp, id int64, scope string) error {
	if id <= 0 {
		return usagef("--telegram-id must be the operator's positive Telegram user id; %s", operatorUsage)
	}
	code, err := parseScope(scope, true)
	if err != nil {
		return err
	}
	op, err := staff.New(app.db, app.clock).Add(ctx, staff.Admin(), id, staff.RoleOperator, code, nil)
	if errors.Is(err, staff.ErrUnknownRegion) {
		return usagef("--region %s: no such region (import regions first: kimbot regions import)", code)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(app.stdout, "operator %d may broadcast within %s\n", op.TelegramID, op.Scope)
	return nil
}

func operatorList(ctx context.Context, app *cliApp, scope string) error {
	code, err := parseScope(scope, false)
	if err != nil {
		return err
	}
	ops, err := staff.New(app.db, app.clock).List(ctx, staff.Admin().Within(code), staff.RoleOperator)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(app.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TELEGRAM ID\tREGION\tINVITED BY\tSINCE")
	for _, op := range ops {
		by := "cli"
		if op.AddedBy != nil {
			by = fmt.Sprint(*op.AddedBy)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", op.TelegramID, op.Scope, by, op.CreatedAt.Format("2006-01-02"))
	}
	return w.Flush()
}

func operatorInvite(ctx context.Context, app *cliApp, scope string, role staff.Role) error {
	code, err := parseScope(scope, true)
	if err != nil {
		return err
	}
	if role != staff.RoleOperator && role != staff.RoleModerator {
		return usagef("--role must be operator or moderator")
	}
	inv, _, err := staff.New(app.db, app.clock).CreateInvite(ctx, staff.Admin(), role, code)
	if errors.Is(err, staff.ErrUnknownRegion) {
		return usagef("--region %s: no such region", code)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(app.stdout, inv)
	return nil
}
