package bot_test

import (
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		typed  string
		n      int
		typed1 bool // the text as typed is offered first
		first  int  // the first code offered (0: any)
		each   func(code int) bool
	}{
		{"", 25, false, 404, nil},
		{"4", 25, false, 404, func(c int) bool { return c/100 == 4 }},
		{"42", 10, false, 0, func(c int) bool { return c/10 == 42 }},
		{"429", 25, false, 429, nil},
		{"too many requests", 25, false, 429, nil},
		{"rate limited", 5, false, 429, nil},
		{"too many req", 25, false, 429, nil}, // half a name still finds 429
		{"4xx", 25, true, 400, func(c int) bool { return c/100 == 4 }},
		{"401 vs 403", 25, true, 401, nil},
		{"help", 25, true, 0, nil},
	}
	for _, tt := range tests {
		got := b.Suggest(tt.typed, tt.n)
		if len(got) == 0 || len(got) > tt.n {
			t.Errorf("Suggest(%q, %d) = %d choices", tt.typed, tt.n, len(got))
			continue
		}
		if asTyped := got[0].Code == 0; asTyped != tt.typed1 || (asTyped && got[0].Label != strings.TrimSpace(tt.typed)) {
			t.Errorf("Suggest(%q)[0] = %v; want the typed text first: %v", tt.typed, got[0], tt.typed1)
		}
		codes := got
		if tt.typed1 {
			codes = got[1:]
		}
		if tt.first != 0 && (len(codes) == 0 || codes[0].Code != tt.first) {
			t.Errorf("Suggest(%q) = %v, want %d as the first code", tt.typed, got, tt.first)
		}
		seen := map[int]bool{}
		for _, c := range codes {
			if c.Code == 0 || seen[c.Code] || c.Label == "" || (tt.each != nil && !tt.each(c.Code)) {
				t.Errorf("Suggest(%q) has %v (typed text again, repeat, empty or off-prefix)", tt.typed, c)
			}
			seen[c.Code] = true
		}
	}
	if got := b.Suggest("", 25); len(got) != 25 {
		t.Errorf("Suggest(\"\", 25) = %d choices, want 25", len(got))
	}
	if got := b.Suggest("4xx", 1); len(got) != 1 || got[0].Code != 0 {
		t.Errorf("Suggest(\"4xx\", 1) = %v, want only the typed text", got)
	}
	if got := b.Suggest(" \xff4xx ", 3); len(got) == 0 || got[0].Label != "\uFFFD4xx" {
		t.Errorf("Suggest of invalid UTF-8 = %v, want the typed text made valid and trimmed", got)
	}
}
