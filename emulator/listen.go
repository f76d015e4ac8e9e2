package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ListenAndServe runs the emulator as a standalone server on addr (for
// `kimbot emulator`) until ctx ends, then shuts down gracefully.
func ListenAndServe(ctx context.Context, addr string, opts Options) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	s := New(opts)
	s.url = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("emulator listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		s.Close()
		return fmt.Errorf("serving emulator: %w", err)
	case <-ctx.Done():
	}
	s.Close() // wakes long polls so Shutdown does not wait for them
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("stopping emulator: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving emulator: %w", err)
	}
	return nil
}
