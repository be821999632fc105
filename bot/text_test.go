package bot

import (
	"strings"
	"testing"
)

// TestStemMeetsIrregularPasts: a story's past form and a situation's
// present one meet at one stem, and the forms that are words of their own
// here stay apart.
func TestStemMeetsIrregularPasts(t *testing.T) {
	for past, present := range map[string]string{"sent": "sends", "took": "takes", "gave": "gives", "hidden": "hides", "paid": "pays", "thrown": "throws"} {
		if stem(past) != stem(present) {
			t.Errorf("stem(%q) = %q, stem(%q) = %q: want one stem", past, stem(past), present, stem(present))
		}
	}
	for past, other := range map[string]string{"found": "finds", "gone": "goes", "left": "leaves", "stuck": "sticky", "forbidden": "forbids"} {
		if stem(past) == stem(other) {
			t.Errorf("stem(%q) = stem(%q) = %q: want them apart", past, other, stem(past))
		}
	}
}

// TestTokenizeQueryParameters: "?name=" and "&name=" in a URL read as a
// query parameter, as the catalogue calls it; a question mark that ends a
// sentence does not.
func TestTokenizeQueryParameters(t *testing.T) {
	for s, want := range map[string]string{
		"GET /orders?page=-3":         "getmethod orders query parameter page negative 3",
		"/search?q=x&sort_by=date":    "search query parameter q x query parameter sort by date",
		"which status? page=2 please": "which status page 2 please",
		"what now?":                   "what now",
	} {
		if got := strings.Join(tokenize(s, nil), " "); got != want {
			t.Errorf("tokenize(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestAmericanSpelling: a British spelling finds the catalogue's American
// word, and a word that only ends the same way is left alone.
func TestAmericanSpelling(t *testing.T) {
	idx := loadedBot(t).idx
	for british, american := range map[string]string{"authorised": "authorized", "behaviour": "behavior", "licence": "license", "cancelled": "canceled", "normalised": "normalized", "centre": "center"} {
		if got, want := idx.americanSpelling(british), idx.queryStem(american); got != want {
			t.Errorf("americanSpelling(%q) = %q, want %q", british, got, want)
		}
	}
	for _, w := range []string{"tour", "premise", "sequence"} {
		if got := idx.americanSpelling(w); got != "" {
			t.Errorf("americanSpelling(%q) = %q, want nothing", w, got)
		}
	}
}

// TestTellsSuccess: a story of a request that went well, and nothing else,
// is told apart from one where something went wrong after all.
func TestTellsSuccess(t *testing.T) {
	for s, want := range map[string]bool{
		"login ok, sending back the access token":           true,
		"comment posted successfully, what do I return":     true,
		"healthcheck says db and cache all good":            true,
		"login ok but the token is expired":                 false,
		"the upload failed, what do I return":               false,
		"the request wasn't ok":                             false,
		"which code when the coupon was already redeemed":   false,
		"signup worked, yet the email already exists there": false,
	} {
		if got := tellsSuccess(tokenize(s, nil)); got != want {
			t.Errorf("tellsSuccess(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestTemporarySpans: a stretch of time something lasts for reads as
// "temporarily", and "for" followed by anything else does not.
func TestTemporarySpans(t *testing.T) {
	for s, want := range map[string]bool{
		"redirect shoppers just for today":              true,
		"send them to the mirror for the next two days": true,
		"point it at the old site for 48 hours":         true,
		"until tomorrow the docs live elsewhere":        true,
		"what code for a missing user":                  false,
		"for the sake of it":                            false,
		"we waited for two people":                      false,
	} {
		got := joinIdioms(tokenize(s, nil))
		if has := strings.Contains(" "+strings.Join(got, " ")+" ", " temporarily "); has != want {
			t.Errorf("joinIdioms(%q) = %q: temporarily %v, want %v", s, got, has, want)
		}
	}
}

// TestBlamesServer: a text that puts the fault in the server's own code or
// setup is told apart from one that only says "our".
func TestBlamesServer(t *testing.T) {
	for s, want := range map[string]bool{
		"my handler just has a typo in a variable name and dies": true,
		"a bug in our own code":                                  true,
		"our deployment shipped without the templates folder":    true,
		"our users upload huge files":                            false,
		"the client code sends a broken body":                    false,
	} {
		if got := blamesServer(tokenize(s, nil)); got != want {
			t.Errorf("blamesServer(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestNullReference: .NET's "null reference" is Java's "null pointer".
func TestNullReference(t *testing.T) {
	for _, s := range []string{"an unexpected null reference", "a null pointer", "a null ref in the handler"} {
		if got := joinIdioms(tokenize(s, nil)); !strings.Contains(strings.Join(got, " "), "nullpointer") {
			t.Errorf("joinIdioms(%q) = %q, want nullpointer", s, got)
		}
	}
}

// TestRateLimiter: a rate limiter is a rate limit, as the catalogue says.
func TestRateLimiter(t *testing.T) {
	for _, s := range []string{"we added a rate limiter", "the ratelimiter kicked in", "rate limited again"} {
		if got := joinIdioms(tokenize(s, nil)); !strings.Contains(strings.Join(got, " "), "ratelimit") {
			t.Errorf("joinIdioms(%q) = %q, want ratelimit", s, got)
		}
	}
}

// TestUsernameWords: a screen name and a gamer tag are one word each, of
// the username's synonym group.
func TestUsernameWords(t *testing.T) {
	for s, want := range map[string]string{"screen name already in use": "screenname", "gamer tag taken": "gamertag"} {
		if got := joinIdioms(tokenize(s, nil)); !strings.Contains(strings.Join(got, " "), want) {
			t.Errorf("joinIdioms(%q) = %q, want %s", s, got, want)
		}
	}
}

// TestAsksForAnother: a text doubting the code it mentions, telling the
// code sent now before asking what it should be, or ruling a code out
// ("not 500"), asks for another code; a text asking what a mentioned code
// means does not. Even a short one is then a situation ("resource deleted
// forever, not 404").
func TestAsksForAnother(t *testing.T) {
	for s, want := range map[string]bool{
		"the logs show 404 for it and that seems strange":           true,
		"it returns 200 with an error body, is there a better code": true,
		"the backend throws a 500 for it, what should it be":        true,
		"the API returns 404 here, what should the client get":      true,
		"the endpoint answers 410, should we stop sending":          false,
		"what does 410 mean for our webhooks":                       false,
		"should we return 404 for a missing user":                   false,
		"we send 400 for it, is there a more specific code":         true,
		"every error is a 200 here, what should it really be":       true,
		"what does 499 actually mean":                               false,
		"which specific code does 499 stand for":                    false,
		"duplicate username on signup, not 500":                     true,
		"the redirect is 308 and not 301, what does it mean":        false,
	} {
		if got := asksForAnother(tokenize(s, nil)); got != want {
			t.Errorf("asksForAnother(%q) = %v, want %v", s, got, want)
		}
	}
	if a := loadedBot(t).Answer("resource deleted forever, not 404"); len(a.Codes) == 0 || a.Codes[0] != 410 {
		t.Errorf("Answer(resource deleted forever, not 404) = %s %v, want 410 first", a.Kind, a.Codes)
	}
}

// TestAsksSomethingElse: asking how to do something, who should, or a
// favour of someone asks for no status.
func TestAsksSomethingElse(t *testing.T) {
	for s, want := range map[string]bool{
		"the webhook works, how do I write a test for it":                                                             true,
		"the repo was created, who should get access":                                                                 true,
		"it already ran twice, can someone look at the logs":                                                          true,
		"does anyone know a good CSV library":                                                                         true,
		"the webhook works, what status should it return":                                                             false,
		"a user who is logged in opens the admin page":                                                                false,
		"the same order was posted twice, which code":                                                                 false,
		"anyone know what code the splash page should use":                                                            false,
		"can someone tell me which status fits a sold item":                                                           false,
		"can someone tell me what the logs say":                                                                       true,
		"anyone know what we send when a key spams us":                                                                false,
		"anyone know: the partner posts json cut in half, the body isn't valid at all. which status do we send back?": false,
		"can someone explain liveness vs readiness probes? not asking about what they return":                         true,
	} {
		if got := asksSomethingElse(tokenize(s, nil)); got != want {
			t.Errorf("asksSomethingElse(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSpellLexicon: a word of the readings misspelt by a letter left out
// or two letters swapped is corrected; a word one letter longer or with
// one letter changed is as often another word and is left alone.
func TestSpellLexicon(t *testing.T) {
	for w, want := range map[string]string{
		"alredy":  "already",
		"alraedy": "already",
		"bother":  "",
		"charged": "",
	} {
		if got := spellLexicon(w); got != want {
			t.Errorf("spellLexicon(%q) = %q, want %q", w, got, want)
		}
	}
}
