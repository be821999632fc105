package relay

import (
	"strings"
	"testing"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"Too Many Requests", 17, "Too Many Requests"},
		{"Too Many Requests", 10, "Too Many…"}, // no space before the ellipsis
		{"🙂🙂🙂", 4, "🙂…"},                       // an emoji is two UTF-16 units: never half of one
		{"é漢字", 2, "é…"},
		{"\xff\xfe\xfdabc", 3, "\uFFFD…"}, // what is kept is valid UTF-8
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.limit); got != tt.want || Width(got) > tt.limit {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
	if Width("a🙂é") != 4 || !Fits("🙂🙂", 4) || Fits("🙂🙂🙂", 5) || Fits(strings.Repeat("x", 31), 10) {
		t.Error("Width or Fits miscounts")
	}
}

func TestPasted(t *testing.T) {
	tests := []struct {
		limit int
		in    []string
		want  string
	}{
		{100, []string{" 502 Bad Gateway\n", "", "  ", "upstream timed out"}, "502 Bad Gateway\nupstream timed out"},
		{5, []string{"abcdefgh", "ij"}, "abcdef"}, // a byte past the limit: the reader can tell
		{5, []string{"abc", "defgh"}, "abc\nde"},
		{5, []string{"abcdef", "gh"}, "abcdef"},
		{5, nil, ""},
	}
	for _, tt := range tests {
		if got := Pasted(tt.limit, tt.in...); got != tt.want {
			t.Errorf("Pasted(%d, %q) = %q, want %q", tt.limit, tt.in, got, tt.want)
		}
	}
}
