package bot

import (
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

// Verdict is the limiter's decision on one question.
type Verdict int

// The verdicts.
const (
	Allow  Verdict = iota // answer it
	Notify                // limited: tell the user once, privately
	Drop                  // limited and already told: stay silent
)

// Limiter applies per-user and per-channel token buckets. It is safe for
// concurrent use, and forgets buckets that have been idle long enough to be
// full again, so its memory is bounded by recent activity.
type Limiter struct {
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

// NewLimiter returns a Limiter; now is the clock (nil for time.Now).
func NewLimiter(cfg LimitConfig, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{cfg: cfg, now: now, users: map[string]*bucket{}, channels: map[string]*bucket{}}
}

// Check decides whether user may ask a question in channel now. Keys should
// be qualified by platform and workspace by the caller (e.g. "slack:T1:U2").
func (l *Limiter) Check(user, channel string) Verdict {
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
func (l *Limiter) take(m map[string]*bucket, key string, n int, window time.Duration, now time.Time) *bucket {
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
func (l *Limiter) sweep(now time.Time) {
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

// Len reports how many buckets the limiter holds, for tests and metrics.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users) + len(l.channels)
}

// RateLimitedAnswer is the one private notice a limited user gets.
func (b *Bot) RateLimitedAnswer(query string) *Answer {
	return &Answer{
		Query:   truncate(query, MaxQueryLen),
		Kind:    KindRateLimited,
		Title:   "Slow down a little",
		Text:    "You are asking faster than this bot answers. Try again in a few seconds; further questions until then are ignored.",
		Private: true,
	}
}
