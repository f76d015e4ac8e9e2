// Package broadcast owns who receives announcements and how they are
// delivered: subscribers, announcements, schedules, runs, deliveries, the
// rate limiter and the delivery engine.
//
// Who may broadcast comes from package staff: every method that shows or
// changes schedules takes a staff.Actor and filters by its region scope.
// It must not know about Telegram updates, chat flows or tickets: it sends
// through a message.Sender and reads no other package's tables.
package broadcast

import (
	"errors"

	"github.com/kimbot/kimbot/staff"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrUnknownVillage is returned when a subscription names a code that is
// not a village (level 4) in the regions table.
var ErrUnknownVillage = errors.New("unknown village")

// ErrForbidden, ErrOutOfScope and ErrUnknownRegion are staff's errors,
// the same values (errors.Is matches either name): someone who is no
// operator, a target outside the operator's scope, a code not in the
// regions table.
var (
	ErrForbidden     = staff.ErrForbidden
	ErrOutOfScope    = staff.ErrOutOfScope
	ErrUnknownRegion = staff.ErrUnknownRegion
)
