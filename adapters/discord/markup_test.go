package discord

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"429 Too Many Requests", "429 Too Many Requests"},
		{"**bold** _it_ ~~s~~ `c` ||sp||", `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`" + `c\` + "`" + ` \|\|sp\|\|`},
		{"[x](https://evil.example)", `\[x\](https://evil.example)`},
		{"<@123> <#1> <t:1:R> @everyone", `\<@123> \<#1> \<t:1:R> @everyone`},
		{"# h\n- item\n> quote\nRetry-After > 0 # no", "\\# h\n\\- item\n\\> quote\nRetry-After > 0 # no"},
		{`back\slash`, `back\\slash`},
		{"  - indented", `  \- indented`},
	}
	for _, tt := range tests {
		if got := escape(tt.in, -1); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEscapeCut: an escape sequence is never cut in half (relay's tests
// cover the cutting of plain text).
func TestEscapeCut(t *testing.T) {
	if got := escape("a***", 4); got != `a\*…` {
		t.Errorf(`escape("a***", 4) = %q, want %q`, got, `a\*…`)
	}
}

// TestEscapeLines: text of several lines too long for its limit keeps its
// whole lines, escaped, then "…"; text that fits, or one long line, is as
// escape leaves it.
func TestEscapeLines(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"a: 1\nb: 2", 20, "a: 1\nb: 2"},
		{"a: 1\n- b: 2\nc: 3", 14, "a: 1\n\\- b: 2\n…"},
		{"aaaa\nbbbb\ncccc", 9, "aaaa\n…"},
		{"aaaaaaaaaa\nb", 6, "aaaaa…"}, // the first line alone is too long: cut
		{"**********", 6, `\*\*…`},     // one line: escape's cut
	}
	for _, tt := range tests {
		got := escapeLines(tt.in, tt.limit)
		if got != tt.want {
			t.Errorf("escapeLines(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
		if n := len([]rune(got)); n > tt.limit {
			t.Errorf("escapeLines(%q, %d) is %d long", tt.in, tt.limit, n)
		}
	}
}
