package bot

import "testing"

// TestTellsDuplicate: a text telling of something sent or made again is
// told apart from one about code or data, and from one with no repeat.
func TestTellsDuplicate(t *testing.T) {
	for s, want := range map[string]bool{
		"the same invoice number posted twice":           true,
		"a username that's already taken":                true,
		"the second webhook delivery is a duplicate":     true,
		"how do I remove duplicates from an array in go": false,
		"a SQL query that lists duplicate orders":        false,
		"a new invoice number posted once":               false,
	} {
		if got := tellsDuplicate(tokenize(s, nil)); got != want {
			t.Errorf("tellsDuplicate(%q) = %v, want %v", s, got, want)
		}
	}
}
