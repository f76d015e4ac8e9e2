package region

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cache keeps region lookups in memory for a while: regions change only
// when an admin re-imports them, and every /start, every page of a
// keyboard and every message naming a place would otherwise read the
// same rows again. It is safe for concurrent use.
type Cache struct {
	store *Store
	ttl   time.Duration
	mu    sync.Mutex
	items map[string]cachedLookup
}

type cachedLookup struct {
	regions []Region
	total   int
	until   time.Time
}

// maxCachedLookups bounds the memory (a page of 12 regions each).
const maxCachedLookups = 20000

// NewCache caches store's lookups for ttl.
func NewCache(store *Store, ttl time.Duration) *Cache {
	return &Cache{store: store, ttl: ttl, items: map[string]cachedLookup{}}
}

// Children is Store.Children, cached.
func (c *Cache) Children(ctx context.Context, parent Code, offset, limit int) ([]Region, int, error) {
	key := "c:" + string(parent) + ":" + strconv.Itoa(offset) + ":" + strconv.Itoa(limit)
	if it, ok := c.get(key); ok {
		return it.regions, it.total, nil
	}
	regions, total, err := c.store.Children(ctx, parent, offset, limit)
	if err == nil {
		c.put(key, cachedLookup{regions: regions, total: total})
	}
	return regions, total, err
}

// Get is Store.Get, cached.
func (c *Cache) Get(ctx context.Context, code Code) (Region, error) {
	key := "g:" + string(code)
	if it, ok := c.get(key); ok {
		return it.regions[0], nil
	}
	reg, err := c.store.Get(ctx, code)
	if err == nil {
		c.put(key, cachedLookup{regions: []Region{reg}})
	}
	return reg, err
}

func (c *Cache) get(key string) (cachedLookup, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[key]
	if !ok || time.Now().After(it.until) {
		return cachedLookup{}, false
	}
	return it, true
}

func (c *Cache) put(key string, it cachedLookup) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= maxCachedLookups {
		clear(c.items)
	}
	it.until = time.Now().Add(c.ttl)
	c.items[key] = it
}

// Name is the region's name ("Tlogomas"), or its code when it cannot be
// read; plain text, to be escaped where it goes into HTML.
func (c *Cache) Name(ctx context.Context, code Code) string {
	if reg, err := c.Get(ctx, code); err == nil {
		return reg.Name
	}
	return string(code)
}

// Label names a village with its district and regency, "Tlogomas, Kec.
// Lowokwaru, Kota Malang" (a district is "Kec. …"), or the bare code when
// the names cannot be read; plain text.
func (c *Cache) Label(ctx context.Context, code Code) string {
	var parts []string
	for cur := code; cur != "" && len(parts) < 3; cur = cur.Parent() {
		reg, err := c.Get(ctx, cur)
		if err != nil {
			return string(code)
		}
		name := reg.Name
		if reg.Level == District {
			name = "Kec. " + name
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, ", ")
}

// ShortLabel names a district as "Kec. Lowokwaru" and a village with its
// district, "Tlogomas, Kec. Lowokwaru", for the rows of a breakdown
// within one city; other codes by Name.
func (c *Cache) ShortLabel(ctx context.Context, code Code) string {
	switch code.Level() {
	case District:
		return "Kec. " + c.Name(ctx, code)
	case Village:
		return c.Name(ctx, code) + ", Kec. " + c.Name(ctx, code.Parent())
	}
	return c.Name(ctx, code)
}
