package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/statusbot/statusbot/adapters/console"
	"github.com/statusbot/statusbot/bot"
)

func runBot(cmd *cobra.Command, e *env) error {
	cfg, err := loadConfig(e.configPath, e.getenv)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	b, err := newBot(cfg)
	if err != nil {
		return err
	}
	d := deps{cfg: cfg, bot: b, log: logger, obs: bot.NopObserver{}}
	var svcs []service
	var routes []route
	for _, p := range platforms {
		s, r, err := p(d)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		svcs = append(svcs, s...)
		routes = append(routes, r...)
	}

	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("http: listen on %s: %w", cfg.HTTP.Addr, err)
	}
	srv := newHTTPServer(cfg.HTTP, routes, svcs)
	logger.Info("http server listening", "addr", ln.Addr().String())

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		sctx, scancel := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout)
		defer scancel()
		return srv.Shutdown(sctx)
	})
	if len(svcs) == 0 {
		logger.Info("no chat platform configured: answering in the terminal")
		g.Go(func() error {
			defer cancel() // end of input ends the program
			return console.Run(ctx, b, e.stdin, e.stdout, isTerminal(e.stdin))
		})
	}
	for _, s := range svcs {
		g.Go(func() error {
			if err := s.Run(ctx); err != nil {
				return fmt.Errorf("%s: %w", s.Name(), err)
			}
			return nil
		})
	}
	return g.Wait()
}

// newHTTPServer builds the bot's HTTP server: health, readiness and the
// adapters' routes.
func newHTTPServer(cfg HTTPConfig, routes []route, svcs []service) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		for _, s := range svcs {
			if !s.Ready() {
				http.Error(w, s.Name()+" not ready", http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ready")
	})
	for _, rt := range routes {
		mux.Handle(rt.pattern, rt.handler)
	}
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
	}
}
