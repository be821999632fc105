package bot

import (
	"slices"
	"testing"
)

// TestIdioms: ways of saying one thing in several words read as its one
// word, so that stopwords do not take the words that carry the meaning.
func TestIdioms(t *testing.T) {
	for text, want := range map[string]string{
		"the server doesn't know PATCH at all":       "atall",
		"PUT is refused on any URL":                  "anywhere",
		"the body isn't parseable JSON":              "unparseable",
		"a body that is not valid JSON":              "invalid",
		"the JSON parses fine but the age is -3":     "wellformed",
		"an otherwise valid booking request":         "wellformed",
		"quantity is -5 but the JSON itself is fine": "wellformed",
		"the payload was valid, the date was not":    "wellformed",
		"a pre-signed download link":                 "presigned",
		"send them to the login page just this once": "temporarily",
		"codes that send you somewhere else":         "elsewhere",
		"the client takes far too long":              "timeout",
		"the upload is much too big":                 "toolarge",
		"bytes after the end of the mp3 file":        "beyond",
		"a range past the end of the file":           "beyond",
		"v2 is never coming back":                    "gone",
		"the page won't come back":                   "gone",
		"the old coupon page will not come back":     "gone",
		"a SKU that is already in the catalog":       "duplicate",
		"a visit date already in the past":           "past",
		"a DELETE for a comment already deleted":     "nonexistent",
		"the page is not existing, what status":      "nonexistent",
		"the voucher has already been removed":       "nonexistent",
		"closing time before opening makes no sense": "invalid",
		"the dates it sent didn't make sense":        "invalid",
		"an update that needs no reply body":         "nocontent",
		"a PUT w/o an If-Match header":               "without",
	} {
		if got := joinIdioms(tokenize(text, nil)); !slices.Contains(got, want) {
			t.Errorf("joinIdioms(%q) = %q, want it to hold %q", text, got, want)
		}
	}
}
