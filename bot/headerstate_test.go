package bot

import "testing"

func TestHeaderStateTerm(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		// Left out: a word of absence a few words before the header.
		{"a PATCH sent without If-Match", "conditionabsent"},
		{"the client forgot the ETag", "conditionabsent"},
		{"our app never sends an If-Unmodified-Since", "conditionabsent"},
		{"we stream everything when there is no Range header", "rangeabsent"},
		// A Range the server does not act on is as good as none.
		{"the CDN ignores the Range header on that bucket", "rangeabsent"},
		{"our file server doesn't support ranges at all", "rangeabsent"},
		// Did not hold: a stale word before it, a failed match after it.
		{"a stale If-Match on the update", "conditionstale"},
		{"the ETag they sent doesn't match ours", "conditionstale"},
		{"the etag no longer matches", "conditionstale"},
		{"If-None-Match: * and the key already exists", "conditionstale"},
		{"the upload uses If-None-Match: * so it only creates new keys, and this key already exists", "conditionstale"},
		// A negation before a later header is about matching, not sending.
		{"when the client's If-Match doesn't match the current ETag", "conditionstale"},
		// Neither: it held, or the state is about something else.
		{"the ETag still matches", ""},
		{"revalidated with If-None-Match and nothing changed", ""},
		{"served with no-cache and an ETag", ""},
		{"the etag is fine but the old server crashed", ""},
		{"a Range header past the end of the file", ""},
		{"the player supports ranges and asks for the first megabyte", ""},
	} {
		toks := joinIdioms(tokenize(c.text, nil))
		got := ""
		for i := range toks {
			if s := headerStateTerm(toks, i); s != "" {
				got = s
			}
		}
		if got != c.want {
			t.Errorf("headerStateTerm in %q = %q, want %q", c.text, got, c.want)
		}
	}
}
