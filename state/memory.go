package state

import (
	"container/list"
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LimitConfig sets the abuse limits: each user may ask UserQueries questions
// per UserWindow, and each channel ChannelQueries per ChannelWindow. A zero
// count disables that limit. MaxKeys bounds how many users, and how many
// channels, the memory implementation keeps (0 for DefaultMaxKeys).
type LimitConfig struct {
	UserQueries    int
	UserWindow     time.Duration
	ChannelQueries int
	ChannelWindow  time.Duration
	MaxKeys        int
}

// DefaultMaxKeys is how many users, and how many channels, MemoryLimits
// keeps at most unless told otherwise: about 25 MiB of buckets in all.
const DefaultMaxKeys = 50000

// sweepBatch is how many idle buckets of each kind a Check drops at most:
// forgetting is spread over the questions that follow, so that no Check
// holds the lock for long, however many users went quiet at once.
const sweepBatch = 8

// MemoryLimits is Limits in one process's memory: per-user and per-channel
// token buckets. It is safe for concurrent use. Its memory is bounded: it
// keeps at most MaxKeys users and MaxKeys channels, forgetting the least
// recently seen first, and forgets buckets idle long enough to be full
// again a few at a time, on each Check, so that every Check does a small,
// bounded amount of work under its lock. A nil *MemoryLimits allows
// everything.
type MemoryLimits struct {
	cfg LimitConfig
	now func() time.Time

	mu       sync.Mutex
	users    *recency
	channels *recency
}

type bucket struct {
	key      string
	lim      *rate.Limiter
	last     time.Time
	notified bool
}

// NewMemoryLimits returns limits of cfg; now is the clock (nil for time.Now).
func NewMemoryLimits(cfg LimitConfig, now func() time.Time) *MemoryLimits {
	if now == nil {
		now = time.Now
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = DefaultMaxKeys
	}
	return &MemoryLimits{cfg: cfg, now: now,
		users:    newRecency(cfg.MaxKeys, cfg.UserWindow),
		channels: newRecency(cfg.MaxKeys, cfg.ChannelWindow)}
}

// Check decides whether user may ask a question in channel now. A limited
// user hears about it once (Notify) until a question of theirs gets through.
func (l *MemoryLimits) Check(_ context.Context, user, channel string) Verdict {
	if l == nil {
		return Allow
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users.sweep(now, sweepBatch)
	l.channels.sweep(now, sweepBatch)
	ub, uok := l.take(l.users, user, l.cfg.UserQueries, l.cfg.UserWindow, now)
	if uok && ub != nil {
		ub.notified = false // a question of theirs gets through
	}
	_, cok := l.take(l.channels, channel, l.cfg.ChannelQueries, l.cfg.ChannelWindow, now)
	if uok && cok {
		return Allow
	}
	// Limited: the user hears about it once until a question gets through.
	if ub == nil || ub.notified {
		return Drop
	}
	ub.notified = true
	return Notify
}

// take spends a token from key's bucket in r, and reports the bucket (nil
// when the limit is off) and whether the question may go ahead.
func (l *MemoryLimits) take(r *recency, key string, n int, window time.Duration, now time.Time) (*bucket, bool) {
	if n <= 0 || window <= 0 || key == "" {
		return nil, true
	}
	b := r.use(key, now, func() *rate.Limiter { return rate.NewLimiter(rate.Every(window/time.Duration(n)), n) })
	return b, b.lim.AllowN(now, 1)
}

// Len reports how many buckets the limits hold, for tests and metrics.
func (l *MemoryLimits) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.users.len() + l.channels.len()
}

// recency is a bounded set of buckets in order of use, the most recent at
// the front of the list, so that both the least recently used (evicted
// when the set is full) and the idle ones (swept) are found at its back in
// constant time.
type recency struct {
	max   int
	idle  time.Duration // a bucket unused for longer is full again
	byKey map[string]*list.Element
	order list.List // of *bucket
}

func newRecency(max int, idle time.Duration) *recency {
	return &recency{max: max, idle: idle, byKey: map[string]*list.Element{}}
}

func (r *recency) len() int { return len(r.byKey) }

// use returns key's bucket, made with limiter when new, as used at now.
// A new bucket in a full set takes the place of the least recently used.
func (r *recency) use(key string, now time.Time, limiter func() *rate.Limiter) *bucket {
	if e, ok := r.byKey[key]; ok {
		r.order.MoveToFront(e)
		b := e.Value.(*bucket)
		b.last = now
		return b
	}
	if len(r.byKey) >= r.max {
		r.drop(r.order.Back())
	}
	b := &bucket{key: key, lim: limiter(), last: now}
	r.byKey[key] = r.order.PushFront(b)
	return b
}

// sweep drops at most n buckets unused for longer than the idle time: they
// are full again, and a new one would be the same. They wait at the back.
func (r *recency) sweep(now time.Time, n int) {
	for range n {
		e := r.order.Back()
		if e == nil || now.Sub(e.Value.(*bucket).last) <= r.idle {
			return
		}
		r.drop(e)
	}
}

func (r *recency) drop(e *list.Element) {
	delete(r.byKey, e.Value.(*bucket).key)
	r.order.Remove(e)
}

// MemoryDedup is Dedup in one process's memory: it holds at most size keys,
// each for at most ttl, the oldest going first, so its memory stays bounded.
// It is safe for concurrent use.
type MemoryDedup struct {
	mu    sync.Mutex
	ttl   time.Duration
	size  int
	now   func() time.Time
	at    map[string]time.Time
	order []string // keys in insertion order; order[head:] are live
	head  int
}

// NewMemoryDedup returns a Dedup that remembers up to size keys for ttl each.
func NewMemoryDedup(size int, ttl time.Duration) *MemoryDedup {
	return &MemoryDedup{ttl: ttl, size: size, now: time.Now, at: map[string]time.Time{}}
}

// First reports whether key is new, and remembers it.
func (s *MemoryDedup) First(_ context.Context, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if _, ok := s.at[key]; ok {
		return false
	}
	s.at[key] = now
	s.order = append(s.order, key)
	s.expire(now)
	return true
}

// expire drops keys older than ttl, and the oldest beyond size.
func (s *MemoryDedup) expire(now time.Time) {
	for s.head < len(s.order) {
		k := s.order[s.head]
		if len(s.at) <= s.size && now.Sub(s.at[k]) < s.ttl {
			break
		}
		delete(s.at, k)
		s.order[s.head] = ""
		s.head++
	}
	if s.head > len(s.order)/2 && s.head > 64 {
		s.order = append(s.order[:0:0], s.order[s.head:]...)
		s.head = 0
	}
}

// Len is the number of keys held, for tests and metrics.
func (s *MemoryDedup) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}
