package peta

import (
	"context"
	"time"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// KIMRef is a KIM as a tile names it.
type KIMRef struct {
	ID     int64
	Name   string
	Status Status
}

// Village is one tile of the map: a kelurahan/desa, the KIM serving it
// (its own first, then its kecamatan's), its status (the best of those
// KIM's), its active subscribers and its aspiration service over the
// Window.
type Village struct {
	Code        region.Code
	Name        string
	KIM         []KIMRef
	Status      Status
	Subscribers int
	Service     aspirations.AreaService
}

// Summary adds up villages: how many each status has, the subscribers
// and those living where an aktif KIM serves, open and overdue
// aspirations, and the median first response of the area's answers in
// the Window.
type Summary struct {
	Villages, Aktif, Vakum, None    int
	Subscribers, SubscribersCovered int
	Open, Overdue                   int
	MedianFirstResponse             time.Duration
}

// Covered is the share of villages an aktif KIM serves, 0..1.
func (s Summary) Covered() float64 {
	if s.Villages == 0 {
		return 0
	}
	return float64(s.Aktif) / float64(s.Villages)
}

// SubscriberShare is the share of subscribers living where an aktif KIM
// serves, 0..1.
func (s Summary) SubscriberShare() float64 {
	if s.Subscribers == 0 {
		return 0
	}
	return float64(s.SubscribersCovered) / float64(s.Subscribers)
}

// District is a kecamatan with its tiles.
type District struct {
	Code     region.Code
	Name     string
	Villages []Village
	Summary  Summary
}

// Peta is the map of a scope: its kecamatan in code order and the
// scope's summary.
type Peta struct {
	Within region.Code
	// AsOf is when the aspiration figures were counted (zero: not yet).
	AsOf      time.Time
	Districts []District
	Summary   Summary
}

// Villages draws the map of within ("" = by's whole scope): every
// kelurahan/desa with its KIM, status, subscribers and service. Staff
// may read it for their scope (a moderator: their KIM's area).
func (m *Map) Villages(ctx context.Context, by staff.Actor, within region.Code) (Peta, error) {
	if within == "" {
		within = by.Scope
	}
	p := Peta{Within: within}
	// A kelurahan's KIM kecamatan lies outside the kelurahan itself.
	list := within
	if within.Level() == region.Village && by.Allows(within.Parent()) {
		list = within.Parent()
	}
	acts, err := m.Activities(ctx, by, list)
	if err != nil {
		return p, err
	}
	byArea := map[region.Code][]KIMRef{}
	for _, a := range acts {
		if within.Contains(a.Area) || a.Area.Contains(within) {
			byArea[a.Area] = append(byArea[a.Area], KIMRef{ID: a.ID, Name: a.Name, Status: a.Status})
		}
	}
	service, err := m.d.Aspirations.ServiceByVillage(ctx, by, within)
	if err != nil {
		return p, err
	}
	svc := make(map[region.Code]aspirations.AreaService, len(service))
	for _, s := range service {
		svc[s.Area] = s
	}
	var cur *District
	err = m.d.Subscribers.SubscribersByVillage(ctx, by, within, func(v broadcast.VillageCounts) error {
		district := v.Code.Parent()
		if cur == nil || cur.Code != district {
			p.Districts = append(p.Districts, District{Code: district, Name: v.District})
			cur = &p.Districts[len(p.Districts)-1]
		}
		t := Village{Code: v.Code, Name: v.Village, Subscribers: v.Active, Service: svc[v.Code], Status: None}
		t.KIM = append(append(t.KIM, byArea[v.Code]...), byArea[district]...)
		for _, k := range t.KIM {
			if k.Status.rank() > t.Status.rank() {
				t.Status = k.Status
			}
		}
		cur.Villages = append(cur.Villages, t)
		return nil
	})
	if err != nil {
		return p, err
	}
	// Medians do not add up: each kecamatan's and the scope's are counted
	// over their own tickets.
	areas := []region.Code{within}
	for _, d := range p.Districts {
		if d.Code != within && by.Allows(d.Code) { // a moderator's kelurahan is the whole of their view
			areas = append(areas, d.Code)
		}
	}
	whole, err := m.d.Aspirations.ServiceOfAreas(ctx, by, areas)
	if err != nil {
		return p, err
	}
	var all []Village
	for i := range p.Districts {
		d := &p.Districts[i]
		d.Summary = summarise(d.Villages)
		d.Summary.MedianFirstResponse = whole[d.Code].MedianFirstResponse
		if !by.Allows(d.Code) {
			d.Summary.MedianFirstResponse = whole[within].MedianFirstResponse
		}
		all = append(all, d.Villages...)
	}
	p.Summary = summarise(all)
	p.Summary.MedianFirstResponse = whole[within].MedianFirstResponse
	p.AsOf, err = m.d.Aspirations.ServiceAsOf(ctx)
	return p, err
}

func summarise(vs []Village) Summary {
	var s Summary
	for _, v := range vs {
		s.Villages++
		switch v.Status {
		case Aktif:
			s.Aktif++
			s.SubscribersCovered += v.Subscribers
		case Vakum:
			s.Vakum++
		default:
			s.None++
		}
		s.Subscribers += v.Subscribers
		s.Open += v.Service.Open
		s.Overdue += v.Service.Overdue
	}
	return s
}
