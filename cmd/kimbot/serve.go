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
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	parts, err := newService(app, reg)
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", app.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %s: %w", app.cfg.HTTPAddr, err)
	}
	srv := &http.Server{
		Handler:           newHTTPHandler(app.db, app.rdb, reg, app.cfg.WebhookURL, parts.webhook),
		ReadHeaderTimeout: 10 * time.Second,
	}
	app.logger.Info("kimbot serving", "http_addr", listener.Addr().String(), "webhook", app.cfg.WebhookURL != "",
		"rate", app.cfg.Rate, "region_root", string(app.cfg.RegionRoot))

	g, gctx := errgroup.WithContext(ctx)
	for _, p := range parts.runners {
		g.Go(func() error { return p(gctx) })
	}
	g.Go(func() error {
		if err := srv.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("HTTP server: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		// The runners finish what they hold; HTTP stays up a little longer so
		// webhook deliveries in flight are stored or refused cleanly.
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	err = g.Wait()
	app.logger.Info("kimbot stopped")
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
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
