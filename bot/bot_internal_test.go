package bot

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/catalog"
)

// loadedBot is a Bot over the embedded catalogue, for the tests inside the
// package that read its index.
func loadedBot(t testing.TB) *Bot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return New(cat, Options{})
}

// tuningBot is a Bot over the embedded catalogue without the example
// questions that come from the development corpus (catalog/asked.json).
func tuningBot(t testing.TB) *Bot {
	t.Helper()
	paths, err := filepath.Glob("testdata/corpus/dev*.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return botWithoutQuestionsOf(t, paths...)
}

// botWithoutQuestionsOf is a Bot over the embedded catalogue without the
// example questions that the corpus files at paths ask: the tools that fit
// the core's numbers on a part must not find its own questions in the
// index, as the core will not find a user's.
func botWithoutQuestionsOf(t testing.TB, paths ...string) *Bot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]bool{}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			q, _, _ := strings.Cut(line, "\t")
			asked[q] = true
		}
	}
	for _, c := range cat.Codes() {
		c.Questions = slices.DeleteFunc(c.Questions, func(q string) bool { return asked[q] })
	}
	return New(cat, Options{})
}

// TestIsHowTo: a question that asks how to do something, or what a thing
// is, is told from one that asks for a status in the same words ("what's
// the status for ...").
func TestIsHowTo(t *testing.T) {
	for q, want := range map[string]bool{
		"what is REST": true,
		"what's the best way to log errors in go":                          true,
		"how do I install nginx":                                           true,
		"what's the status for creating a user via POST when we return it": false,
		"what is the right code when the upload never finishes":            false,
		"whats the response when a webhook signature does not match":       false,
		"which status when a coupon was already redeemed":                  false,
		"how should the server respond when a kiosk sends an unknown id":   false,
		"how should we answer a second vote from the same account":         false,
		"how should I structure my error JSON":                             true,
	} {
		if got := isHowTo(tokenize(q, nil)); got != want {
			t.Errorf("isHowTo(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestGreetingsAreNoise: a greeting or a form of address ("yo", "hola",
// "bro") says nothing about the situation, so it neither weighs against
// an answer nor steers one.
func TestGreetingsAreNoise(t *testing.T) {
	b := tuningBot(t)
	for _, q := range []string{
		"yo, app asks for /api/feed and we have the data, normal response. which code?",
		"hola bro, the client sent JSON to an endpoint that only takes XML, what do we answer?",
	} {
		plain := b.Answer(q[strings.Index(q, ",")+1:])
		if a := b.Answer(q); a.Kind != plain.Kind || !slices.Equal(a.Codes, plain.Codes) {
			t.Errorf("Answer(%q) = %s %v, but without the greeting %s %v", q, a.Kind, a.Codes, plain.Kind, plain.Codes)
		}
	}
}

// leadsWith fails t unless b answers each question with its code first,
// as a found answer.
func leadsWith(t *testing.T, b *Bot, want map[string]int) {
	t.Helper()
	for q, code := range want {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Kind == KindNotFound || a.Codes[0] != code {
			t.Errorf("Answer(%q) = %s %v, want %d first", q, a.Kind, a.Codes, code)
		}
	}
}
