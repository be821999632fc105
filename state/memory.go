package state

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LimitConfig sets the abuse limits: each user may ask UserQueries questions
// per UserWindow, and each channel ChannelQueries per ChannelWindow. A zero
// count disables that limit.
type LimitConfig struct {
	UserQueries    int
	UserWindow     time.Duration
	ChannelQueries int
	ChannelWindow  time.Duration
}

// MemoryLimits is Limits in one process's memory: per-user and per-channel
// token buckets. It is safe for concurrent use, and forgets buckets that
// have been idle long enough to be full again, so its memory is bounded by
// recent activity. A nil *MemoryLimits allows everything.
type MemoryLimits struct {
	cfg LimitConfig
	now func() time.Time

	mu       sync.Mutex
	users    map[string]*bucket
	channels map[string]*bucket
	swept    time.Time
}

type bucket struct {
	lim      *rate.Limiter
	last     time.Time
	notified bool
}

// NewMemoryLimits returns limits of cfg; now is the clock (nil for time.Now).
func NewMemoryLimits(cfg LimitConfig, now func() time.Time) *MemoryLimits {
	if now == nil {
		now = time.Now
	}
	return &MemoryLimits{cfg: cfg, now: now, users: map[string]*bucket{}, channels: map[string]*bucket{}}
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
	l.sweep(now)
	u := l.take(l.users, user, l.cfg.UserQueries, l.cfg.UserWindow, now)
	c := l.take(l.channels, channel, l.cfg.ChannelQueries, l.cfg.ChannelWindow, now)
	if u == nil && c == nil {
		return Allow
	}
	// Limited: the user hears about it once until a question gets through.
	ub := l.users[user]
	if ub == nil || ub.notified {
		return Drop
	}
	ub.notified = true
	return Notify
}

// take spends a token from key's bucket; it returns the bucket if it was
// empty, nil if the question may go ahead (or the limit is off).
func (l *MemoryLimits) take(m map[string]*bucket, key string, n int, window time.Duration, now time.Time) *bucket {
	if n <= 0 || window <= 0 || key == "" {
		return nil
	}
	b := m[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Every(window/time.Duration(n)), n)}
		m[key] = b
	}
	b.last = now
	if b.lim.AllowN(now, 1) {
		if l.users[key] == b {
			b.notified = false
		}
		return nil
	}
	return b
}

// sweep drops buckets idle for longer than their window: they are full again.
func (l *MemoryLimits) sweep(now time.Time) {
	every := max(l.cfg.UserWindow, l.cfg.ChannelWindow)
	if every <= 0 || now.Sub(l.swept) < every {
		return
	}
	l.swept = now
	for k, b := range l.users {
		if now.Sub(b.last) > l.cfg.UserWindow {
			delete(l.users, k)
		}
	}
	for k, b := range l.channels {
		if now.Sub(b.last) > l.cfg.ChannelWindow {
			delete(l.channels, k)
		}
	}
}

// Len reports how many buckets the limits hold, for tests and metrics.
func (l *MemoryLimits) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users) + len(l.channels)
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
