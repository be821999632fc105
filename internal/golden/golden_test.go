package golden

import "testing"

func TestFirstDiff(t *testing.T) {
	for _, tt := range []struct{ got, want, diff string }{
		{"a\nb\nc\n", "a\nx\nc\n", "line 2 is\n\tb\nwant\n\tx"},
		{"a", "a\nb", "1 lines, want 2"},
	} {
		if d := firstDiff([]byte(tt.got), []byte(tt.want)); d != tt.diff {
			t.Errorf("firstDiff(%q, %q) = %q, want %q", tt.got, tt.want, d, tt.diff)
		}
	}
}
