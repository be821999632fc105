package bot

import "testing"

func TestOwnerTerm(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"order 77 belongs to user 2", true},
		{"an invoice that belongs to another tenant", true},
		{"a lock owned by a different principal", true},
		{"delete someone else's comment", true},
		{"another user's private data", true},
		// The caller's own, whose it is in general, or no one's.
		{"the bucket already exists and belongs to them", false},
		{"each smart lock belongs to a household", false},
		{"try another time", false},
		{"other users see the page", false},
	} {
		if got := readsAs(ownerTerm, c.text, otherOwner); got != c.want {
			t.Errorf("ownerTerm in %q = %v, want %v", c.text, got, c.want)
		}
	}
}
