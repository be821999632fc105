package slack

import "testing"

func TestStripMention(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"<@UBOT> 429", "  429"},
		{"<@UBOT|statusbot> what is gone", "  what is gone"},
		{"hey <@UBOT> 404 <@UBOT>", "hey   404  "},
		{"<@UBOTTOM> 404", "<@UBOTTOM> 404"}, // another user
		{"<@UBOT", "<@UBOT"},
	}
	for _, tt := range tests {
		if got := stripMention(tt.in, "UBOT"); got != tt.want {
			t.Errorf("stripMention(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
