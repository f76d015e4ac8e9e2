// Package peta is the peta KIM: which kelurahan/desa of a scope a KIM
// serves, whether each KIM is aktif or vakum, and how residents there
// are served (subscribers, open and overdue aspirations, first-response
// times). It reads what staff, aspirations and broadcast own through
// their exported methods and decides nothing they decide.
//
// It must not know about Telegram, the console or the CLI.
package peta

import (
	"context"
	"fmt"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// Window is how far back a KIM's activity counts: 90 days (issue 12, the
// offices' quarter). Aspiration service over it is refreshed every
// minute (aspirations.RunAreaService); crews and proposals are live.
const Window = aspirations.ServiceWindow

// Status is a KIM's, or a kelurahan's, state on the map.
type Status string

// The statuses. A kelurahan takes the best status of the KIM serving it
// (its own, or its kecamatan's); None is a kelurahan no KIM serves.
const (
	Aktif Status = "aktif"
	Vakum Status = "vakum"
	None  Status = "none"
)

// rank orders statuses from best.
func (s Status) rank() int {
	switch s {
	case Aktif:
		return 2
	case Vakum:
		return 1
	}
	return 0
}

// Reason is why a KIM is vakum; the console words each one.
type Reason string

// The reasons, in the order they are checked.
const (
	NoModerator Reason = "no_moderator" // nobody moderates it
	Unreachable Reason = "unreachable"  // no moderator wrote to the bot in the window
	Unanswered  Reason = "unanswered"   // aspirations came, none answered in the window
	Idle        Reason = "idle"         // no answer and no proposal in the window
)

// ProposalCounter counts the proposals each KIM sent since a time.
type ProposalCounter interface {
	ProposalsSince(ctx context.Context, kim []int64, since time.Time) (map[int64]int, error)
}

// Activity is a KIM with what it did in the Window and the status that
// follows from it.
type Activity struct {
	staff.KIM
	Crew      staff.Crew
	Service   aspirations.AreaService
	Proposals int
	Status    Status
	Reasons   []Reason
}

// judge sets a's status from its activity: aktif needs a moderator who
// still reaches the bot and, in the Window, some answer or proposal with
// no aspiration left wholly unanswered.
func (a *Activity) judge() {
	a.Reasons = nil
	switch {
	case a.Crew.Moderators == 0:
		a.Reasons = append(a.Reasons, NoModerator)
	case a.Crew.Reachable == 0:
		a.Reasons = append(a.Reasons, Unreachable)
	}
	switch {
	case a.Service.Received > 0 && a.Service.Answered == 0:
		a.Reasons = append(a.Reasons, Unanswered)
	case a.Service.Answered == 0 && a.Proposals == 0:
		a.Reasons = append(a.Reasons, Idle)
	}
	a.Status = Aktif
	if len(a.Reasons) > 0 {
		a.Status = Vakum
	}
}

// Deps are what the map reads.
type Deps struct {
	Staff       *staff.Directory
	Aspirations *aspirations.Service
	Subscribers *broadcast.Subscribers
	Proposals   ProposalCounter
	Clock       message.Clock
}

// Map answers the peta KIM's questions.
type Map struct{ d Deps }

// New returns a Map over d.
func New(d Deps) *Map {
	if d.Clock == nil {
		d.Clock = message.SystemClock{}
	}
	return &Map{d: d}
}

// Activities returns every KIM by may see inside within ("" = by's whole
// scope) with its status, by area then name.
func (m *Map) Activities(ctx context.Context, by staff.Actor, within region.Code) ([]Activity, error) {
	ks, err := m.d.Staff.ListKIM(ctx, by, within)
	if err != nil {
		return nil, err
	}
	return m.judgeAll(ctx, by, ks)
}

// Activity returns KIM id with its status (staff.ErrNotFound outside
// by's sight).
func (m *Map) Activity(ctx context.Context, by staff.Actor, id int64) (Activity, error) {
	k, err := m.d.Staff.GetKIM(ctx, by, id)
	if err != nil {
		return Activity{}, err
	}
	as, err := m.judgeAll(ctx, by, []staff.KIM{k})
	if err != nil {
		return Activity{}, err
	}
	return as[0], nil
}

func (m *Map) judgeAll(ctx context.Context, by staff.Actor, ks []staff.KIM) ([]Activity, error) {
	if len(ks) == 0 {
		return nil, nil
	}
	since := m.d.Clock.Now().Add(-Window)
	ids := make([]int64, len(ks))
	areas := make([]region.Code, 0, len(ks))
	seen := map[region.Code]bool{}
	for i, k := range ks {
		ids[i] = k.ID
		if !seen[k.Area] {
			seen[k.Area] = true
			areas = append(areas, k.Area)
		}
	}
	crews, err := m.d.Staff.Crews(ctx, ids, since)
	if err != nil {
		return nil, err
	}
	// A moderator sees their KIM's area, which their scope is.
	service, err := m.d.Aspirations.ServiceOfAreas(ctx, by, areas)
	if err != nil {
		return nil, fmt.Errorf("reading KIM service: %w", err)
	}
	proposals := map[int64]int{}
	if m.d.Proposals != nil {
		if proposals, err = m.d.Proposals.ProposalsSince(ctx, ids, since); err != nil {
			return nil, err
		}
	}
	out := make([]Activity, len(ks))
	for i, k := range ks {
		out[i] = Activity{KIM: k, Crew: crews[k.ID], Service: service[k.Area], Proposals: proposals[k.ID]}
		out[i].judge()
	}
	return out, nil
}
