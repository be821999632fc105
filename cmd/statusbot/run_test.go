package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

// wait is how long a test waits on a channel before failing.
const wait = 10 * time.Second

// fakeService is a chat platform that answers the questions sent on events,
// each in a reply of its own that waits for release before it completes.
type fakeService struct {
	name     string
	ready    atomic.Bool
	events   chan string
	started  chan string      // a reply has begun
	release  chan struct{}    // closing it lets replies complete
	replied  chan *bot.Answer // a reply has completed
	stopping chan struct{}    // Run saw its context done
	routes   []route

	d deps // set when the platform is built
}

func newFakeService(name string) *fakeService {
	return &fakeService{
		name:     name,
		events:   make(chan string),
		started:  make(chan string, 10),
		release:  make(chan struct{}),
		replied:  make(chan *bot.Answer, 10),
		stopping: make(chan struct{}),
	}
}

func (f *fakeService) platform(d deps) ([]service, []route, error) {
	f.d = d
	return []service{f}, f.routes, nil
}

func (f *fakeService) Name() string { return f.name }
func (f *fakeService) Ready() bool  { return f.ready.Load() }

func (f *fakeService) Run(ctx context.Context) error {
	var inflight sync.WaitGroup
	for {
		select {
		case <-ctx.Done():
			close(f.stopping)
			inflight.Wait()
			return nil
		case q := <-f.events:
			inflight.Add(1)
			go func() {
				defer inflight.Done()
				start := time.Now()
				a := f.d.bot.Answer(q)
				f.started <- q
				<-f.release
				f.d.obs.Answered(f.name, a.Kind, time.Since(start))
				f.replied <- a
			}()
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the bot and the test at once, which
// signals each write.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{wrote: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.wrote <- struct{}{}:
	default:
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the buffer holds want.
func (b *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	timeout := time.After(wait)
	for !strings.Contains(b.String(), want) {
		select {
		case <-b.wrote:
		case <-timeout:
			t.Fatalf("output never contained %q; got:\n%s", want, b.String())
		}
	}
}

// testBot is one in-process `statusbot run`.
type testBot struct {
	addr           string // the HTTP server's host:port
	cancel         context.CancelFunc
	done           chan error // run's result
	stdout, stderr *syncBuffer
}

// startBot runs `statusbot run` in-process with the given platforms, extra
// environment and standard input, and waits for its HTTP server to listen.
func startBot(t *testing.T, ps []platform, envVars map[string]string, stdin io.Reader) *testBot {
	t.Helper()
	return startBotWith(t, ps, envVars, stdin, nil)
}

// startBotWith is startBot with the command's env changed by configure
// first, when not nil.
func startBotWith(t *testing.T, ps []platform, envVars map[string]string, stdin io.Reader, configure func(*env)) *testBot {
	t.Helper()
	vars := map[string]string{"STATUSBOT_HTTP_ADDR": "127.0.0.1:0"}
	for k, v := range envVars {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	tb := &testBot{cancel: cancel, done: make(chan error, 1), stdout: newSyncBuffer(), stderr: newSyncBuffer()}
	addr := make(chan string, 1)
	e := &env{
		stdin: stdin, stdout: tb.stdout, stderr: tb.stderr,
		getenv:    func(k string) string { return vars[k] },
		platforms: ps,
		listening: func(a string) { addr <- a },
	}
	if configure != nil {
		configure(e)
	}
	go func() { tb.done <- e.execute(ctx, []string{"run"}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-tb.done:
		case <-time.After(wait):
			t.Errorf("run did not return after cancel")
		}
	})
	select {
	case tb.addr = <-addr:
	case err := <-tb.done:
		t.Fatalf("run returned before listening: %v\nstderr: %s", err, tb.stderr.String())
	case <-time.After(wait):
		t.Fatal("HTTP server never listened")
	}
	return tb
}

// get fetches path from the bot and returns the status and body.
func (tb *testBot) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + tb.addr + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

// wait waits for run to return and returns its error.
func (tb *testBot) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-tb.done:
		tb.done <- err // for Cleanup
		return err
	case <-time.After(wait):
		t.Fatal("run did not return")
		return nil
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	tb := startBot(t, []platform{newFakeService("fake").platform}, nil, nil)
	if code, body := tb.get(t, "/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\"", code, body)
	}
}

func TestReadyzFollowsServices(t *testing.T) {
	t.Parallel()
	a, b := newFakeService("alpha"), newFakeService("beta")
	tb := startBot(t, []platform{a.platform, b.platform}, nil, nil)

	steps := []struct {
		name         string
		alpha, beta  bool
		code         int
		bodyContains string
	}{
		{"before either connects", false, false, 503, "alpha, beta"},
		{"one connected", true, false, 503, "beta"},
		{"both connected", true, true, 200, "ready"},
		{"alpha reconnecting", false, true, 503, "alpha"},
		{"alpha back", true, true, 200, "ready"},
	}
	for _, s := range steps {
		a.ready.Store(s.alpha)
		b.ready.Store(s.beta)
		code, body := tb.get(t, "/readyz")
		if code != s.code || !strings.Contains(body, s.bodyContains) {
			t.Errorf("%s: GET /readyz = %d %q, want %d containing %q", s.name, code, body, s.code, s.bodyContains)
		}
	}
}

func TestReadyzConsole(t *testing.T) {
	t.Parallel()
	in, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	tb := startBot(t, nil, nil, in)
	if code, body := tb.get(t, "/readyz"); code != 200 {
		t.Errorf("console mode: GET /readyz = %d %q, want 200", code, body)
	}
}

// metricValue returns the value of the sample line that starts with series
// (name and labels exactly as exposed), or "" when there is none.
func metricValue(exposition, series string) string {
	for line := range strings.Lines(exposition) {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

func TestMetricsCountAnsweredQuery(t *testing.T) {
	t.Parallel()
	f := newFakeService("fake")
	f.ready.Store(true)
	tb := startBot(t, []platform{f.platform}, nil, nil)

	_, before := tb.get(t, "/metrics")
	if v := metricValue(before, `statusbot_queries_total{kind="status",platform="fake"}`); v != "0" {
		t.Fatalf("before any query: statusbot_queries_total = %q, want 0 (initialised)", v)
	}
	close(f.release)
	f.events <- "429"
	select {
	case <-f.replied:
	case <-time.After(wait):
		t.Fatal("reply never completed")
	}
	_, after := tb.get(t, "/metrics")
	for series, want := range map[string]string{
		`statusbot_queries_total{kind="status",platform="fake"}`: "1",
		`statusbot_reply_seconds_count{platform="fake"}`:         "1",
	} {
		if got := metricValue(after, series); got != want {
			t.Errorf("after one answer: %s = %q, want %q", series, got, want)
		}
	}
	for _, name := range []string{"go_goroutines", "process_open_fds", "go_build_info"} {
		if !strings.Contains(after, "\n"+name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

func TestMetricsCountConsoleAnswers(t *testing.T) {
	t.Parallel()
	in, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	tb := startBot(t, nil, nil, in)
	go io.WriteString(w, "429\nhelp\n")
	// The console answers in order, so once help's answer is out the 429
	// has been counted.
	tb.stdout.waitFor(t, "429 Too Many Requests")
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	tb.stdout.waitFor(t, bot.New(cat, bot.Options{}).Answer("help").Title)
	_, m := tb.get(t, "/metrics")
	if got := metricValue(m, `statusbot_queries_total{kind="status",platform="console"}`); got != "1" {
		t.Errorf(`statusbot_queries_total{kind="status",platform="console"} = %q, want "1"`, got)
	}
}

func TestObserverMetrics(t *testing.T) {
	t.Parallel()
	m := newMetrics()
	m.Answered("discord", bot.KindStatus, 300*time.Microsecond)
	m.Answered("discord", bot.KindStatus, 2*time.Second)
	m.PlatformError("slack", "post_message")
	m.RateLimited("discord")
	m.RateLimited("discord")
	m.Reconnected("slack")
	m.Recovered("discord", "interaction")
	rec := httptest.NewRecorder()
	m.handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	exp := rec.Body.String()
	for series, want := range map[string]string{
		`statusbot_queries_total{kind="status",platform="discord"}`:           "2",
		`statusbot_reply_seconds_bucket{platform="discord",le="0.0005"}`:      "1",
		`statusbot_reply_seconds_bucket{platform="discord",le="2.5"}`:         "2",
		`statusbot_reply_seconds_count{platform="discord"}`:                   "2",
		`statusbot_platform_errors_total{op="post_message",platform="slack"}`: "1",
		`statusbot_rate_limited_total{platform="discord"}`:                    "2",
		`statusbot_reconnects_total{platform="slack"}`:                        "1",
	} {
		if got := metricValue(exp, series); got != want {
			t.Errorf("%s = %q, want %q", series, got, want)
		}
	}
}

func TestShutdownFinishesInFlightReply(t *testing.T) {
	t.Parallel()
	f := newFakeService("fake")
	f.ready.Store(true)
	tb := startBot(t, []platform{f.platform}, nil, nil)

	f.events <- "404"
	select {
	case <-f.started:
	case <-time.After(wait):
		t.Fatal("reply never started")
	}
	tb.cancel() // as main does on SIGTERM
	select {
	case <-f.stopping:
	case <-time.After(wait):
		t.Fatal("service never saw the shutdown")
	}
	// Draining: new events are turned away, the HTTP server still answers.
	if code, body := tb.get(t, "/readyz"); code != 503 || !strings.Contains(body, "shutting down") {
		t.Errorf("while draining: GET /readyz = %d %q, want 503 shutting down", code, body)
	}
	select {
	case err := <-tb.done:
		t.Fatalf("run returned (%v) with a reply in flight", err)
	default:
	}
	close(f.release)
	select {
	case a := <-f.replied:
		if a.Kind != bot.KindStatus {
			t.Errorf("in-flight reply kind = %s, want status", a.Kind)
		}
	case <-time.After(wait):
		t.Fatal("in-flight reply never completed")
	}
	if err := tb.wait(t); err != nil {
		t.Errorf("run after a clean shutdown = %v, want nil", err)
	}
}

func TestShutdownTimeout(t *testing.T) {
	t.Parallel()
	f := newFakeService("stuck")
	tb := startBot(t, []platform{f.platform}, map[string]string{"STATUSBOT_HTTP_SHUTDOWN_TIMEOUT": "50ms"}, nil)
	f.events <- "404"
	<-f.started
	tb.cancel()
	err := tb.wait(t)
	close(f.release)
	if err == nil || !strings.Contains(err.Error(), "gave up after 50ms; still running: stuck") {
		t.Errorf("run with a reply stuck past the timeout = %v, want a shutdown error naming stuck", err)
	}
}

func TestServiceErrorStopsBot(t *testing.T) {
	t.Parallel()
	boom := errors.New("gateway: authentication failed")
	failing := func(d deps) ([]service, []route, error) {
		return []service{funcService{name: "discord", run: func(ctx context.Context) error { return boom }}}, nil, nil
	}
	other := newFakeService("slack")
	tb := startBot(t, []platform{failing, other.platform}, nil, nil)
	err := tb.wait(t)
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "discord: ") {
		t.Errorf("run = %v, want discord: %v", err, boom)
	}
	select {
	case <-other.stopping:
	default:
		t.Error("the other service was not stopped")
	}
}

// funcService is a service made of a Run function.
type funcService struct {
	name string
	run  func(ctx context.Context) error
}

func (s funcService) Name() string                  { return s.name }
func (s funcService) Ready() bool                   { return true }
func (s funcService) Run(ctx context.Context) error { return s.run(ctx) }

func TestRoutesAndBodyLimit(t *testing.T) {
	t.Parallel()
	f := newFakeService("fake")
	f.routes = []route{{pattern: "POST /fake/events", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "too big", http.StatusRequestEntityTooLarge)
			return
		}
		io.WriteString(w, strings.Repeat("x", int(n%10)))
	})}}
	tb := startBot(t, []platform{f.platform}, nil, nil)
	post := func(size int) int {
		resp, err := http.Post("http://"+tb.addr+"/fake/events", "text/plain", strings.NewReader(strings.Repeat("a", size)))
		if err != nil {
			t.Fatalf("POST %d bytes: %v", size, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(1000); code != 200 {
		t.Errorf("POST 1000 bytes = %d, want 200", code)
	}
	if code := post(maxBodyBytes + 1); code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST %d bytes = %d, want 413", maxBodyBytes+1, code)
	}
	if code, _ := tb.get(t, "/fake/events"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET on a POST route = %d, want 405", code)
	}
}

func TestConsoleModeEndsAtEndOfInput(t *testing.T) {
	t.Parallel()
	tb := startBot(t, nil, nil, strings.NewReader("404\n"))
	if err := tb.wait(t); err != nil {
		t.Fatalf("run = %v, want nil", err)
	}
	if !strings.Contains(tb.stdout.String(), "404 Not Found") {
		t.Errorf("stdout = %q, want the answer to 404", tb.stdout.String())
	}
	if got := tb.stderr.String(); got != "" {
		t.Errorf("console mode at the default level logged:\n%s\nwant nothing", got)
	}
}

func TestPortTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	vars := map[string]string{"STATUSBOT_HTTP_ADDR": ln.Addr().String()}
	getenv := func(k string) string { return vars[k] }

	t.Run("console goes on without the server", func(t *testing.T) {
		t.Parallel()
		stdout, stderr := newSyncBuffer(), newSyncBuffer()
		e := &env{stdin: strings.NewReader("404\n"), stdout: stdout, stderr: stderr, getenv: getenv}
		if err := e.execute(t.Context(), []string{"run"}); err != nil {
			t.Fatalf("run = %v, want nil", err)
		}
		if !strings.Contains(stdout.String(), "404 Not Found") {
			t.Errorf("stdout = %q, want the answer to 404", stdout.String())
		}
		if !strings.Contains(stderr.String(), "level=WARN") || !strings.Contains(stderr.String(), "http server not started") {
			t.Errorf("stderr = %q, want a warning that the server did not start", stderr.String())
		}
	})
	t.Run("a platform needs the server", func(t *testing.T) {
		t.Parallel()
		e := &env{stdin: strings.NewReader(""), stdout: newSyncBuffer(), stderr: newSyncBuffer(), getenv: getenv,
			platforms: []platform{newFakeService("fake").platform}}
		err := e.execute(t.Context(), []string{"run"})
		if err == nil || !strings.HasPrefix(err.Error(), "http: listen on "+ln.Addr().String()) {
			t.Errorf("run = %v, want http: listen on %s: ...", err, ln.Addr())
		}
	})
}

func TestMaxInflight(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}, 10), make(chan struct{})
	f := newFakeService("fake")
	f.routes = []route{{pattern: "POST /fake/slow", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		io.WriteString(w, "done")
	})}}
	tb := startBot(t, []platform{f.platform}, map[string]string{"STATUSBOT_HTTP_MAX_INFLIGHT": "2"}, nil)
	post := func() (*http.Response, error) {
		return http.Post("http://"+tb.addr+"/fake/slow", "text/plain", strings.NewReader("x"))
	}
	codes := make(chan int, 2)
	for range 2 {
		go func() {
			res, err := post()
			if err != nil {
				codes <- 0
				return
			}
			res.Body.Close()
			codes <- res.StatusCode
		}()
	}
	for range 2 {
		select {
		case <-entered:
		case <-time.After(wait):
			t.Fatal("the first two requests never reached the handler")
		}
	}
	// Two in flight: a third is refused at once, whatever its path.
	client := &http.Client{Timeout: wait}
	for _, path := range []string{"/fake/slow", "/healthz"} {
		res, err := client.Post("http://"+tb.addr+path, "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("POST %s past the limit = %d (Retry-After %q), want 503 with a Retry-After", path, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	close(release)
	for range 2 {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("request within the limit = %d, want 200", code)
		}
	}
	if code, _ := tb.get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz once the load is gone = %d, want 200", code)
	}
	_, m := tb.get(t, "/metrics")
	if got := metricValue(m, `statusbot_refused_total{platform="http",reason="inflight"}`); got != "2" {
		t.Errorf(`statusbot_refused_total{platform="http",reason="inflight"} = %q, want "2"`, got)
	}
	if n := strings.Count(tb.stderr.String(), "too many requests in flight"); n != 1 {
		t.Errorf("%d log lines for 2 refusals, want 1:\n%s", n, tb.stderr.String())
	}
}

// TestMetricsExistFromTheFirstScrape: a fresh bot exports every labelled
// series it knows of at zero, so that rates and alerts work before the
// first event (Prometheus's instrumentation guidelines).
func TestMetricsExistFromTheFirstScrape(t *testing.T) {
	t.Parallel()
	fake := slacktest.NewServer(t, slackE2EBotToken, slackE2EAppToken)
	tb := startBot(t, platforms, map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN": slackE2EBotToken,
		"STATUSBOT_SLACK_APP_TOKEN": slackE2EAppToken,
		"STATUSBOT_SLACK_API_URL":   fake.APIURL,
	}, nil)
	_, m := tb.get(t, "/metrics")
	for _, series := range []string{
		`statusbot_queries_total{kind="status",platform="slack"}`,
		`statusbot_queries_total{kind="busy",platform="slack"}`,
		`statusbot_reply_seconds_count{platform="slack"}`,
		`statusbot_platform_errors_total{op="post_message",platform="slack"}`,
		`statusbot_rate_limited_total{platform="slack"}`,
		`statusbot_reconnects_total{platform="slack"}`,
		`statusbot_panics_total{event="events_api",platform="slack"}`,
		`statusbot_refused_total{platform="slack",reason="signature"}`,
		`statusbot_refused_total{platform="http",reason="inflight"}`,
	} {
		if got := metricValue(m, series); got != "0" {
			t.Errorf("first scrape: %s = %q, want 0", series, got)
		}
	}
	if strings.Contains(m, `platform="discord"`) {
		t.Error("series for discord, which this bot does not serve")
	}
}

// TestOpsListener: with http.ops_addr set, /healthz, /readyz and /metrics
// are served there only, and the public listener serves the platform
// endpoints alone.
func TestOpsListener(t *testing.T) {
	t.Parallel()
	f := newFakeService("fake")
	f.ready.Store(true)
	f.routes = []route{{pattern: "POST /fake/events", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "event")
	})}}
	opsAddr := make(chan string, 1)
	tb := startBotWith(t, []platform{f.platform}, map[string]string{"STATUSBOT_HTTP_OPS_ADDR": "127.0.0.1:0"}, nil,
		func(e *env) { e.opsListening = func(a string) { opsAddr <- a } })
	var ops string
	select {
	case ops = <-opsAddr:
	case <-time.After(wait):
		t.Fatal("the ops server never listened")
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if code, _ := tb.get(t, path); code != http.StatusNotFound {
			t.Errorf("public GET %s = %d, want 404", path, code)
		}
		res, err := http.Get("http://" + ops + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("ops GET %s = %d, want 200", path, res.StatusCode)
		}
	}
	res, err := http.Post("http://"+tb.addr+"/fake/events", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("public POST /fake/events = %d, want 200", res.StatusCode)
	}
	if res, err := http.Post("http://"+ops+"/fake/events", "text/plain", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusNotFound {
		t.Errorf("ops POST /fake/events = %d, want 404", res.StatusCode)
	}
	tb.cancel()
	if err := tb.wait(t); err != nil {
		t.Errorf("run = %v", err)
	}
}
