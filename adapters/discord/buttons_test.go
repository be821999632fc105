package discord

import "testing"

func TestCustomID(t *testing.T) {
	for _, n := range []int{100, 429, 599} {
		got, ok := parseCustomID(CustomID(n))
		if !ok || got != n {
			t.Errorf("parseCustomID(CustomID(%d)) = %d, %v", n, got, ok)
		}
	}
	for _, id := range []string{"", "statusbot:code:", "statusbot:code:abc", "statusbot:code:-1", "statusbot:code:99999999999999999999", "other:429"} {
		if n, ok := parseCustomID(id); ok {
			t.Errorf("parseCustomID(%q) = %d, true; want false", id, n)
		}
	}
}
