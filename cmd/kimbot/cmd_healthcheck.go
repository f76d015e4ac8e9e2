package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// runHealthcheck asks a running `kimbot serve` on HTTP_ADDR whether it is
// ready; container health checks use it because the image has no curl.
func runHealthcheck(ctx context.Context, app *cliApp, args []string) error {
	if len(args) > 0 {
		return usagef("healthcheck takes no arguments")
	}
	host, port, err := net.SplitHostPort(app.cfg.HTTPAddr)
	if err != nil {
		return usagef("HTTP_ADDR must be host:port, like 127.0.0.1:8080")
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not answering: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: HTTP %d", resp.StatusCode)
	}
	fmt.Fprintln(app.stdout, "ready")
	return nil
}
