package relay

import (
	"sync"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	at := time.Unix(1_700_000_000, 0)
	th := &Throttle{Every: time.Minute, Now: func() time.Time { return at }}
	type step struct {
		advance time.Duration
		held    int
		ok      bool
	}
	steps := []step{
		{0, 0, true}, // the first always goes through
		{time.Second, 0, false},
		{time.Second, 0, false},
		{time.Minute, 2, true}, // and says how many it stood for
		{59 * time.Second, 0, false},
		{time.Second, 1, true},
	}
	for i, s := range steps {
		at = at.Add(s.advance)
		if held, ok := th.Allow(); held != s.held || ok != s.ok {
			t.Errorf("step %d: Allow() = %d, %v; want %d, %v", i, held, ok, s.held, s.ok)
		}
	}

	// A flood from many goroutines: one through, the rest counted.
	flood := &Throttle{Every: time.Hour}
	var wg sync.WaitGroup
	var mu sync.Mutex
	through := 0
	for range 1000 {
		wg.Go(func() {
			if _, ok := flood.Allow(); ok {
				mu.Lock()
				through++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if through != 1 {
		t.Errorf("%d of 1000 events went through in one interval, want 1", through)
	}
	if held, _ := (&Throttle{}).Allow(); held != 0 {
		t.Errorf("zero Throttle held %d", held)
	}
}
