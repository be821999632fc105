package slack

import (
	"fmt"
	"testing"
	"time"
)

func TestSeenSet(t *testing.T) {
	t.Parallel()
	now := time.Unix(1700000000, 0)
	s := newSeenSet(3, time.Minute)
	s.now = func() time.Time { return now }

	if !s.add("a") || s.add("a") {
		t.Fatal("add(a) twice: want new then seen")
	}
	if s.add("b", "a") {
		t.Error("add(b, a) = true, want false: a was seen")
	}
	if s.add("b") {
		t.Error("add(b) after add(b, a) = true, want false: b was recorded too")
	}

	// Expiry.
	now = now.Add(2 * time.Minute)
	if !s.add("a") {
		t.Error("add(a) after its ttl = false, want true")
	}
	if s.len() != 1 {
		t.Errorf("len = %d after expiry, want 1", s.len())
	}

	// Size bound: the oldest go first.
	for i := range 10000 {
		s.add(fmt.Sprint(i))
	}
	if n := s.len(); n != 3 {
		t.Errorf("len = %d after 10000 adds, want the bound 3", n)
	}
	if len(s.order)-s.head != 3 || cap(s.order) > 1000 {
		t.Errorf("queue holds %d live of %d (cap %d): it grows without bound", len(s.order)-s.head, len(s.order), cap(s.order))
	}
	if s.add("9999") || !s.add("0") {
		t.Error("want the newest key remembered and the oldest forgotten")
	}
}
