package bot

import "testing"

// TestRateTerm: a number of requests over a span of time reads as "too
// many"; a number of anything else, or a span without a count, does not.
func TestRateTerm(t *testing.T) {
	for text, want := range map[string]bool{
		"one kiosk sends 400 requests a second":          true,
		"a scraper at 50 req/sec":                        true,
		"they fire 3k calls per minute at the login":     true,
		"thousands of messages each second":              true,
		"the test rig pushes 1500 rps":                   true,
		"the bot makes 20 attempts every minute":         true,
		"the job runs every 30 seconds":                  false,
		"the request took 3 seconds":                     false,
		"we cache it for 5 minutes":                      false,
		"the queue holds 400 messages":                   false,
		"requests per second are shown on the dashboard": false,
	} {
		toks := joinIdioms(tokenize(text, nil))
		got := false
		for i := range toks {
			if rateTerm(toks, i) == "toomany" {
				got = true
			}
		}
		if got != want {
			t.Errorf("rateTerm over %q = %v, want %v", text, got, want)
		}
	}
}
