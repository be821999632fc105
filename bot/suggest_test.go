package bot_test

import "testing"

func TestSuggest(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		typed string
		n     int
		first int
		each  func(code int) bool
	}{
		{"", 25, 404, nil},
		{"4", 25, 404, func(c int) bool { return c/100 == 4 }},
		{"42", 10, 0, func(c int) bool { return c/10 == 42 }},
		{"too many req", 25, 429, nil},
		{"rate limited", 5, 429, nil},
	}
	for _, tt := range tests {
		got := b.Suggest(tt.typed, tt.n)
		if len(got) == 0 || len(got) > tt.n {
			t.Errorf("Suggest(%q, %d) = %d choices", tt.typed, tt.n, len(got))
			continue
		}
		if tt.first != 0 && got[0].Code != tt.first {
			t.Errorf("Suggest(%q)[0] = %v, want %d", tt.typed, got[0], tt.first)
		}
		seen := map[int]bool{}
		for _, c := range got {
			if seen[c.Code] || c.Label == "" || (tt.each != nil && !tt.each(c.Code)) {
				t.Errorf("Suggest(%q) has %v (repeat, empty or off-prefix)", tt.typed, c)
			}
			seen[c.Code] = true
		}
	}
	if got := b.Suggest("", 25); len(got) != 25 {
		t.Errorf("Suggest(\"\", 25) = %d choices, want 25", len(got))
	}
}
