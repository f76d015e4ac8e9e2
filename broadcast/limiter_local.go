package broadcast

import (
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
)

// localGCRA is the in-process twin of redis_rate's GCRA, used while Redis
// is unavailable. Each replica then takes its share of the rate.
type localGCRA struct {
	mu     sync.Mutex
	tat    time.Time // theoretical arrival time
	period time.Duration
	rate   int
}

func newLocalGCRA(l redis_rate.Limit) *localGCRA {
	return &localGCRA{period: l.Period, rate: l.Rate}
}

// take grants a send at now (returns 0) or returns how long to wait. burst
// is in tokens (tokenCost a send). The emission interval is stretched by
// members, the replicas that shared the rate when Redis was last seen.
func (g *localGCRA) take(now time.Time, burst, members int) time.Duration {
	perToken := g.period * time.Duration(max(1, members)) / time.Duration(g.rate)
	interval := perToken * tokenCost
	g.mu.Lock()
	defer g.mu.Unlock()
	tat := g.tat
	if tat.Before(now) {
		tat = now
	}
	allowAt := tat.Add(interval - perToken*time.Duration(burst))
	if now.Before(allowAt) {
		return allowAt.Sub(now)
	}
	g.tat = tat.Add(interval)
	return 0
}
