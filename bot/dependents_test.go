package bot

import "testing"

// TestDeletesWithDependents: a deletion refused because the thing still
// has what depends on it is a conflict, 409.
func TestDeletesWithDependents(t *testing.T) {
	leadsWith(t, tuningBot(t), map[string]int{
		"an admin deletes a course that still has enrolled students, what should the api return?": 409,
		"the api is asked to delete a warehouse that still holds pallets, which status?":          409,
	})
	for s, want := range map[string]bool{
		"delete a tag that still has posts on it":                      true,
		"a vet removed the slot and the app still calls GET /slots/12": false,
		"the delete worked and the list is empty":                      false,
	} {
		if got := deletesWithDependents(tokenize(s, nil)); got != want {
			t.Errorf("deletesWithDependents(%q) = %v, want %v", s, got, want)
		}
	}
}
