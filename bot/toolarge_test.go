package bot

import "testing"

func TestSizeTerm(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		// The part named before the size word, in the same clause.
		{"the session cookie got too large", "headertoolarge"},
		{"request body exceeds our 10 MB cap", "bodytoolarge"},
		{"the query string is way too long", "uritoolong"},
		{"the request line is bigger than the buffer", "uritoolong"},
		{"Request Header Fields Too Large", "headertoolarge"},
		// Or just after "too large", "too long", "oversized".
		{"client sent too long header line", "headertoolarge"},
		{"client intended to send too large body", "bodytoolarge"},
		{"oversized request headers", "headertoolarge"},
		// The nearest part is the one too large.
		{"the upload fails because the cookie is too big", "headertoolarge"},
		{"the token in the URL is too long", "uritoolong"},
		// Cookies and headers counted by the dozen.
		{"a browser accumulated 40 cookies", "headertoolarge"},
		{"dozens of cookies on the domain", "headertoolarge"},
		{"too many custom headers", "headertoolarge"},
		// Neither: a part said not to be it, a response's part, a part of
		// another clause, nothing too large, a small count.
		{"it's not the body that is too large", ""},
		{"upstream sent too big header while reading the response", ""},
		{"the response headers are too large", ""},
		{"the body is fine but it is too large", ""},
		{"rate limit exceeded", ""},
		{"the body doesn't exceed the limit", ""},
		{"two Content-Length headers that disagree", ""},
		{"the file is only 8 MB long", ""},
	} {
		toks := joinIdioms(tokenize(c.text, nil))
		got := ""
		for i := range toks {
			if s := sizeTerm(toks, i); s != "" {
				got = s
			}
		}
		if got != c.want {
			t.Errorf("sizeTerm in %q = %q, want %q", c.text, got, c.want)
		}
	}
}
