// Package broadcast owns who receives announcements and how they are
// delivered: subscribers, operators, announcements, schedules, runs,
// deliveries, the rate limiter and the delivery engine.
package broadcast

import "errors"

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrUnknownVillage is returned when a subscription names a code that is
// not a village (level 4) in the regions table.
var ErrUnknownVillage = errors.New("unknown village")
