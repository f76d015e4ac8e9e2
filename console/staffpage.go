package console

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// /petugas: an operator sees the operators and moderators of their scope
// and its invitations (who redeemed which), invites someone (a one-time
// code, redeemed in chat with /daftar KODE, shown with a QR code of the
// bot's t.me link), revokes an invitation and removes a role. staff
// filters every call by the operator's scope; a person or invitation
// outside it is 404, as if it did not exist. Every change is audited.

// staffPage is what petugas.html shows.
type staffPage struct {
	Operators, Moderators []memberRow
	Invites               []inviteRow
	Tree                  targetNode
	Role, Scope, Code     string // the invite form as typed
	Errors                fieldErrors
	Notice                string
}

type memberRow struct {
	TelegramID int64
	Role       staff.Role
	Scope      string
	Since      string
	Self       bool
}

type inviteRow struct {
	ID         int64
	Role       staff.Role
	Scope      string
	Created    string
	Expires    string
	RedeemedBy int64 // 0: nobody yet
	Redeemed   string
	Open       bool
}

func (c *Console) staffList(w http.ResponseWriter, r *http.Request) {
	c.showStaff(w, r, http.StatusOK, staffPage{Role: string(staff.RoleModerator)})
}

func (c *Console) showStaff(w http.ResponseWriter, r *http.Request, status int, p staffPage) {
	ctx, a := r.Context(), actorOf(r)
	var err error
	if p.Operators, err = c.members(ctx, a, staff.RoleOperator); err == nil {
		p.Moderators, err = c.members(ctx, a, staff.RoleModerator)
	}
	if err == nil {
		p.Invites, err = c.invites(ctx, a)
	}
	if err == nil {
		p.Tree, err = c.targetTree(ctx, a)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, status, "petugas", p)
}

func (c *Console) members(ctx context.Context, a staff.Actor, role staff.Role) ([]memberRow, error) {
	ms, err := c.staff.List(ctx, a, role)
	if err != nil {
		return nil, err
	}
	out := make([]memberRow, len(ms))
	for i, m := range ms {
		out[i] = memberRow{TelegramID: m.TelegramID, Role: m.Role, Scope: c.regions.Label(ctx, m.Scope),
			Since: c.day(m.CreatedAt), Self: m.TelegramID == a.TelegramID && m.Role == a.Role}
	}
	return out, nil
}

func (c *Console) invites(ctx context.Context, a staff.Actor) ([]inviteRow, error) {
	invs, err := c.staff.ListInvites(ctx, a)
	if err != nil {
		return nil, err
	}
	now := c.clock.Now()
	out := make([]inviteRow, len(invs))
	for i, v := range invs {
		out[i] = inviteRow{ID: v.ID, Role: v.Role, Scope: c.regions.Label(ctx, v.Scope), Created: c.day(v.CreatedAt),
			Expires: c.day(v.ExpiresAt), Open: v.RedeemedAt == nil && v.ExpiresAt.After(now)}
		if v.RedeemedAt != nil && v.RedeemedBy != nil {
			out[i].RedeemedBy, out[i].Redeemed = *v.RedeemedBy, c.day(*v.RedeemedAt)
		}
	}
	return out, nil
}

// day shows a time as a date and clock in the console's zone.
func (c *Console) day(t time.Time) string { return t.In(c.zone).Format("02/01/2006 15.04") }

// invitePage is the new code, shown once.
type invitePage struct {
	Code, Command, Link, Scope string
	Role                       staff.Role
	QR                         template.URL
	Expires                    string
}

// inviteCreate makes an invitation for the chosen role and scope.
func (c *Console) inviteCreate(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actorOf(r)
	role, scope := staff.Role(r.PostFormValue("peran")), strings.TrimSpace(r.PostFormValue("wilayah"))
	typed := strings.TrimSpace(r.PostFormValue("kode"))
	p := staffPage{Role: string(role), Scope: scope, Code: typed, Errors: fieldErrors{}}
	if typed != "" {
		scope = typed
	}
	code, err := region.ParseCode(scope)
	if err != nil {
		p.Errors["wilayah"] = catalog.T("web.staff.err.unknown_region")
		c.showStaff(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	secret, inv, err := c.staff.CreateInvite(ctx, a, role, code)
	switch {
	case errors.Is(err, staff.ErrInvalid):
		p.Errors["peran"] = catalog.T("web.staff.err.role")
	case errors.Is(err, staff.ErrOutOfScope):
		p.Errors["wilayah"] = catalog.T("web.staff.err.out_of_scope")
	case errors.Is(err, staff.ErrUnknownRegion):
		p.Errors["wilayah"] = catalog.T("web.staff.err.unknown_region")
	case err != nil:
		c.fail(w, r, err)
		return
	}
	if len(p.Errors) > 0 {
		c.showStaff(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	link := c.botLink(ctx)
	qr, err := qrDataURL(link)
	if err != nil {
		c.log.Error("console: drawing an invitation's QR code", "err", err)
	}
	c.render(w, r, http.StatusOK, "petugas_undangan", invitePage{Code: secret, Command: "/daftar " + secret, Link: link,
		Scope: c.regions.Label(ctx, inv.Scope), Role: inv.Role, QR: qr, Expires: c.day(inv.ExpiresAt)})
}

// botLink is the bot's t.me link, where the invited person starts the
// bot and types /daftar KODE (invitations have no deep link: the code is
// typed, so it never sits in a link someone else may open).
func (c *Console) botLink(ctx context.Context) string {
	name := c.deps.BotUsername
	if asker, ok := c.deps.Uploader.(interface {
		Username(context.Context) (string, error)
	}); ok && name == "" {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if n, err := asker.Username(ctx); err == nil {
			name = n
		} else {
			c.log.Warn("console: asking Telegram for the bot's username", "err", err)
		}
	}
	if name == "" {
		return ""
	}
	return "https://t.me/" + strings.TrimPrefix(name, "@")
}

// qrDataURL is a PNG QR code of link, inline (the CSP allows data:
// images, not other sites').
func qrDataURL(link string) (template.URL, error) {
	if link == "" {
		return "", nil
	}
	png, err := qrcode.Encode(link, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil //nolint:gosec // our own PNG
}

// inviteRevoke ends an open invitation.
func (c *Console) inviteRevoke(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actorOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.staffMissing(w, r)
		return
	}
	_, err = c.staff.RevokeInvite(ctx, a, id) // it writes the audit entry
	switch {
	case errors.Is(err, staff.ErrNotFound):
		c.staffMissing(w, r)
	case errors.Is(err, staff.ErrInviteUsed), errors.Is(err, staff.ErrInviteExpired):
		c.showStaff(w, r, http.StatusConflict, staffPage{Role: string(staff.RoleModerator), Notice: catalog.T("web.staff.revoke_late")})
	case err != nil:
		c.fail(w, r, err)
	default:
		http.Redirect(w, r, "/petugas", http.StatusSeeOther)
	}
}

// memberRemove takes a role away from someone in the operator's scope.
func (c *Console) memberRemove(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actorOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.staffMissing(w, r)
		return
	}
	_, err = c.staff.Remove(ctx, a, id, staff.Role(r.PathValue("role"))) // it writes the audit entry
	switch {
	case errors.Is(err, staff.ErrNotFound), errors.Is(err, staff.ErrInvalid):
		c.staffMissing(w, r)
	case errors.Is(err, staff.ErrForbidden):
		c.showStaff(w, r, http.StatusForbidden, staffPage{Role: string(staff.RoleModerator), Notice: catalog.T("web.staff.remove_self")})
	case err != nil:
		c.fail(w, r, err)
	default:
		http.Redirect(w, r, "/petugas", http.StatusSeeOther)
	}
}

// staffMissing answers for a person or invitation outside the scope, or
// none: 404 either way, so other regencies' staff cannot be probed.
func (c *Console) staffMissing(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusNotFound, "petugas_tidak_ada", nil)
}
