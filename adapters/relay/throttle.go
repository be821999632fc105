package relay

import (
	"sync"
	"time"
)

// Throttle lets one event in each Every through, and counts those it holds
// back in between, so that a flood of the same log line (a signature
// refused thousands of times a second) costs one line per interval while
// still saying how many it stood for. The zero Throttle lets everything
// through. It is safe for concurrent use.
type Throttle struct {
	Every time.Duration
	Now   func() time.Time // the clock; nil for time.Now

	mu     sync.Mutex
	last   time.Time
	passed bool
	held   int
}

// Allow reports whether to let this event through, and when it does, how
// many were held back since the last one let through.
func (t *Throttle) Allow() (held int, ok bool) {
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	at := now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.passed && at.Sub(t.last) < t.Every {
		t.held++
		return 0, false
	}
	held, t.held = t.held, 0
	t.last, t.passed = at, true
	return held, true
}
