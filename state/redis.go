package state

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// The operations a store reports to its Observer.
const (
	OpLimits = "limits" // Limits.Check
	OpDedup  = "dedup"  // Dedup.First
	OpPing   = "ping"   // the start-up check, and the probe while degraded
)

// Ops lists every operation, so that metrics can start each one at zero.
var Ops = []string{OpLimits, OpDedup, OpPing}

// Observer is told about every call a shared store makes, for metrics.
// Implementations must be safe for concurrent use.
type Observer interface {
	// StateCall records one call of op that took elapsed; err is nil when
	// it succeeded.
	StateCall(op string, elapsed time.Duration, err error)
}

// Timeouts of a call to Redis, unless the URL sets its own (dial_timeout,
// read_timeout, write_timeout). A replica that cannot reach Redis within
// them decides from its own memory: a question waits at most this long
// for the store, and not at all while Redis is known to be down.
const (
	DefaultDialTimeout = 250 * time.Millisecond
	DefaultTimeout     = 100 * time.Millisecond // each read and each write
)

// Defaults of a RedisConfig.
const (
	DefaultDedupTTL   = 15 * time.Minute
	DefaultRetryAfter = time.Second
	DefaultWarnEvery  = time.Minute
)

// keyPrefix starts every key the store writes, so that it can share a
// database with other programs.
const keyPrefix = "statusbot:"

// RedisConfig configures a Redis store.
type RedisConfig struct {
	// URL is redis://[user@]host:port/db, rediss:// for TLS, or
	// unix:///path/to/socket?db=N. It must not carry a password.
	URL string
	// Password authenticates, from a secret; empty for none.
	Password string
	// Limits are the abuse limits, the same for every replica.
	Limits LimitConfig
	// DedupTTL is how long a de-duplication key is remembered (default
	// DefaultDedupTTL).
	DedupTTL time.Duration
	// LocalLimits and LocalDedup decide while Redis cannot (normally the
	// memory implementations); nil allows every question and takes every
	// key as new.
	LocalLimits Limits
	LocalDedup  Dedup
	// RetryAfter is how long, after Redis fails, decisions stay local
	// before it is tried again (default DefaultRetryAfter), so that an
	// outage costs each question nothing rather than a timeout.
	RetryAfter time.Duration
	// WarnEvery spaces the warnings that Redis is failing (default
	// DefaultWarnEvery): one per interval, with a count of the rest.
	WarnEvery time.Duration
	Logger    *slog.Logger // nil discards
	Observer  Observer     // nil records nothing
}

// Redis is Limits and Dedup on a Redis (or Valkey) server shared by every
// replica, so that they behave as one bot: an event delivered to several
// replicas is answered by one, and a user's questions count the same
// wherever they land.
//
// Each decision is one atomic round trip: SET NX PX for a key, a Lua
// script for the limits (a GCRA rate limiter for the user and for the
// channel, and the user's "told once" flag). When Redis fails or is slow,
// the decision is made from local state instead, the failure is counted
// and logged (once per WarnEvery), and Redis is left alone for RetryAfter;
// Health reports the store degraded meanwhile. It is safe for concurrent
// use.
type Redis struct {
	client     *redis.Client
	limits     LimitConfig
	ttl        time.Duration
	local      Limits
	localDedup Dedup
	retryAfter time.Duration
	warnEvery  time.Duration
	log        *slog.Logger
	obs        Observer
	// now, when set (by tests), is the limits' clock; nil uses the
	// server's, which every replica shares.
	now func() time.Time

	down    atomic.Bool  // the last call failed
	retryAt atomic.Int64 // while down: Redis is not tried before this (unix ns)

	mu     sync.Mutex // guards the fields below
	since  time.Time  // when the outage began
	cause  error      // the latest failure
	warned time.Time  // the latest warning
	missed int        // failures since the latest warning
}

// NewRedis returns a store on the server at cfg.URL. It connects lazily:
// Ping checks the server. It fails only for a URL it cannot use.
func NewRedis(cfg RedisConfig) (*Redis, error) {
	opt, err := redisOptions(cfg.URL)
	if err != nil {
		return nil, err
	}
	opt.Password = cfg.Password
	r := &Redis{
		client:     redis.NewClient(opt),
		limits:     cfg.Limits,
		ttl:        cfg.DedupTTL,
		local:      cfg.LocalLimits,
		localDedup: cfg.LocalDedup,
		retryAfter: cfg.RetryAfter,
		warnEvery:  cfg.WarnEvery,
		log:        cfg.Logger,
		obs:        cfg.Observer,
	}
	if r.ttl <= 0 {
		r.ttl = DefaultDedupTTL
	}
	if r.retryAfter <= 0 {
		r.retryAfter = DefaultRetryAfter
	}
	if r.warnEvery <= 0 {
		r.warnEvery = DefaultWarnEvery
	}
	if r.local == nil {
		r.local = allowAll{}
	}
	if r.localDedup == nil {
		r.localDedup = allNew{}
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.obs == nil {
		r.obs = nopObserver{}
	}
	return r, nil
}

// CheckRedisURL reports whether NewRedis can use u. Its message never
// quotes u, which may hold a secret.
func CheckRedisURL(u string) error {
	_, err := redisOptions(u)
	return err
}

// redisOptions are the client's options for u: its address, database and
// TLS, with statusbot's timeouts unless u sets its own, and no retries.
func redisOptions(u string) (*redis.Options, error) {
	p, err := url.Parse(u)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		return nil, fmt.Errorf("not a URL: %v", err)
	}
	if p.Scheme != "redis" && p.Scheme != "rediss" && p.Scheme != "unix" {
		return nil, fmt.Errorf("scheme must be redis, rediss (TLS) or unix; got %q", p.Scheme)
	}
	if p.Opaque != "" {
		return nil, errors.New("want redis://host:port/db")
	}
	if _, ok := p.User.Password(); ok {
		return nil, errors.New("carries a password: give it as a secret in the environment instead")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		return nil, err
	}
	if opt.DialTimeout == 0 {
		opt.DialTimeout = DefaultDialTimeout
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = DefaultTimeout
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = DefaultTimeout
	}
	// A caller waits at most this long for a free connection.
	opt.PoolTimeout = opt.DialTimeout
	// One dial per attempt: the store's own back-off takes over from there.
	opt.DialerRetries = 1
	// Neither SET NX nor the limits script may run twice: a retry after a
	// reply lost in a timeout would find its own key and take the event
	// for a duplicate, and not answer it.
	opt.MaxRetries = -1
	opt.ClientName = "statusbot"
	opt.DisableIdentity = true // no CLIENT SETINFO round trip on connect
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return opt, nil
}

// Addr is the server's address (host:port, or a socket's path).
func (r *Redis) Addr() string { return r.client.Options().Addr }

// Close closes the connections to Redis.
func (r *Redis) Close() error { return r.client.Close() }

// Ping asks Redis whether it answers, and updates the store's health: an
// error makes it degraded, as a failed decision does.
func (r *Redis) Ping(ctx context.Context) error {
	return r.call(ctx, OpPing, func(ctx context.Context) error { return r.client.Ping(ctx).Err() })
}

// First reports whether key is new to every replica: SET NX with the
// store's time to live. Without Redis it asks LocalDedup.
func (r *Redis) First(ctx context.Context, key string) bool {
	var first bool
	err := r.do(ctx, OpDedup, func(ctx context.Context) (err error) {
		first, err = r.client.SetNX(ctx, keyPrefix+"dedup:"+key, 1, r.ttl).Result()
		return err
	})
	if err != nil {
		return r.localDedup.First(ctx, key)
	}
	return first
}

// Check decides whether user may ask a question in channel now, with the
// semantics of MemoryLimits, for all replicas at once. Without Redis it
// asks LocalLimits.
func (r *Redis) Check(ctx context.Context, user, channel string) Verdict {
	userN, userT := burst(user, r.limits.UserQueries, r.limits.UserWindow)
	chanN, chanT := burst(channel, r.limits.ChannelQueries, r.limits.ChannelWindow)
	if userN == 0 && chanN == 0 {
		return Allow
	}
	now := ""
	if r.now != nil {
		now = strconv.FormatInt(r.now().UnixMicro(), 10)
	}
	told := max(r.limits.UserWindow, r.limits.ChannelWindow).Milliseconds()
	var v int64
	err := r.do(ctx, OpLimits, func(ctx context.Context) (err error) {
		v, err = checkScript.Run(ctx, r.client,
			[]string{keyPrefix + "limit:user:" + user, keyPrefix + "limit:channel:" + channel, keyPrefix + "told:" + user},
			now, userT, userN, chanT, chanN, max(told, 1)).Int64()
		if err == nil && (v < int64(Allow) || v > int64(Drop)) {
			err = fmt.Errorf("limits script returned %d", v)
		}
		return err
	})
	if err != nil {
		return r.local.Check(ctx, user, channel)
	}
	return Verdict(v)
}

// burst is a limit of n questions per window on key as GCRA parameters:
// the burst (0 when the limit is off, or there is no key) and the
// emission interval in microseconds.
func burst(key string, n int, window time.Duration) (int, int64) {
	if key == "" || n <= 0 || window <= 0 {
		return 0, 0
	}
	return n, max(window.Microseconds()/int64(n), 1)
}

// checkScript applies the user's and the channel's limits, each a GCRA
// rate limiter (a token bucket of burst N refilled at N per window, as
// golang.org/x/time/rate has it in MemoryLimits), and the user's "told
// once" flag, atomically. Like MemoryLimits it spends from both buckets,
// clears the flag when the user's own bucket lets a question through, and
// returns 0 (allow), 1 (notify: the flag was not set) or 2 (drop).
//
// KEYS: the user's bucket, the channel's, the user's flag. ARGV: now in µs
// ("" for the server's clock), the user's interval in µs and burst (0: no
// limit), the channel's, the flag's time to live in ms.
var checkScript = redis.NewScript(`
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end

-- take spends one from the bucket at key, whose theoretical arrival time
-- (TAT) is stored there; it returns false, spending nothing, when empty.
local function take(key, interval, burst)
  if burst == 0 then return true end
  local tat = tonumber(redis.call('GET', key))
  if tat == nil or tat < now then tat = now end
  local nxt = tat + interval
  if nxt - interval * burst > now then return false end
  redis.call('SET', key, string.format('%d', nxt), 'PX', math.ceil((nxt - now) / 1000))
  return true
end

local userBurst = tonumber(ARGV[3])
local user = take(KEYS[1], tonumber(ARGV[2]), userBurst)
if user and userBurst > 0 then redis.call('DEL', KEYS[3]) end
local channel = take(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]))
if user and channel then return 0 end
if userBurst == 0 then return 2 end
if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[6]) then return 1 end
return 2
`)

// do makes one call to Redis for op, unless Redis failed less than
// RetryAfter ago; then it returns errResting at once.
func (r *Redis) do(ctx context.Context, op string, f func(context.Context) error) error {
	if r.down.Load() && time.Now().UnixNano() < r.retryAt.Load() {
		return errResting
	}
	return r.call(ctx, op, f)
}

var errResting = errors.New("redis failed recently; not tried")

// call makes one call to Redis for op, times and counts it, and keeps the
// store's health.
func (r *Redis) call(ctx context.Context, op string, f func(context.Context) error) error {
	start := time.Now()
	err := f(ctx)
	r.obs.StateCall(op, time.Since(start), err)
	switch {
	case err == nil:
		if r.down.Load() {
			r.recovered()
		}
	case ctx.Err() == nil: // a caller giving up says nothing about Redis
		r.failed(op, err)
	}
	return err
}

// failed marks the store degraded after err, and warns unless it warned
// less than WarnEvery ago.
func (r *Redis) failed(op string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	r.retryAt.Store(now.Add(r.retryAfter).UnixNano())
	if !r.down.Load() {
		r.since = now
		r.down.Store(true)
	}
	r.cause = err
	if now.Sub(r.warned) < r.warnEvery {
		r.missed++
		return
	}
	r.log.Warn("state: redis failed; each replica decides from its own memory until it answers",
		"op", op, "err", err, "down_since", r.since, "failures_not_logged", r.missed, "retry_after", r.retryAfter)
	r.warned, r.missed = now, 0
}

// recovered marks the store healthy again.
func (r *Redis) recovered() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.down.Load() {
		return
	}
	r.down.Store(false)
	level := slog.LevelDebug
	if !r.warned.Before(r.since) { // this outage was warned about
		level = slog.LevelInfo
	}
	r.log.Log(context.Background(), level, "state: redis answers again; replicas share their state", "down_for", time.Since(r.since).Round(time.Millisecond))
}

// Health is nil while Redis answers. While it does not, it returns an
// *UnavailableError, and decisions are local. When the store has been
// left alone for RetryAfter it pings first, so that it recovers even with
// no questions to ask.
func (r *Redis) Health(ctx context.Context) error {
	if r.down.Load() && time.Now().UnixNano() >= r.retryAt.Load() {
		_ = r.Ping(ctx)
	}
	if !r.down.Load() {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return &UnavailableError{Since: r.since, Err: r.cause}
}

// UnavailableError says since when Redis has failed. Its message leaves out
// the cause, which may name hosts: it is for logs (Unwrap), not for
// /readyz.
type UnavailableError struct {
	Since time.Time
	Err   error
}

func (e *UnavailableError) Error() string {
	return "redis unavailable since " + e.Since.UTC().Format(time.RFC3339)
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// SetRedisLogger sends the Redis client's own log lines (connection pool
// trouble, which it writes to stderr by default) to log at debug level:
// the store's warnings already say what an operator needs. The client
// has one logger per process.
func SetRedisLogger(log *slog.Logger) {
	redis.SetLogger(redisLogger{log})
}

type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis client: "+fmt.Sprintf(format, v...))
}

// allowAll and allNew stand in for missing local state.
type (
	allowAll    struct{}
	allNew      struct{}
	nopObserver struct{}
)

func (allowAll) Check(context.Context, string, string) Verdict { return Allow }
func (allNew) First(context.Context, string) bool              { return true }
func (nopObserver) StateCall(string, time.Duration, error)     {}
