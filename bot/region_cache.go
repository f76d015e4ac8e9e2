package bot

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/kimbot/kimbot/region"
)

// regionCache keeps region lookups for the picker in memory for a while:
// regions change only when an admin re-imports them, and every /start and
// every page of the keyboard would otherwise read the same rows again.
type regionCache struct {
	store *region.Store
	ttl   time.Duration
	mu    sync.Mutex
	items map[string]cachedRegions
}

type cachedRegions struct {
	regions []region.Region
	total   int
	until   time.Time
}

// maxCachedLookups bounds the memory (a page of 12 regions each).
const maxCachedLookups = 20000

func newRegionCache(store *region.Store, ttl time.Duration) *regionCache {
	return &regionCache{store: store, ttl: ttl, items: map[string]cachedRegions{}}
}

// Children is region.Store.Children, cached.
func (c *regionCache) Children(ctx context.Context, parent region.Code, offset, limit int) ([]region.Region, int, error) {
	key := "c:" + string(parent) + ":" + strconv.Itoa(offset) + ":" + strconv.Itoa(limit)
	if it, ok := c.get(key); ok {
		return it.regions, it.total, nil
	}
	regions, total, err := c.store.Children(ctx, parent, offset, limit)
	if err == nil {
		c.put(key, cachedRegions{regions: regions, total: total})
	}
	return regions, total, err
}

// Get is region.Store.Get, cached.
func (c *regionCache) Get(ctx context.Context, code region.Code) (region.Region, error) {
	key := "g:" + string(code)
	if it, ok := c.get(key); ok {
		return it.regions[0], nil
	}
	reg, err := c.store.Get(ctx, code)
	if err == nil {
		c.put(key, cachedRegions{regions: []region.Region{reg}})
	}
	return reg, err
}

func (c *regionCache) get(key string) (cachedRegions, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[key]
	if !ok || time.Now().After(it.until) {
		return cachedRegions{}, false
	}
	return it, true
}

func (c *regionCache) put(key string, it cachedRegions) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= maxCachedLookups {
		clear(c.items)
	}
	it.until = time.Now().Add(c.ttl)
	c.items[key] = it
}
