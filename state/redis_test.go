package state

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/statusbot/statusbot/internal/redistest"
)

func TestMain(m *testing.M) {
	SetRedisLogger(slog.New(slog.DiscardHandler)) // the tests read the store's own logs
	os.Exit(m.Run())
}

var (
	_ Limits = (*Redis)(nil)
	_ Dedup  = (*Redis)(nil)
)

// patient gives a test server's URL timeouts long enough that a machine
// busy with other tests never makes a call time out: the tests that use it
// check what the store decides while Redis answers, not the fallback when
// it does not (TestRedisOutage and TestRedisSlow check that).
func patient(url string) string {
	return url + "?dial_timeout=10s&read_timeout=10s&write_timeout=10s"
}

// newRedis is a store on srv's URL with cfg's other settings, closed when
// the test ends.
func newRedis(t *testing.T, url string, cfg RedisConfig) *Redis {
	t.Helper()
	cfg.URL = url
	r, err := NewRedis(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestRedisLimitsMatchMemory asks the same random questions, at the same
// fake times, of MemoryLimits and of the Redis store, and wants the same
// verdict every time: the shared limits keep today's semantics (a bucket
// per user and per channel, the user told once until a question of theirs
// gets through).
func TestRedisLimitsMatchMemory(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	cfgs := map[string]LimitConfig{
		"both":         {UserQueries: 5, UserWindow: 10 * time.Second, ChannelQueries: 20, ChannelWindow: 10 * time.Second},
		"user only":    {UserQueries: 3, UserWindow: 4 * time.Second},
		"channel only": {ChannelQueries: 4, ChannelWindow: 2 * time.Second},
		"one per hour": {UserQueries: 1, UserWindow: time.Hour, ChannelQueries: 2, ChannelWindow: time.Hour},
	}
	for name, cfg := range cfgs {
		t.Run(name, func(t *testing.T) {
			c := newClock()
			mem := NewMemoryLimits(cfg, c.now)
			r := newRedis(t, patient(srv.URL), RedisConfig{Limits: cfg})
			r.now = c.now
			prefix := strings.ReplaceAll(name, " ", "-") + ":" // a namespace per subtest
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			// Steps of whole quarter seconds keep x/time/rate's float
			// arithmetic exact, so that the two can be compared verdict for
			// verdict.
			steps := []time.Duration{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 11 * time.Second, time.Hour}
			counts := map[Verdict]int{}
			for i := range 600 {
				c.advance(steps[rng.IntN(len(steps))])
				user, channel := fmt.Sprint("u", rng.IntN(3)), fmt.Sprint("c", rng.IntN(2))
				if rng.IntN(10) == 0 {
					user = "" // a question with no user: limited by its channel alone, never told
				}
				want := mem.Check(t.Context(), user, channel)
				if user != "" {
					user = prefix + user
				}
				got := r.Check(t.Context(), user, prefix+channel)
				if got != want {
					t.Fatalf("question %d (%q in %q at %s): redis %v, memory %v", i, user, channel, c.t.Format(time.TimeOnly), got, want)
				}
				counts[got]++
			}
			t.Logf("verdicts %v", counts)
			told := counts[Notify] > 0
			if counts[Allow] == 0 || counts[Drop] == 0 || told != (cfg.UserQueries > 0) {
				t.Errorf("verdicts %v: the random questions did not reach every case", counts)
			}
		})
	}
}

// TestRedisLimitsSharedAcrossReplicas: three replicas on one Redis, one
// user asking 20 questions at once spread over them, 5 allowed per window,
// get 5 answers and one notice between them.
func TestRedisLimitsSharedAcrossReplicas(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	cfg := LimitConfig{UserQueries: 5, UserWindow: time.Minute, ChannelQueries: 20, ChannelWindow: time.Minute}
	var replicas []*Redis
	for range 3 {
		replicas = append(replicas, newRedis(t, patient(srv.URL), RedisConfig{Limits: cfg}))
	}
	var mu sync.Mutex
	counts := map[Verdict]int{}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			v := replicas[i%3].Check(t.Context(), "slack:T1:U1", "slack:T1:C1")
			mu.Lock()
			counts[v]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if counts[Allow] != 5 || counts[Notify] != 1 || counts[Drop] != 14 {
		t.Errorf("verdicts %v, want 5 allow, 1 notify, 14 drop", counts)
	}
	for _, r := range replicas {
		if err := r.Health(t.Context()); err != nil {
			t.Errorf("Health = %v after answering", err)
		}
	}
}

// TestRedisDedupExactlyOnce: three replicas each see the same 100 keys at
// once; exactly one of them sees each key first.
func TestRedisDedupExactlyOnce(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	var replicas []*Redis
	for range 3 {
		replicas = append(replicas, newRedis(t, patient(srv.URL), RedisConfig{}))
	}
	var firsts [100]atomic.Int32
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Go(func() {
			for k := range firsts {
				if r.First(t.Context(), fmt.Sprint("event:Ev", k)) {
					firsts[k].Add(1)
				}
			}
		})
	}
	wg.Wait()
	for k := range firsts {
		if n := firsts[k].Load(); n != 1 {
			t.Errorf("key %d: %d replicas saw it first, want 1", k, n)
		}
	}
}

func TestRedisDedupExpires(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	r := newRedis(t, patient(srv.URL), RedisConfig{DedupTTL: 50 * time.Millisecond})
	if !r.First(t.Context(), "k") || r.First(t.Context(), "k") {
		t.Fatal("First(k) twice: want new, then seen")
	}
	time.Sleep(120 * time.Millisecond)
	if !r.First(t.Context(), "k") {
		t.Error("First(k) after its time to live = false, want true")
	}
}

// observed counts a store's calls and failures by operation.
type observed struct {
	mu     sync.Mutex
	calls  map[string]int
	errors map[string]int
}

func (o *observed) StateCall(op string, _ time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.calls == nil {
		o.calls, o.errors = map[string]int{}, map[string]int{}
	}
	o.calls[op]++
	if err != nil {
		o.errors[op]++
	}
}

func (o *observed) count(op string) (calls, errors int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.calls[op], o.errors[op]
}

// logBuffer is a slog destination a test reads back.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) lines(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), substr)
}

// TestRedisOutage kills Redis under a store: decisions come from local
// state at once, failures are counted and warned about once, Health says
// degraded; when Redis is back the store uses it again by itself.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	obs := &observed{}
	logs := &logBuffer{}
	cfg := LimitConfig{UserQueries: 2, UserWindow: time.Minute}
	local := NewMemoryLimits(cfg, nil)
	r := newRedis(t, srv.URL, RedisConfig{
		Limits: cfg, LocalLimits: local, LocalDedup: NewMemoryDedup(100, time.Minute),
		RetryAfter: 20 * time.Millisecond, WarnEvery: time.Hour,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Observer: obs,
	})
	ctx := t.Context()
	if err := r.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	r.First(ctx, "before") // held by Redis, not by the local set

	srv.Kill()
	start := time.Now()
	// Local de-duplication still answers each key once.
	if !r.First(ctx, "during") || r.First(ctx, "during") {
		t.Error("during the outage: First(during) twice = want new, then seen (from local state)")
	}
	if !r.First(ctx, "before") {
		t.Error("during the outage: a key only Redis held is new to local state")
	}
	// Local limits: 2 questions, then the notice, then silence. (Wait until
	// Redis may be tried again, so that the limits' call fails too.)
	time.Sleep(30 * time.Millisecond)
	var got []Verdict
	for range 4 {
		got = append(got, r.Check(ctx, "u", "c"))
	}
	if want := []Verdict{Allow, Allow, Notify, Drop}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("limits during the outage = %v, want %v from local state", got, want)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("7 decisions took %s with Redis down, want far less than a second", d)
	}
	if _, errs := obs.count(OpDedup); errs == 0 {
		t.Error("no dedup failure observed")
	}
	var unavailable *UnavailableError
	if err := r.Health(ctx); !errors.As(err, &unavailable) || unavailable.Err == nil || strings.Contains(err.Error(), srv.Addr) {
		t.Errorf("Health = %v, want an UnavailableError with a cause, and no address in its message", err)
	}
	// Keep failing for a while: still one warning.
	deadline := time.Now().Add(100 * time.Millisecond)
	for time.Now().Before(deadline) {
		r.First(ctx, "x")
		time.Sleep(5 * time.Millisecond)
	}
	if n := logs.lines("redis failed"); n != 1 {
		t.Errorf("%d warnings logged, want 1 per WarnEvery:\n%s", n, logs.b.String())
	}

	srv.Restart(t)
	waitHealthy(t, r)
	if !r.First(ctx, "after") || r.First(ctx, "after") {
		t.Error("after the outage: First(after) twice: want new, then seen")
	}
	// The script is loaded again (a restarted Redis has none cached).
	if v := r.Check(ctx, "v", "c"); v != Allow {
		t.Errorf("limits after the outage = %v, want allow", v)
	}
	if _, errs := obs.count(OpLimits); errs == 0 {
		t.Error("no limits failure observed during the outage")
	}
	if logs.lines("redis answers again") != 1 {
		t.Errorf("recovery not logged once:\n%s", logs.b.String())
	}
}

// waitHealthy waits until r's Health is nil.
func waitHealthy(t *testing.T, r *Redis) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.Health(t.Context()) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("store still degraded 10s after Redis came back: %v", r.Health(t.Context()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRedisSlow points a store at a server that accepts connections and
// never answers: each decision gives up after the read timeout, and the
// next ones do not wait at all.
func TestRedisSlow(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	obs := &observed{}
	r := newRedis(t, "redis://"+ln.Addr().String()+"/0?read_timeout=50ms", RedisConfig{
		RetryAfter: time.Hour, LocalDedup: NewMemoryDedup(10, time.Minute), Observer: obs,
	})
	start := time.Now()
	if !r.First(t.Context(), "k") {
		t.Error("First(k) = false from a silent Redis, want the local answer, true")
	}
	if d := time.Since(start); d < 50*time.Millisecond || d > time.Second {
		t.Errorf("the first decision took %s, want about the 50ms read timeout", d)
	}
	start = time.Now()
	for range 100 {
		r.First(t.Context(), "k")
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("100 decisions took %s after the failure, want no waiting while Redis rests", d)
	}
	if calls, errs := obs.count(OpDedup); calls != 1 || errs != 1 {
		t.Errorf("%d calls, %d failures observed; want 1 and 1", calls, errs)
	}
}

func TestCheckRedisURL(t *testing.T) {
	tests := []struct {
		url  string
		want string // "" for accepted
	}{
		{"redis://redis:6379/0", ""},
		{"rediss://user@redis.example.com:6380/2", ""},
		{"redis://127.0.0.1:6379/0?dial_timeout=1s&read_timeout=200ms", ""},
		{"unix:///run/redis.sock?db=1", ""},
		{"redis://:hunter2@redis:6379/0", "password"},
		{"redis://default:hunter2@redis:6379/0", "password"},
		{"http://redis:6379", "scheme"},
		{"redis:6379", "redis://host"},
		{"redis://redis:6379/zero", "database"},
		{"redis://redis:port/0", "not a URL"},
		{"redis://redis:6379/0?bogus=1", "bogus"},
	}
	for _, tt := range tests {
		err := CheckRedisURL(tt.url)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckRedisURL(%q) = %v, want accepted", tt.url, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("CheckRedisURL(%q) = %v, want an error about %s", tt.url, err, tt.want)
		case err != nil && strings.Contains(err.Error(), "hunter2"):
			t.Errorf("CheckRedisURL(%q) = %v: the password is in the message", tt.url, err)
		}
	}
}
