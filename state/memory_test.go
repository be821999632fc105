package state

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Unix(1_700_000_000, 0)} }

func defaultLimits() LimitConfig {
	return LimitConfig{UserQueries: 5, UserWindow: 10 * time.Second, ChannelQueries: 20, ChannelWindow: 10 * time.Second}
}

// The memory implementations satisfy the interfaces the adapters use.
var (
	_ Limits = (*MemoryLimits)(nil)
	_ Dedup  = (*MemoryDedup)(nil)
)

func TestLimitsUserBucketNotifiesOnceThenDrops(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := NewMemoryLimits(defaultLimits(), c.now)
	var got []Verdict
	for range 8 {
		got = append(got, l.Check(ctx, "u1", "c1"))
	}
	want := []Verdict{Allow, Allow, Allow, Allow, Allow, Notify, Drop, Drop}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("verdicts %v, want %v", got, want)
	}
	if v := l.Check(ctx, "u2", "c1"); v != Allow {
		t.Errorf("another user in the channel: %v, want allow", v)
	}
	c.advance(2 * time.Second) // one token back
	if v := l.Check(ctx, "u1", "c1"); v != Allow {
		t.Errorf("after refill: %v, want allow", v)
	}
	if v := l.Check(ctx, "u1", "c1"); v != Notify {
		t.Errorf("limited again after a question got through: %v, want a new notify", v)
	}
}

func TestLimitsChannelBucket(t *testing.T) {
	c := newClock()
	l := NewMemoryLimits(defaultLimits(), c.now)
	allowed := 0
	for i := range 40 {
		if l.Check(context.Background(), fmt.Sprintf("user%d", i), "busy") == Allow {
			allowed++
		}
	}
	if allowed != 20 {
		t.Errorf("channel let %d questions through, want 20", allowed)
	}
}

func TestLimitsForgetIdleBucketsAFewAtATime(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := NewMemoryLimits(defaultLimits(), c.now)
	for i := range 1000 {
		l.Check(ctx, fmt.Sprintf("u%d", i), fmt.Sprintf("c%d", i))
	}
	c.advance(time.Minute)
	// Each question forgets a few idle buckets of each kind, never all of
	// them at once: no Check holds the lock for long.
	before := l.Len()
	l.Check(ctx, "late", "late")
	if dropped := before + 2 - l.Len(); dropped != 2*sweepBatch {
		t.Errorf("one Check forgot %d idle buckets, want %d (a batch of each kind)", dropped, 2*sweepBatch)
	}
	for range 1000 / sweepBatch {
		l.Check(ctx, "late", "late")
	}
	if n := l.Len(); n != 2 {
		t.Errorf("limits hold %d buckets once the idle ones were swept, want 2", n)
	}
}

func TestLimitsForgetTheLeastRecentlyUsed(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	cfg := defaultLimits()
	cfg.MaxKeys = 3
	l := NewMemoryLimits(cfg, c.now)
	for _, u := range []string{"a", "b", "c", "a", "d"} { // b is the least recently used when d comes
		l.Check(ctx, u, "ch")
		c.advance(time.Millisecond)
	}
	for u, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := l.users.byKey[u]; ok != want {
			t.Errorf("user %s kept: %v, want %v", u, ok, want)
		}
	}
	if n := l.Len(); n != 4 {
		t.Errorf("Len = %d, want 3 users and 1 channel", n)
	}
	// A user limited, then pushed out by others, starts again full: the
	// bound costs accuracy only when more users ask than it holds.
	for range 6 {
		l.Check(ctx, "heavy", "ch2")
	}
	if v := l.Check(ctx, "heavy", "ch2"); v == Allow {
		t.Errorf("heavy user: %v, want held back", v)
	}
}

// TestLimitsLoad is the load test of the review's scenario: a flood of
// distinct users (a million in production; 100,000 here, with a bound of
// 1,000 keys, to keep the race detector quick). The limits never hold more
// than their bound, and each Check does a bounded amount of work, measured
// as the buckets it forgets, not as time.
func TestLimitsLoad(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	cfg := defaultLimits()
	cfg.MaxKeys = 1000
	l := NewMemoryLimits(cfg, c.now)
	const users = 100_000
	most := 0
	for i := range users { // within one window: nothing is idle yet
		l.Check(ctx, fmt.Sprintf("flood%d", i), fmt.Sprintf("room%d", i%5000))
		if i%100 == 0 {
			c.advance(time.Millisecond)
			most = max(most, l.Len())
		}
	}
	if most > 2*cfg.MaxKeys {
		t.Errorf("the limits held %d buckets, want at most %d", most, 2*cfg.MaxKeys)
	}
	// All of them idle at once: each Check forgets a batch, not all.
	c.advance(time.Hour)
	l.Check(ctx, "after", "after")
	worst := 0
	for i := 0; l.Len() > 2; i++ {
		before := l.Len()
		l.Check(ctx, "after", "after")
		worst = max(worst, before-l.Len())
		if i > 2*cfg.MaxKeys {
			t.Fatalf("%d buckets left after %d Checks", l.Len(), i)
		}
	}
	if worst > 2*sweepBatch {
		t.Errorf("one Check forgot %d buckets, want at most %d", worst, 2*sweepBatch)
	}
	t.Logf("%d distinct users: at most %d buckets held; at most %d forgotten by one Check", users, most, worst)
}

// TestLimitsMemoryPerKey measures what a bucket costs, for DefaultMaxKeys.
func TestLimitsMemoryPerKey(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	ctx := context.Background()
	const n = 20_000
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l := NewMemoryLimits(defaultLimits(), nil)
	for i := range n {
		l.Check(ctx, fmt.Sprintf("slack:T0123456:U%08d", i), fmt.Sprintf("slack:T0123456:C%08d", i))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / (2 * n)
	t.Logf("%.0f bytes a bucket: %d keys of each kind cost %.1f MiB", per, DefaultMaxKeys, per*2*DefaultMaxKeys/(1<<20))
	if per*2*DefaultMaxKeys > 64<<20 {
		t.Errorf("a full set of limits costs %.0f MiB: too much for a 256 MiB pod", per*2*DefaultMaxKeys/(1<<20))
	}
	runtime.KeepAlive(l)
}

func TestLimitsDisabled(t *testing.T) {
	ctx := context.Background()
	l := NewMemoryLimits(LimitConfig{}, nil)
	for range 100 {
		if v := l.Check(ctx, "u", "c"); v != Allow {
			t.Fatalf("disabled limits said %v", v)
		}
	}
	var none *MemoryLimits
	if v := none.Check(ctx, "u", "c"); v != Allow {
		t.Errorf("nil limits said %v", v)
	}
}

func TestDedup(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1700000000, 0)
	s := NewMemoryDedup(3, time.Minute)
	s.now = func() time.Time { return now }

	if !s.First(ctx, "a") || s.First(ctx, "a") {
		t.Fatal("First(a) twice: want new, then seen")
	}
	if !s.First(ctx, "b") {
		t.Error("First(b) = false, want true: b is new")
	}

	// Expiry.
	now = now.Add(2 * time.Minute)
	if !s.First(ctx, "a") {
		t.Error("First(a) after its ttl = false, want true")
	}
	if s.Len() != 1 {
		t.Errorf("Len = %d after expiry, want 1", s.Len())
	}

	// Size bound: the oldest go first.
	for i := range 10000 {
		s.First(ctx, fmt.Sprint(i))
	}
	if n := s.Len(); n != 3 {
		t.Errorf("Len = %d after 10000 keys, want the bound 3", n)
	}
	if len(s.order)-s.head != 3 || cap(s.order) > 1000 {
		t.Errorf("queue holds %d live of %d (cap %d): it grows without bound", len(s.order)-s.head, len(s.order), cap(s.order))
	}
	if s.First(ctx, "9999") || !s.First(ctx, "0") {
		t.Error("want the newest key remembered and the oldest forgotten")
	}
}
