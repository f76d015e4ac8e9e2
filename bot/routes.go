package bot

import (
	"context"
	"slices"
	"time"

	"github.com/kimbot/kimbot/bot/internal/aspiration"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/bot/internal/operator"
	"github.com/kimbot/kimbot/bot/internal/resident"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

// regionCacheTTL is how long place names and picker pages are kept in
// memory: regions only change on re-import.
const regionCacheTTL = 10 * time.Minute

// registerRoutes is the one place where every area of chat flows is
// wired and registered; see doc.go for how to add one.
func registerRoutes(a *App, rt *chat.Router) error {
	d := a.deps
	cache := region.NewCache(d.Regions, regionCacheTTL)
	// What /hapusdata erases, in this order (README, "What /hapusdata
	// erases"): other areas' data, tickets, the subscription and its
	// deliveries, and last the inbox, whose row of the request itself is
	// what retries a failed erasure.
	erasers := slices.Clone(d.DataErasers)
	if d.Aspirations != nil {
		erasers = append(erasers, d.Aspirations.EraseResident)
	}
	erasers = append(erasers, d.Subscribers.Erase, a.inbox.Erase)
	res := resident.New(resident.Deps{Regions: d.Regions, Cache: cache, Subscribers: d.Subscribers,
		Root: d.RegionRoot, Erasers: erasers})
	if d.Aspirations != nil {
		aspiration.New(aspiration.Deps{Aspirations: d.Aspirations, Subscribers: d.Subscribers, Staff: d.Staff,
			Regions: cache, Picker: res, BotUsername: a.botUsername, Clock: d.Clock, Log: d.Logger,
			Archive: d.Archive, ArchiveURL: d.ArchiveURL, Zone: d.OperatorZone}).Register(rt)
	}
	res.Register(rt)
	rt.Who(func(ctx context.Context, userID int64) (staff.Role, error) {
		a, err := d.Staff.Who(ctx, userID, "")
		return a.Role, err
	})
	if d.Schedules != nil {
		operator.New(operator.Deps{Staff: d.Staff, Schedules: d.Schedules, Regions: d.Regions, Clock: d.Clock,
			Zone: d.OperatorZone, Log: d.Logger, SignIn: d.SignInLinks, Proposals: d.Proposals}).Register(rt)
	}
	return rt.Err()
}
