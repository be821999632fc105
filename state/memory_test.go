package state

import (
	"context"
	"fmt"
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

func TestLimitsForgetIdleBuckets(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := NewMemoryLimits(defaultLimits(), c.now)
	for i := range 1000 {
		l.Check(ctx, fmt.Sprintf("u%d", i), fmt.Sprintf("c%d", i))
	}
	c.advance(time.Minute)
	l.Check(ctx, "late", "late")
	if n := l.Len(); n != 2 {
		t.Errorf("limits hold %d buckets after idling, want 2", n)
	}
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
