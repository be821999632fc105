package bot

import "testing"

// TestHiddenTerm: hiding that a thing exists, or denying that one tells
// it, reads as "hiddenexistence"; telling it, or hiding something else,
// does not.
func TestHiddenTerm(t *testing.T) {
	for text, want := range map[string]bool{
		"we pretend the invoice isn't there":                  true,
		"guests shouldn't even know the admin page exists":    true,
		"we'd rather not reveal that the account exists":      true,
		"hide that the repository exists from outsiders":      true,
		"the error page should tell them the file exists":     false,
		"we hide the sidebar on mobile":                       false,
		"confirm the booking exists before charging the card": false,
	} {
		if got := readsSomewhere(text, hiddenTerm, "hiddenexistence"); got != want {
			t.Errorf("hiddenTerm over %q = %v, want %v", text, got, want)
		}
	}
}
