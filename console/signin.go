package console

import (
	"context"
	"errors"
	"net/http"

	"github.com/kimbot/kimbot/staff"
)

// Session keys.
const (
	sessionTelegramID = "telegram_id"
	sessionName       = "name"
)

// signInHelp says how to get a link: /masuk to the bot.
func (c *Console) signInHelp(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "signin_help", nil)
}

// confirmSignIn shows whom a link is for and a button to sign in. It
// spends nothing: Telegram (and other apps) fetch links in messages to
// build previews, and such a fetch must not use the link up or start a
// session. Only the person's own press (a POST, which previews never
// make) signs in.
func (c *Console) confirmSignIn(w http.ResponseWriter, r *http.Request) {
	h, err := c.peekLink(r.Context(), r.PathValue("token"))
	if err != nil {
		c.linkFailed(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "signin_confirm", map[string]any{"Name": h.Name, "Action": r.URL.Path})
}

// signIn spends the link and starts a session for a staff member; a
// resident (or someone who lost their role since) is told the console is
// for staff.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h, err := c.spendLink(ctx, r.PathValue("token"))
	if err != nil {
		c.linkFailed(w, r, err)
		return
	}
	actor, err := c.staff.Who(ctx, h.TelegramID, h.Name)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !actor.IsStaff() {
		c.render(w, r, http.StatusForbidden, "not_staff", nil)
		return
	}
	if err := c.sessions.RenewToken(ctx); err != nil { // a new session id at every sign-in: no fixation
		c.fail(w, r, err)
		return
	}
	c.sessions.Put(ctx, sessionTelegramID, h.TelegramID)
	c.sessions.Put(ctx, sessionName, h.Name)
	c.audit(ctx, actor, "masuk", actor.Scope, "")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// signOut ends the session.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if id := c.sessions.GetInt64(ctx, sessionTelegramID); id != 0 {
		if actor, err := c.staff.Who(ctx, id, c.sessions.GetString(ctx, sessionName)); err == nil && actor.IsStaff() {
			c.audit(ctx, actor, "keluar", actor.Scope, "")
		}
	}
	if err := c.sessions.Destroy(ctx); err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "signed_out", nil)
}

func (c *Console) linkFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrLinkInvalid) {
		c.render(w, r, http.StatusGone, "link_invalid", nil)
		return
	}
	c.fail(w, r, err)
}

type actorKey struct{}

// staffOnly runs h for a signed-in person who is still staff, with their
// Actor (scope and role read afresh on every request, so a session ends
// the moment its person loses their role). Anyone else goes to the
// sign-in help.
func (c *Console) staffOnly(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := c.sessions.GetInt64(ctx, sessionTelegramID)
		if id == 0 {
			http.Redirect(w, r, "/masuk", http.StatusSeeOther)
			return
		}
		actor, err := c.staff.Who(ctx, id, c.sessions.GetString(ctx, sessionName))
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if !actor.IsStaff() {
			if err := c.sessions.Destroy(ctx); err != nil {
				c.fail(w, r, err)
				return
			}
			c.render(w, r, http.StatusForbidden, "not_staff", nil)
			return
		}
		h(w, r.WithContext(context.WithValue(ctx, actorKey{}, actor)))
	})
}

// operatorOnly is staffOnly for operators (and the admin); a moderator
// gets 403 with what the page is for.
func (c *Console) operatorOnly(h http.HandlerFunc) http.Handler {
	return c.staffOnly(func(w http.ResponseWriter, r *http.Request) {
		if !actorOf(r).IsOperator() {
			c.render(w, r, http.StatusForbidden, "operators_only", nil)
			return
		}
		h(w, r)
	})
}

// actorOf is the signed-in staff member (staffOnly put them there).
func actorOf(r *http.Request) staff.Actor {
	a, _ := r.Context().Value(actorKey{}).(staff.Actor)
	return a
}
