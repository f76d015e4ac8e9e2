// Package console is kimbot's web console for Diskominfo staff: sign-in
// through a one-time link the bot sends (no passwords), sessions kept in
// PostgreSQL, and server-rendered pages over the same services and the
// same region scopes as chat and the CLI. It is one more transport: every
// rule it applies comes from staff, broadcast and aspirations.
//
// It must not know about Telegram (the bot sends its links) or other
// packages' tables; it owns console_links, sessions and audit_log
// (migration 00016).
package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/broadcast"
	"github.com/kimbot/kimbot/catalog"
	"github.com/kimbot/kimbot/message"
	"github.com/kimbot/kimbot/peta"
	"github.com/kimbot/kimbot/proposals"
	"github.com/kimbot/kimbot/region"
	"github.com/kimbot/kimbot/staff"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Config is where the console is reached.
type Config struct {
	// PublicURL is the console's address as people's browsers reach it
	// (KIMBOT_PUBLIC_URL), without a trailing slash; sign-in links start
	// with it. Under https the session cookie is Secure.
	PublicURL string
	// SessionLifetime ends a session this long after sign-in; default 12 h
	// (a working day), and after IdleTimeout without a request (2 h).
	SessionLifetime, IdleTimeout time.Duration
	// MapTiles is an optional tile URL template for the peta KIM's map
	// (KIMBOT_MAP_TILES, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png;
	// its origin is added to the page's img-src); "" draws the imported
	// boundaries on a blank background, with no tile server at all.
	// MapAttribution is the credit the tile provider asks for.
	MapTiles, MapAttribution string
	// ArchivePerMinute and ArchiveBurst pace the public archive per
	// client; defaults 120 a minute with bursts of 40.
	ArchivePerMinute, ArchiveBurst int
}

// Deps are the services the console works through: the same ones chat
// and the CLI use, with the same scope checks.
type Deps struct {
	DB          *sqlx.DB
	Staff       *staff.Directory
	Regions     *region.Cache // place names
	RegionStore *region.Store // the region tree (children, search)
	Schedules   *broadcast.Schedules
	Subscribers *broadcast.Subscribers
	Aspirations *aspirations.Service
	// Peta is the KIM registry's statuses and the peta KIM; Proposals the
	// KIM's proposals and nudges. Both are built from the other services
	// when nil; without them /kim, /peta and /usul are not served.
	Peta      *peta.Map
	Proposals *proposals.Service
	// Uploader sends a file an operator uploads to Telegram, which keeps
	// it and returns its file_id (the console stores no files).
	Uploader Uploader
	// Files fetches the photos and documents residents attach to
	// tickets (/aspirasi/{id}/berkas/{n}) and the archive's announcement
	// files (/arsip/{id}/berkas) from Telegram; nil: they are not shown.
	Files Files
	// Archive serves the public archive (/arsip) and the home page's
	// check figures. Redis (with RedisPrefix) shares the archive's pace
	// per client between replicas; nil: each process paces alone.
	Archive     *broadcast.Archive
	Redis       *redis.Client
	RedisPrefix string
	BotUsername string         // for t.me links (invitations)
	Zone        *time.Location // KIMBOT_TZ: how times are shown and entered; nil: Asia/Jakarta
	Clock       message.Clock  // nil: the system clock
	Log         *slog.Logger   // nil: discard
}

// Uploader puts a photo or document on Telegram by sending it to chatID
// (the uploading operator's own private chat, where it doubles as a
// preview) and returns its file_id for the broadcast.
type Uploader interface {
	UploadPhoto(ctx context.Context, chatID int64, name string, data []byte, caption string) (fileID string, err error)
	UploadDocument(ctx context.Context, chatID int64, name string, data []byte, caption string) (fileID string, err error)
}

// Files reads a file someone sent the bot (a ticket's photo or
// document) from Telegram by its file_id (the Bot API's getFile). The
// token that Telegram's file URL holds stays behind it: the console only
// ever sees the bytes. The caller closes the body; size is -1 when
// unknown.
type Files interface {
	OpenFile(ctx context.Context, fileID string) (body io.ReadCloser, size int64, err error)
}

// Console serves the web console.
type Console struct {
	cfg      Config
	deps     Deps
	db       *sqlx.DB
	staff    *staff.Directory
	regions  *region.Cache
	zone     *time.Location
	clock    message.Clock
	log      *slog.Logger
	sessions *scs.SessionManager
	pages    map[string]*template.Template
	limiter  *publicLimiter // the public archive's pace per client
}

// New returns the console; stop ends the session store's cleanup.
func New(cfg Config, d Deps) (c *Console, stop func()) {
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 12 * time.Hour
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 2 * time.Hour
	}
	if d.Clock == nil {
		d.Clock = message.SystemClock{}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Zone == nil {
		d.Zone, _ = time.LoadLocation("Asia/Jakarta")
	}
	if d.Proposals == nil && d.Schedules != nil {
		d.Proposals = proposals.New(d.DB, d.Staff, d.Schedules, d.Clock, d.Zone, d.Log)
	}
	if d.Peta == nil && d.Aspirations != nil && d.Subscribers != nil {
		d.Peta = peta.New(peta.Deps{Staff: d.Staff, Aspirations: d.Aspirations, Subscribers: d.Subscribers,
			Proposals: d.Proposals, Clock: d.Clock})
	}
	store := postgresstore.NewWithCleanupInterval(d.DB.DB, 10*time.Minute)
	sm := scs.New()
	sm.Store = store
	sm.Lifetime, sm.IdleTimeout = cfg.SessionLifetime, cfg.IdleTimeout
	sm.Cookie.Name = "kimbot_sesi"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = strings.HasPrefix(cfg.PublicURL, "https://")
	sm.ErrorFunc = func(w http.ResponseWriter, _ *http.Request, err error) {
		d.Log.Error("console: session store", "err", err)
		http.Error(w, catalog.T("web.err_unavailable"), http.StatusServiceUnavailable)
	}
	c = &Console{cfg: cfg, deps: d, db: d.DB, staff: d.Staff, regions: d.Regions, zone: d.Zone, clock: d.Clock, log: d.Log, sessions: sm, pages: parsePages(),
		limiter: newPublicLimiter(d.Redis, d.RedisPrefix, cfg.ArchivePerMinute, cfg.ArchiveBurst)}
	return c, store.StopCleanup
}

// Handler serves every console path. Cross-origin form posts are refused
// (403) by net/http's CrossOriginProtection, which trusts the browser's
// Sec-Fetch-Site and Origin headers.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(static)))
	mux.HandleFunc("GET /masuk", c.signInHelp)
	mux.HandleFunc("GET /masuk/{token}", c.confirmSignIn)
	mux.HandleFunc("POST /masuk/{token}", c.signIn)
	mux.HandleFunc("POST /keluar", c.signOut)
	mux.Handle("GET /{$}", c.staffOnly(c.home))
	c.composeRoutes(mux) // /siaran/baru
	c.staffRoutes(mux)   // /petugas
	c.routeSiaran(mux)   // /siaran, its actions and run reports, /ekspor, /audit
	c.routeAspirasi(mux) // /aspirasi: the queue, a ticket and its actions, the monthly recap
	c.routeArsip(mux)    // /arsip, public: the archive of official announcements
	if c.deps.Peta != nil && c.deps.Proposals != nil {
		c.routeKIM(mux)  // /kim, /peta
		c.routeUsul(mux) // /usul
	}
	return securityHeaders(tileOrigin(c.cfg.MapTiles), c.recoverPanics(http.NewCrossOriginProtection().Handler(c.sessions.LoadAndSave(mux))))
}

// recoverPanics answers a bug in a page with a plain 500 and a log line
// (without the path's token) instead of a dropped connection.
func (c *Console) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v) // the server's own way to abort a response
				}
				c.log.Error("console: panic", "path", redactPath(r.URL.Path), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				http.Error(w, catalog.T("web.err_internal"), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// paths are the console's path prefixes (DESIGN.md, web console); a
// webhook must not take one.
var paths = []string{"/masuk", "/keluar", "/static", "/siaran", "/aspirasi", "/peta", "/kim", "/petugas", "/audit", "/arsip", "/ekspor"}

// Reserved reports whether path is one the console serves, or may serve.
func Reserved(path string) bool {
	for _, p := range paths {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// securityHeaders: a Content-Security-Policy that allows only the
// console's own files (no inline script), no framing, no referrer (a
// sign-in URL must not leak to another site), and no caching of pages,
// which show people's data.
func securityHeaders(tiles string, next http.Handler) http.Handler {
	csp := "default-src 'self'; img-src 'self' data:" + tiles + "; object-src 'none'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// tileOrigin is " https://tile.example" for a tile URL template, for the
// CSP's img-src; "" without one.
func tileOrigin(tiles string) string {
	u, err := url.Parse(tiles)
	if tiles == "" || err != nil || u.Host == "" {
		return ""
	}
	return " " + u.Scheme + "://" + u.Host
}

// staticHandler serves the vendored assets, cacheable for a day.
func staticHandler(files fs.FS) http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fileServer.ServeHTTP(w, r)
	})
}
