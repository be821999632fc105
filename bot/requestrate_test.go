package bot

import "testing"

// TestRateTerm: a number of requests over a span of time reads as "too
// many"; a number of anything else, or a span without a count, does not.
func TestRateTerm(t *testing.T) {
	for text, want := range map[string]bool{
		"one kiosk sends 400 requests a second":          true,
		"the dashboard shows 300 requests a second":      false,
		"a scraper at 50 req/sec":                        true,
		"they fire 3k calls per minute at the login":     true,
		"it sent thousands of messages each second":      true,
		"the test rig fires 1500 rps":                    true,
		"the bot makes 20 attempts every minute":         true,
		"a script fired 900 logins in a minute":          true,
		"the app sent 40 requests within a second":       true,
		"we handled 900 requests in a minute":            false,
		"the job runs every 30 seconds":                  false,
		"the request took 3 seconds":                     false,
		"we cache it for 5 minutes":                      false,
		"the queue holds 400 messages":                   false,
		"requests per second are shown on the dashboard": false,
	} {
		got := readsSomewhere(text, rateTerm, "toomany")
		if got != want {
			t.Errorf("rateTerm over %q = %v, want %v", text, got, want)
		}
	}
}

// readsSomewhere reports whether the reading read gives word at any of
// text's words, idioms joined.
func readsSomewhere(text string, read func([]string, int) string, word string) bool {
	toks := joinIdioms(tokenize(text, nil))
	for i := range toks {
		if read(toks, i) == word {
			return true
		}
	}
	return false
}
