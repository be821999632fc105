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
