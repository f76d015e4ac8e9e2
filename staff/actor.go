// Package staff answers "who is this Telegram user and what may they do":
// Diskominfo operators and KIM moderators with their region scopes, the
// moderators' group chats, the one-time invitation codes that bring new
// staff in, and the codes that link a KIM's Telegram group.
//
// Every scope is a Kemendagri region-code prefix (region.Code): an
// operator of "35.73" sees and changes everything in Kota Malang, a
// moderator of "35.73.05.1003" only Tlogomas. Packages broadcast,
// aspirations, bot and the web console all take a staff.Actor and filter
// by its Scope; none of them reads this package's tables.
//
// It must not know about broadcasting, tickets or Telegram: it owns the
// tables staff, invites and group_link_codes (migration 00012) and nothing
// else.
package staff

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kimbot/kimbot/internal/audit"
	"github.com/kimbot/kimbot/region"
)

// Role is what kind of person acts.
type Role string

// The roles. Residents can only file, reply to and rate their own tickets;
// moderators work their KIM's queue; operators also broadcast, invite and
// take escalations; the admin (the CLI) holds the whole country. System
// marks what the service does by itself (service levels).
const (
	RoleResident  Role = "resident"
	RoleModerator Role = "moderator"
	RoleOperator  Role = "operator"
	RoleAdmin     Role = "admin"
	RoleSystem    Role = "system"
)

// Actor is who acts: a resident (their chat id), a moderator, an operator,
// or the CLI's admin. Scope is the region prefix a staff actor may see and
// change; the admin's empty Scope is the whole country.
type Actor struct {
	Role       Role
	TelegramID int64
	Scope      region.Code
	// KIM is a moderator's KIM in the registry (0: none, and for every
	// other role); a moderator sees only their own KIM.
	KIM int64
	// Name is shown to residents as who answered (never for anonymous
	// tickets); at most 64 characters are kept (DisplayName).
	Name string
}

// Admin is the CLI's actor: whoever holds the database credentials acts
// on the whole country.
func Admin() Actor { return Actor{Role: RoleAdmin, Name: "Diskominfo"} }

// Within is a narrowed to scope, for the CLI's --region filters; an admin
// narrowed this way still acts as the admin inside scope.
func (a Actor) Within(scope region.Code) Actor {
	a.Scope = scope
	return a
}

// Resident is the actor of a Telegram user who holds no staff role.
func Resident(telegramID int64) Actor { return Actor{Role: RoleResident, TelegramID: telegramID} }

// IsAdmin reports whether a is the CLI's whole-country actor.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// IsStaff reports whether a may work a review queue: a moderator or an
// operator with a scope, or the admin.
func (a Actor) IsStaff() bool {
	switch a.Role {
	case RoleModerator, RoleOperator:
		return a.TelegramID != 0 && a.Scope != ""
	case RoleAdmin:
		return true
	}
	return false
}

// IsOperator reports whether a may broadcast, invite and take escalated
// tickets: an operator with a scope, or the admin.
func (a Actor) IsOperator() bool {
	return a.IsAdmin() || (a.Role == RoleOperator && a.TelegramID != 0 && a.Scope != "")
}

// Allows reports whether code lies inside a's scope (every code for the
// admin's empty scope, none for residents).
func (a Actor) Allows(code region.Code) bool {
	return a.IsStaff() && a.Scope.Contains(code)
}

// CreatedBy is a's id for created_by columns: nil (NULL) for the admin.
func (a Actor) CreatedBy() *int64 {
	if a.TelegramID == 0 {
		return nil
	}
	id := a.TelegramID
	return &id
}

// DisplayName is a's name as stored next to what they did: trimmed, at
// most 64 characters.
func (a Actor) DisplayName() string {
	n := strings.TrimSpace(a.Name)
	if utf8.RuneCountInString(n) > 64 {
		n = string([]rune(n)[:64])
	}
	return n
}

// Audit is the audit-log entry of a doing action at at, concerning scope.
func (a Actor) Audit(at time.Time, action string, scope region.Code, detail string) audit.Entry {
	return audit.Entry{At: at, Role: string(a.Role), ActorID: a.TelegramID, Name: a.DisplayName(), Action: action,
		Scope: string(scope), Detail: detail}
}
