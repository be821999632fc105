package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/statusbot/statusbot/adapters/console"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// runBot is `statusbot run`: it serves every configured platform (the
// terminal when none is) and the HTTP server until ctx is done or a service
// stops, then shuts down gracefully.
func runBot(cmd *cobra.Command, e *env) (err error) {
	cfg, err := loadConfig(e.configPath, e.getenv)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	// Whatever goes wrong below, its message must not carry a token.
	defer func(r *strings.Replacer) { err = scrubError(err, r) }(newScrubber(cfg.secrets()))
	logger := newLogger(cfg, e.stderr)
	routeLibraryLogs(logger)
	logger.Debug("config loaded", "version", version(), "config", cfg)
	b, err := newBot(cfg)
	if err != nil {
		return err
	}
	m := newMetrics()
	st, err := newStores(cmd.Context(), cfg, logger, m)
	if err != nil {
		return err
	}
	defer st.close()
	d := deps{cfg: cfg, bot: b, log: logger, obs: m, lim: st.limits, seen: st.dedup}
	var svcs []service
	var routes []route
	for _, p := range e.platforms {
		s, r, err := p(d)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		svcs = append(svcs, s...)
		routes = append(routes, r...)
	}
	// The terminal is for people: with only the console running, the
	// routine lines go to debug so that stderr stays quiet.
	chatter := slog.LevelInfo
	consoleOnly := len(svcs) == 0
	if consoleOnly {
		chatter = slog.LevelDebug
		svcs = append(svcs, &consoleService{bot: b, in: e.stdin, out: e.stdout, prompt: isTerminal(e.stdin), obs: m})
		logger.Log(cmd.Context(), chatter, "no chat platform configured: answering in the terminal")
	}

	r := &runner{log: logger, chatter: chatter, cfg: cfg.HTTP, svcs: svcs}
	m.initialise(svcs)
	public, ops := newHandlers(cfg.HTTP, routes, svcs, &r.draining, &r.gate, m, logger, st.describe)
	ln, err := listen(cmd.Context(), logger, chatter, "http", cfg.HTTP.Addr, consoleOnly, e.listening)
	if err != nil {
		return err
	}
	r.servers = append(r.servers, server{name: "http", srv: newHTTPServer(cfg.HTTP, public, logger), ln: ln})
	if ops != nil {
		ln, err := listen(cmd.Context(), logger, chatter, "ops", cfg.HTTP.OpsAddr, consoleOnly, e.opsListening)
		if err != nil {
			r.closeListeners()
			return err
		}
		r.servers = append(r.servers, server{name: "ops", srv: newHTTPServer(cfg.HTTP, ops, logger), ln: ln})
	}
	return r.serve(cmd.Context())
}

// listen opens the listener of the server name ("http" or "ops") on addr,
// logs it and tells listening (when set) its address. In terminal mode
// (consoleOnly) a port already taken is a warning, and the listener nil:
// a second terminal session should not fail for want of a port.
func listen(ctx context.Context, log *slog.Logger, chatter slog.Level, name, addr string, consoleOnly bool, listening func(string)) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case err != nil && consoleOnly:
		log.Warn(name+" server not started", "err", err)
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: listen on %s: %w", name, addr, err)
	}
	log.Log(ctx, chatter, name+" server listening", "addr", ln.Addr().String())
	if listening != nil {
		listening(ln.Addr().String())
	}
	return ln, nil
}

// drainShare is the adapters' share of http.shutdown_timeout for their
// replies in flight: three quarters, leaving the HTTP server the rest.
func drainShare(shutdown time.Duration) time.Duration { return shutdown * 3 / 4 }

// runner runs the services and the HTTP server, then stops them in order.
type runner struct {
	log      *slog.Logger
	chatter  slog.Level
	cfg      HTTPConfig
	svcs     []service
	servers  []server    // the platforms' first, then the operations' (when apart)
	draining atomic.Bool // set once shutdown starts: /readyz answers 503
	gate     gate        // the platform routes: closed once shutdown starts

	mu      sync.Mutex
	errs    []error
	running map[string]int // services whose Run has not returned, by name
}

// server is one of the bot's HTTP servers and its listener (nil when it
// could not listen, in terminal mode).
type server struct {
	name string // "http" or "ops"
	srv  *http.Server
	ln   net.Listener
}

func (r *runner) closeListeners() {
	for _, s := range r.servers {
		if s.ln != nil {
			s.ln.Close()
		}
	}
}

func (r *runner) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

// serve runs until ctx is done or any service returns (the console does at
// end of input), then shuts down in order: stop taking new events (/readyz
// and the adapters' routes answer 503), wait (a quarter of the time at
// most) for the platform requests already let in to hand their replies to
// their adapters, then cancel the services' context: they stop taking
// events, let in-flight replies finish (within their drain timeout, three
// quarters of the time) and close their connections; then stop the HTTP
// servers, the platforms' first, each waiting for requests still in
// flight, so that /readyz and /metrics answer to the end. The whole
// shutdown takes at most cfg.ShutdownTimeout. serve returns the first
// error; any others are logged.
func (r *runner) serve(ctx context.Context) error {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	// Services get a context of their own, cancelled only once draining is
	// set, so nothing they do after seeing it done meets a ready /readyz.
	svcCtx, stopSvcs := context.WithCancel(context.Background())
	defer stopSvcs()

	var serving sync.WaitGroup
	for _, s := range r.servers {
		if s.ln == nil {
			continue
		}
		serving.Go(func() {
			if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
				r.fail(fmt.Errorf("%s: %w", s.name, err))
				stop()
			}
		})
	}

	r.running = map[string]int{}
	for _, s := range r.svcs {
		r.running[s.Name()]++
	}
	var wg sync.WaitGroup
	for _, s := range r.svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer stop() // any service ending ends the bot
			if err := s.Run(svcCtx); err != nil {
				r.fail(fmt.Errorf("%s: %w", s.Name(), err))
			}
			r.mu.Lock()
			r.running[s.Name()]--
			r.mu.Unlock()
		}()
	}
	svcsDone := make(chan struct{})
	go func() { wg.Wait(); close(svcsDone) }()

	<-runCtx.Done()
	r.draining.Store(true)
	if ctx.Err() != nil {
		r.log.Log(context.Background(), r.chatter, "shutting down", "reason", context.Cause(ctx).Error(), "timeout", r.cfg.ShutdownTimeout)
	} else {
		r.log.Log(context.Background(), r.chatter, "shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), r.cfg.ShutdownTimeout)
	defer cancel()
	// Requests let in before the gate closed hand their replies to the
	// adapters, which still take them; a request still unfinished after
	// its share of the time gets 503 from its adapter instead.
	gctx, gcancel := context.WithTimeout(sctx, r.cfg.ShutdownTimeout/4)
	if !r.gate.close(gctx) {
		r.log.Warn("shutdown: platform requests still in flight; their adapters will refuse them", "after", r.cfg.ShutdownTimeout/4)
	}
	gcancel()
	stopSvcs()
	select {
	case <-svcsDone:
	case <-sctx.Done():
		r.fail(fmt.Errorf("shutdown: gave up after %s; still running: %s", r.cfg.ShutdownTimeout, r.stillRunning()))
	}
	for _, s := range r.servers {
		if err := s.srv.Shutdown(sctx); err != nil {
			s.srv.Close()
			r.fail(fmt.Errorf("%s: shutdown: in-flight requests cut after %s", s.name, r.cfg.ShutdownTimeout))
		}
	}
	serving.Wait()

	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) == 0 {
		r.log.Log(context.Background(), r.chatter, "stopped")
		return nil
	}
	for _, err := range r.errs[1:] {
		r.log.Error("also failed", "err", err)
	}
	return r.errs[0]
}

func (r *runner) stillRunning() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for n, c := range r.running {
		if c > 0 {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// consoleService is the terminal as a service: always ready, done at end of input.
type consoleService struct {
	bot    *bot.Bot
	in     io.Reader
	out    io.Writer
	prompt bool
	obs    relay.Observer
}

func (c *consoleService) Name() string { return "console" }
func (c *consoleService) Ready() bool  { return true }
func (c *consoleService) Run(ctx context.Context) error {
	return console.RunWith(ctx, c.bot, c.in, c.out, console.Options{Prompt: c.prompt, Observer: c.obs})
}
