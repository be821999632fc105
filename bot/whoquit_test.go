package bot

import "testing"

func TestActorTerm(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		// The side that waits for another is the one that quits.
		{"nginx waited the full 60s for php-fpm to answer and gave up", "proxyquit"},
		{"the user gave up waiting for nginx", "clientquit"},
		{"the server got bored of the slow upload and hung up", "serverquit"},
		{"the alb idle timeout is 60s", "proxyquit"},
		{"a mobile client's timeout ends the request", "clientquit"},
		// A side after a preposition is waited on, not the one waiting.
		{"after a minute on the backend it gave up", ""},
		// Another clause's side did not quit.
		{"the client sent everything but it timed out", ""},
		{"it simply gave up", ""},
	} {
		toks := joinIdioms(tokenize(c.text, nil))
		got := ""
		for i := range toks {
			if a := actorTerm(toks, i); a != "" {
				got = a
			}
		}
		if got != c.want {
			t.Errorf("actorTerm in %q = %q, want %q", c.text, got, c.want)
		}
	}
}
