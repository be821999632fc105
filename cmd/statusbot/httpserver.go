package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
)

// maxBodyBytes bounds every request body; an adapter may set a lower limit
// of its own (the Discord interactions endpoint takes 64 KiB).
const maxBodyBytes = 1 << 20

// newHandler is the bot's HTTP API: health, readiness, metrics and the
// adapters' routes, every request body limited to maxBodyBytes. /readyz
// adds the line that stateLine returns, if any, to its answer.
func newHandler(routes []route, svcs []service, draining *atomic.Bool, m *metrics, stateLine func(context.Context) string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if draining.Load() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		var waiting []string
		for _, s := range svcs {
			if !s.Ready() {
				waiting = append(waiting, s.Name())
			}
		}
		msg, code := "ready", http.StatusOK
		if len(waiting) > 0 {
			msg, code = "not ready: "+strings.Join(waiting, ", "), http.StatusServiceUnavailable
		}
		if stateLine != nil {
			if line := stateLine(r.Context()); line != "" {
				msg += "\n" + line
			}
		}
		if code != http.StatusOK {
			http.Error(w, msg, code)
			return
		}
		fmt.Fprintln(w, msg)
	})
	mux.Handle("GET /metrics", m.handler())
	for _, rt := range routes {
		mux.Handle(rt.pattern, unlessDraining(rt.handler, draining))
	}
	return limitBodies(mux, maxBodyBytes)
}

// unlessDraining turns new events away with 503 once shutdown has started;
// the platforms retry them (Slack) or report the failure to the user.
func unlessDraining(h http.Handler, draining *atomic.Bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if draining.Load() {
			w.Header().Set("Connection", "close")
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// limitBodies makes reading more than n bytes of any request body fail with
// *http.MaxBytesError (handlers answer 413).
func limitBodies(h http.Handler, n int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, n)
		h.ServeHTTP(w, r)
	})
}

// newHTTPServer wraps h in a server with cfg's timeouts, logging its own
// errors (bad TLS, broken connections) through log at warn level.
func newHTTPServer(cfg HTTPConfig, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
