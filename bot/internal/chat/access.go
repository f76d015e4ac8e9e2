package chat

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/staff"
)

// Where says in which chats a route's buttons may be pressed.
type Where uint8

// The chats a button may be pressed in.
const (
	InPrivate Where = 1 << iota // the presser's private chat with the bot
	InGroup                     // a group or a supergroup
)

// Access is who may press a route's buttons, and where. Every button
// route declares one when it is registered, and the Router checks it
// before the handler runs: callback data can be forged (Telegram checks
// that it is on the message's keyboard, kimbot does not rely on it), so
// a resident's button pressed in a KIM group, or a staff button pressed
// by a resident, never reaches a handler.
type Access struct {
	Where Where
	// Roles that may press; none means anyone (residents and staff).
	Roles []staff.Role
}

// The three kinds of buttons kimbot draws.
var (
	// ResidentButtons are pressed by anyone in their private chat.
	ResidentButtons = Access{Where: InPrivate}
	// StaffButtons are pressed by moderators and operators, in a private
	// chat or a KIM group.
	StaffButtons = Access{Where: InPrivate | InGroup, Roles: []staff.Role{staff.RoleModerator, staff.RoleOperator}}
	// OperatorButtons are pressed by operators in their private chat.
	OperatorButtons = Access{Where: InPrivate, Roles: []staff.Role{staff.RoleOperator}}
)

// WhoFunc says which role a Telegram user holds (the widest, when
// several); RoleResident for anyone without a staff role.
type WhoFunc func(ctx context.Context, userID int64) (staff.Role, error)

// CallbackRoute is one registered button route, for tests that walk
// every route.
type CallbackRoute struct {
	Prefix string // "area" or "area:action"
	Access Access
}

type callbackRoute struct {
	CallbackRoute
	h HandlerFunc
}

// Who sets how the Router learns a presser's role. Without it, every
// route that names Roles is refused.
func (rt *Router) Who(who WhoFunc) { rt.who = who }

// Callback routes button presses whose data is "area:…" (prefix "area")
// or "area:action…" (prefix "area:action", tried first), for the
// presses access allows.
func (rt *Router) Callback(prefix string, access Access, h HandlerFunc) {
	area, action, _ := strings.Cut(prefix, ":")
	switch {
	case rt.callbacks[prefix] != nil || area == "" || strings.Contains(action, ":"):
		rt.errs = append(rt.errs, fmt.Errorf("chat: callback route %q registered twice or invalid", prefix))
	case access.Where&(InPrivate|InGroup) == 0:
		rt.errs = append(rt.errs, fmt.Errorf("chat: callback route %q allows no chat", prefix))
	}
	rt.callbacks[prefix] = &callbackRoute{CallbackRoute{Prefix: prefix, Access: access}, h}
}

// CallbackRoutes lists the registered button routes.
func (rt *Router) CallbackRoutes() []CallbackRoute {
	out := make([]CallbackRoute, 0, len(rt.callbacks))
	for _, c := range rt.callbacks {
		out = append(out, c.CallbackRoute)
	}
	slices.SortFunc(out, func(a, b CallbackRoute) int { return strings.Compare(a.Prefix, b.Prefix) })
	return out
}

// callbackRouteOf is the route data goes to, or nil: data longer than
// Telegram allows goes nowhere.
func (rt *Router) callbackRouteOf(data string) *callbackRoute {
	if len(data) > message.MaxCallbackData {
		return nil
	}
	area, rest, _ := strings.Cut(data, ":")
	action, _, _ := strings.Cut(rest, ":")
	if c := rt.callbacks[area+":"+action]; c != nil && action != "" {
		return c
	}
	return rt.callbacks[area]
}

// refusal is the catalogue key of why c may not run for r's press, or ""
// when it may: the chat, then the presser's role, then the message the
// button sits on, which must carry a button of the same route (a
// resident's picker button never edits a ticket post).
func (rt *Router) refusal(ctx context.Context, r *Request, c *callbackRoute) (catalog.Key, string, error) {
	if where := r.where(); where&c.Access.Where == 0 {
		if c.Access.Where == InPrivate {
			return "res.button_private", "chat", nil
		}
		return "res.button_here", "chat", nil
	}
	if len(c.Access.Roles) > 0 {
		if rt.who == nil {
			return "res.button_forbidden", "role", nil
		}
		role, err := rt.who(ctx, r.UserID)
		if err != nil {
			return "", "", err
		}
		if !slices.Contains(c.Access.Roles, role) {
			return "res.button_forbidden", "role", nil
		}
	}
	if m := r.Callback.Message.Message; m != nil && !rt.carries(m, c) {
		return "res.stale_button", "kind", nil
	}
	return "", "", nil
}

// carries reports whether m's keyboard has a button of route c. A press
// on a message the bot cannot see (deleted, too old) has no keyboard to
// check; nothing can edit such a message either.
func (rt *Router) carries(m *models.Message, c *callbackRoute) bool {
	if m.ReplyMarkup == nil {
		return false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != "" && rt.callbackRouteOf(b.CallbackData) == c {
				return true
			}
		}
	}
	return false
}

// press routes a button press through its route's Access.
func (rt *Router) press(ctx context.Context, r *Request) error {
	c := rt.callbackRouteOf(r.Data)
	if c == nil {
		r.Answer(ctx, catalog.T("res.stale_button"))
		if rt.stale != nil && r.Private {
			return rt.stale(ctx, r)
		}
		return nil
	}
	key, why, err := rt.refusal(ctx, r, c)
	if err != nil {
		return err
	}
	if key != "" {
		r.log.Info("button refused", "update_id", r.Update.ID, "route", c.Prefix, "why", why)
		r.Alert(ctx, catalog.T(key))
		return nil
	}
	return c.h(ctx, r)
}

// where is the kind of chat the request came from; 0 when unknown (a
// press on an inline message, which kimbot never sends).
func (r *Request) where() Where {
	switch r.chatType {
	case models.ChatTypePrivate:
		return InPrivate
	case models.ChatTypeGroup, models.ChatTypeSupergroup:
		return InGroup
	}
	return 0
}
