package slack

import (
	"sync"
	"time"
)

// seenSet remembers keys for a while, to answer each event once however
// often Slack delivers it. It holds at most size keys, each for at most ttl:
// the oldest go first, so memory stays bounded.
type seenSet struct {
	mu    sync.Mutex
	ttl   time.Duration
	size  int
	now   func() time.Time
	at    map[string]time.Time
	order []string // keys in insertion order; order[head:] are live
	head  int
}

func newSeenSet(size int, ttl time.Duration) *seenSet {
	return &seenSet{ttl: ttl, size: size, now: time.Now, at: map[string]time.Time{}}
}

// add records keys and reports whether none of them had been seen.
func (s *seenSet) add(keys ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	fresh := true
	for _, k := range keys {
		if _, ok := s.at[k]; ok {
			fresh = false
			continue
		}
		s.at[k] = now
		s.order = append(s.order, k)
	}
	s.expire(now)
	return fresh
}

// expire drops keys older than ttl, and the oldest beyond size.
func (s *seenSet) expire(now time.Time) {
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

// len is the number of keys held.
func (s *seenSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}
