package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/statusbot/statusbot/bot"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Unix(1_700_000_000, 0)} }
func defaultLimits() bot.LimitConfig {
	return bot.LimitConfig{UserQueries: 5, UserWindow: 10 * time.Second, ChannelQueries: 20, ChannelWindow: 10 * time.Second}
}

func TestLimiterUserBucketNotifiesOnceThenDrops(t *testing.T) {
	c := newClock()
	l := bot.NewLimiter(defaultLimits(), c.now)
	var got []bot.Verdict
	for range 8 {
		got = append(got, l.Check("u1", "c1"))
	}
	want := []bot.Verdict{bot.Allow, bot.Allow, bot.Allow, bot.Allow, bot.Allow, bot.Notify, bot.Drop, bot.Drop}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("verdicts %v, want %v", got, want)
	}
	if v := l.Check("u2", "c1"); v != bot.Allow {
		t.Errorf("another user in the channel: %v, want Allow", v)
	}
	c.advance(2 * time.Second) // one token back
	if v := l.Check("u1", "c1"); v != bot.Allow {
		t.Errorf("after refill: %v, want Allow", v)
	}
	if v := l.Check("u1", "c1"); v != bot.Notify {
		t.Errorf("limited again after a question got through: %v, want a new Notify", v)
	}
}

func TestLimiterChannelBucket(t *testing.T) {
	c := newClock()
	l := bot.NewLimiter(defaultLimits(), c.now)
	allowed := 0
	for i := range 40 {
		if l.Check(fmt.Sprintf("user%d", i), "busy") == bot.Allow {
			allowed++
		}
	}
	if allowed != 20 {
		t.Errorf("channel let %d questions through, want 20", allowed)
	}
}

func TestLimiterForgetsIdleBuckets(t *testing.T) {
	c := newClock()
	l := bot.NewLimiter(defaultLimits(), c.now)
	for i := range 1000 {
		l.Check(fmt.Sprintf("u%d", i), fmt.Sprintf("c%d", i))
	}
	c.advance(time.Minute)
	l.Check("late", "late")
	if n := l.Len(); n != 2 {
		t.Errorf("limiter holds %d buckets after idling, want 2", n)
	}
}

func TestLimiterDisabled(t *testing.T) {
	l := bot.NewLimiter(bot.LimitConfig{}, nil)
	for range 100 {
		if v := l.Check("u", "c"); v != bot.Allow {
			t.Fatalf("disabled limiter said %v", v)
		}
	}
	var nilLimiter *bot.Limiter
	if v := nilLimiter.Check("u", "c"); v != bot.Allow {
		t.Errorf("nil limiter said %v", v)
	}
}
