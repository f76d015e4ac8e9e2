package aspirations

import "time"

// Level is how an open ticket stands against the service levels (sla.go),
// for colouring a queue.
type Level string

// The levels: closed tickets have none; an open one is on time while
// younger than ClaimTimeout (a day), late after it, and overdue once it
// is older than UnclaimedEscalateAfter (3 days, when an unclaimed ticket
// goes to the operators by itself).
const (
	LevelNone    Level = ""
	LevelOnTime  Level = "tepat"
	LevelLate    Level = "lambat"
	LevelOverdue Level = "lewat"
)

// Level is where t stands at now.
func (s *Service) Level(t Ticket, now time.Time) Level {
	if !t.Status.Open() {
		return LevelNone
	}
	age := now.Sub(t.CreatedAt)
	switch {
	case age >= s.cfg.UnclaimedEscalateAfter:
		return LevelOverdue
	case age >= s.cfg.ClaimTimeout:
		return LevelLate
	}
	return LevelOnTime
}
