package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/statusbot/statusbot/adapters/relay"
)

// maxBodyBytes bounds every request body; an adapter may set a lower limit
// of its own (the Discord interactions endpoint takes 64 KiB).
const maxBodyBytes = 1 << 20

// newHandlers is the bot's HTTP API. public serves the adapters' routes
// (through gate); ops serves health, readiness and metrics: on a listener
// of its own when cfg.OpsAddr is set, else public serves them too and ops
// is nil. Each limits every request body to maxBodyBytes, and handles at
// most cfg.MaxInflight requests at once. /readyz adds the line that
// stateLine returns, if any, to its answer.
func newHandlers(cfg HTTPConfig, routes []route, svcs []service, draining *atomic.Bool, gate *gate, m *metrics, log *slog.Logger, stateLine func(context.Context) string) (public, ops http.Handler) {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.Handle(rt.pattern, gate.wrap(rt.handler))
	}
	limit := func(h http.Handler, listener string) http.Handler {
		return limitInflight(limitBodies(h, maxBodyBytes), cfg.MaxInflight, m.inflight.WithLabelValues(listener), m, log)
	}
	if cfg.OpsAddr == "" {
		serveOps(mux, svcs, draining, m, stateLine)
		return limit(mux, "main"), nil
	}
	opsMux := http.NewServeMux()
	serveOps(opsMux, svcs, draining, m, stateLine)
	return limit(mux, "main"), limit(opsMux, "ops")
}

// serveOps mounts the operations endpoints on mux: /healthz, /readyz (503
// while a service is not ready, and from the start of shutdown; with the
// line stateLine returns, if any) and /metrics.
func serveOps(mux *http.ServeMux, svcs []service, draining *atomic.Bool, m *metrics, stateLine func(context.Context) string) {
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
}

// inflightLogEvery is how often the refusal of a request past
// http.max_inflight is logged at most.
const inflightLogEvery = 10 * time.Second

// limitInflight lets at most n requests into h at once. Past that, a request
// gets 503 at once, with its body unread, its connection closed and a
// Retry-After of a second: Slack retries events after a 503, and a flood
// of slow requests holds at most n of them (and n bodies) in memory. gauge
// counts the requests let in.
// Refusals are counted as statusbot_refused_total{platform="http",
// reason="inflight"} and logged at most once every inflightLogEvery.
func limitInflight(h http.Handler, n int, gauge prometheus.Gauge, obs relay.Observer, log *slog.Logger) http.Handler {
	slots := make(chan struct{}, n)
	quiet := &relay.Throttle{Every: inflightLogEvery}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			gauge.Inc()
			defer func() {
				gauge.Dec()
				<-slots
			}()
			h.ServeHTTP(w, r)
		default:
			obs.Refused("http", "inflight")
			if held, ok := quiet.Allow(); ok {
				log.Warn("http: too many requests in flight; refusing", "max_inflight", n, "path", r.URL.Path,
					"refused_since_last_line", held)
			}
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Connection", "close")
			http.Error(w, "too many requests in flight", http.StatusServiceUnavailable)
		}
	})
}

// gate lets platform requests through until it is closed, and counts
// those in flight, so that shutdown can wait for every request it let in
// to hand its reply to its adapter before the adapters stop taking them.
type gate struct {
	mu     sync.Mutex // guards closed and wg.Add
	closed bool
	wg     sync.WaitGroup
}

// wrap turns requests away with 503 once the gate is closed (the platforms
// retry them, or report the failure to the user), and counts the others
// while h serves them.
func (g *gate) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		if g.closed {
			g.mu.Unlock()
			w.Header().Set("Connection", "close")
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		g.wg.Add(1)
		g.mu.Unlock()
		defer g.wg.Done()
		h.ServeHTTP(w, r)
	})
}

// close turns new requests away, and waits for those let in, up to ctx's
// end; it reports whether they all finished.
func (g *gate) close(ctx context.Context) bool {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	done := make(chan struct{})
	go func() {
		g.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
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
