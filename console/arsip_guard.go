package console

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/kimbot/kimbot/internal/rediskey"
)

// The public archive's pace per client (an IPv4 address, or an IPv6 /64):
// a resident reading on a phone opens a few pages a minute; a crawler
// that asks faster gets 429 with a short page, never a slow database.
const (
	publicPerMinute = 120
	publicBurst     = 40
	// maxLocalClients bounds the in-process limiters kept while Redis is
	// away; past it they start again from full (memory stays bounded).
	maxLocalClients = 10000
)

// publicLimiter paces the public pages per client: in Redis (redis_rate's
// GCRA, shared by every replica) when the console has it, else, and while
// Redis does not answer, in the process (golang.org/x/time/rate).
type publicLimiter struct {
	rl    *redis_rate.Limiter // nil without Redis
	limit redis_rate.Limit
	mu    sync.Mutex
	local map[string]*rate.Limiter
}

func newPublicLimiter(rdb *redis.Client, prefix string, perMinute, burst int) *publicLimiter {
	if perMinute <= 0 {
		perMinute, burst = publicPerMinute, publicBurst
	}
	l := &publicLimiter{limit: redis_rate.Limit{Rate: perMinute, Burst: max(burst, 1), Period: time.Minute},
		local: map[string]*rate.Limiter{}}
	if rdb != nil {
		l.rl = rediskey.RateLimiter(rdb, prefix)
	}
	return l
}

// allow takes one request of client from its budget.
func (l *publicLimiter) allow(ctx context.Context, client string) bool {
	if l.rl != nil {
		rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		res, err := l.rl.Allow(rctx, "arsip:"+client, l.limit)
		cancel()
		if err == nil {
			return res.Allowed > 0
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.local[client]
	if !ok {
		if len(l.local) >= maxLocalClients {
			clear(l.local)
		}
		lim = rate.NewLimiter(rate.Every(l.limit.Period/time.Duration(l.limit.Rate)), l.limit.Burst)
		l.local[client] = lim
	}
	return lim.Allow()
}

// clientOf names the client of r for the limiter: its address, or, when
// the request came through a proxy on this host or the private network
// (the HTTPS proxy in front of kimbot), the address that proxy saw, the
// last of X-Forwarded-For. An IPv6 client is its /64, which one
// household or phone usually holds whole.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip != nil && (ip.IsLoopback() || ip.IsPrivate()) {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if fwd := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); fwd != nil {
				ip = fwd
			}
		}
	}
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// public wraps a public page (no sign-in) in the limiter.
func (c *Console) public(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !c.limiter.allow(r.Context(), clientOf(r)) {
			w.Header().Set("Retry-After", "30")
			c.renderPublic(w, r, http.StatusTooManyRequests, "arsip_limited", nil, time.Time{}, 0)
			return
		}
		h(w, r)
	})
}

// renderPublic writes a public page: rendered for nobody (a signed-in
// staff member sees what everyone sees, so a shared cache may keep it),
// with an ETag of its bytes and, when modified is set, Last-Modified;
// a request that has it already gets 304 (http.ServeContent). maxAge 0
// is not cached at all.
func (c *Console) renderPublic(w http.ResponseWriter, r *http.Request, status int, name string, data any,
	modified time.Time, maxAge time.Duration) {
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout.html", page{Data: data}); err != nil {
		c.log.Error("console: rendering a page", "page", name, "err", err)
		http.Error(w, "", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if status != http.StatusOK || maxAge == 0 {
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = buf.WriteTo(w)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	h.Set("ETag", `"`+base64.RawURLEncoding.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(maxAge.Seconds())))
	http.ServeContent(w, r, "", modified, bytes.NewReader(buf.Bytes()))
}
