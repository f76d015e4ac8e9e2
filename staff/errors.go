package staff

import (
	"errors"

	"github.com/lib/pq"
)

// The errors callers branch on. The bot and the CLI answer each kindly.
var (
	// ErrNotFound: the person holds no such role.
	ErrNotFound = errors.New("staff member not found")
	// ErrForbidden: the actor's role does not allow this.
	ErrForbidden = errors.New("not allowed for this role")
	// ErrOutOfScope: a region, invite or person outside the actor's
	// scope. Callers answer as if it did not exist where that matters.
	ErrOutOfScope = errors.New("outside your region scope")
	// ErrUnknownRegion: the code is not in the regions table.
	ErrUnknownRegion = errors.New("unknown region code")
	// ErrInvalid: a malformed id, role or group chat id.
	ErrInvalid = errors.New("invalid staff input")

	ErrInviteInvalid = errors.New("invitation code unknown")
	ErrInviteUsed    = errors.New("invitation code already used")
	ErrInviteExpired = errors.New("invitation code expired")
	// ErrAlreadyInvited: the redeemer already holds the code's role; the
	// code stays valid for someone else.
	ErrAlreadyInvited = errors.New("already holds this role")

	// ErrLinkCode: a group link code unknown, used or expired.
	ErrLinkCode = errors.New("group link code unknown, used or expired")
)

// isUniqueViolation reports PostgreSQL's unique_violation (23505).
func isUniqueViolation(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505"
}
