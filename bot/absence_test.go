package bot

import "testing"

func TestAbsenceTerm(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		// The thing asked for is not there.
		{"there's no widget 7", true},
		{"no user with id 42 in the table", true},
		{"a file name that isn't in the folder", true},
		{"a customer id that is not in the database", true},
		{"a lookup by email that finds nobody", true},
		{"the slug matches no page", true},
		{"a coupon that was never issued", true},
		{"the record does not exist", true},
		{"the chain has no branch with that number", true},
		{"a bin that was never set up", true},
		{"the package is not in the registry", true},
		// Something else is missing, or the thing is there.
		{"a search by title that finds nothing", false},
		{"the query matched no rows", false},
		{"the revalidation finds nothing changed", false},
		{"ingress finds no ready endpoints", false},
		{"the product is not in the catalogue anymore", false},
		{"write the config only if it doesn't exist yet", false},
		{"a page with no details 3 or 4 times a day", false},
		{"an etag, and on reload the server answers", false},
		{"request sent with no token", false},
		{"nothing to return, so no body", false},
		{"a form with no field for that number", false},
		{"we never set the header", false},
	} {
		if got := readsAs(absenceTerm, c.text, resourceAbsent); got != c.want {
			t.Errorf("absenceTerm in %q = %v, want %v", c.text, got, c.want)
		}
	}
}

// readsAs tells whether read gives word at some word of text.
func readsAs(read func(toks []string, i int) string, text, word string) bool {
	toks := joinIdioms(tokenize(text, nil))
	for i := range toks {
		if read(toks, i) == word {
			return true
		}
	}
	return false
}
