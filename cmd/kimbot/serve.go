package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/kimbot/kimbot/migrations"
	"github.com/kimbot/kimbot/region"
)

// runServe runs every long-lived part of kimbot until SIGINT/SIGTERM, then
// stops taking updates, finishes the work in hand and closes connections
// (app.close) in reverse order of opening.
func runServe(ctx context.Context, app *cliApp, args []string) error {
	if len(args) > 0 {
		return usagef("serve takes no arguments; configure it with environment variables (README)")
	}
	if err := app.cfg.requireToken(); err != nil {
		return usagef("%v", err)
	}
	if _, err := migrations.Up(ctx, app.db.DB); err != nil {
		return err
	}
	if err := importRegionsOnFirstStart(ctx, app); err != nil {
		return err
	}
	reg := newRegistry()
	parts, err := newService(app, reg)
	if err != nil {
		return err
	}
	servers, err := listen(app, reg, parts.webhook, parts.console)
	if err != nil {
		return err
	}
	app.logger.Info("kimbot serving", "http_addr", servers[0].addr, "metrics_addr", servers[len(servers)-1].addr,
		"webhook", app.cfg.WebhookURL != "", "rate", app.cfg.Rate, "region_root", string(app.cfg.RegionRoot))

	g, gctx := errgroup.WithContext(ctx)
	for _, p := range parts.runners {
		g.Go(func() error { return p(gctx) })
	}
	for _, s := range servers {
		g.Go(func() error {
			if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("HTTP server on %s: %w", s.addr, err)
			}
			return nil
		})
		g.Go(func() error {
			<-gctx.Done()
			// The runners finish what they hold; HTTP stays up a little longer so
			// webhook deliveries in flight are stored or refused cleanly.
			sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			return s.srv.Shutdown(sctx)
		})
	}
	err = g.Wait()
	app.logger.Info("kimbot stopped")
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// newRegistry is serve's Prometheus registry before newService adds
// kimbot's own metrics: Go's and the process's.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// server is one listener and what it serves.
type server struct {
	addr string
	ln   net.Listener
	srv  *http.Server
}

// listen opens HTTP_ADDR (health, readiness, the webhook, the web console,
// and /metrics unless METRICS_ADDR is set) and METRICS_ADDR (/metrics alone) when set,
// so Prometheus can scrape on an address the public never reaches.
func listen(app *cliApp, reg *prometheus.Registry, webhook, web http.Handler) ([]server, error) {
	type endpoint struct {
		name, addr string
		h          http.Handler
	}
	public := reg
	if app.cfg.MetricsAddr != "" {
		public = nil
	}
	endpoints := []endpoint{{"HTTP_ADDR", app.cfg.HTTPAddr, newHTTPHandler(app.db, app.rdb, public, app.cfg.WebhookURL, webhook, web)}}
	if app.cfg.MetricsAddr != "" {
		endpoints = append(endpoints, endpoint{"METRICS_ADDR", app.cfg.MetricsAddr, newMetricsHandler(reg)})
	}
	var servers []server
	for _, e := range endpoints {
		ln, err := net.Listen("tcp", e.addr)
		if err != nil {
			for _, s := range servers {
				s.ln.Close()
			}
			return nil, fmt.Errorf("%s %s: %w", e.name, e.addr, err)
		}
		servers = append(servers, server{addr: ln.Addr().String(), ln: ln,
			srv: &http.Server{Handler: e.h, ReadHeaderTimeout: 10 * time.Second}})
	}
	return servers, nil
}

// importRegionsOnFirstStart loads the regions when the table is empty, so
// a fresh deployment works without a separate step.
func importRegionsOnFirstStart(ctx context.Context, app *cliApp) error {
	var present bool
	if err := app.db.GetContext(ctx, &present, "SELECT EXISTS (SELECT 1 FROM regions)"); err != nil {
		return fmt.Errorf("checking regions: %w", err)
	}
	if present {
		return nil
	}
	stats, err := region.Import(ctx, app.db, app.cfg.RegionRoot)
	if err != nil {
		return err
	}
	app.logger.Info("regions imported on first start", "regions", stats.Read)
	return nil
}
