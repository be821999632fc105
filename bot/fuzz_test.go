package bot_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/statusbot/statusbot/bot"
)

// FuzzAnswer: any string gets a well-formed answer, quickly, without panicking.
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{
		"429", "!http 404", "HTTP/1.1 502 Bad Gateway", "what is gone", "too many requets", "4xx", "41x",
		"401 vs 403", "difference between gone and not found", "rate limited", "help", "", "random",
		"\xff\xfe", "\u202e\u200b429", "@everyone <!channel>", "99999999999", "4**", "500s", "400-499",
		// The readings and number rules look a few words either side:
		// their words at a text's very ends.
		"gave up", "the client timed out", "didn't send If-Match", "ETag changed", "Accept: JSON only",
		"too big", "40 cookies", "request line too long", "no widget 7", "never created", "finds nothing",
		"isn't in the bucket", "belongs to", "someone else's", "another user's", "for two days",
		"307 over 302", "400 instead of 422", "| 404 |", "~300 group", "dial tcp: connection refused",
		"don't just return 200", "that's wrong", "our code",
	} {
		f.Add(s)
	}
	b := newBot(f)
	f.Fuzz(func(t *testing.T, q string) {
		start := time.Now()
		a := b.Answer(q)
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("Answer(%q) took %v", q, d)
		}
		if a == nil || a.Kind == "" || a.Title == "" {
			t.Fatalf("Answer(%q) = %+v", q, a)
		}
		if len(a.Query) > bot.MaxQueryLen*4 || !utf8.ValidString(a.Query) || !utf8.ValidString(a.Text) {
			t.Errorf("Answer(%q): query %d bytes, valid UTF-8 %v", q, len(a.Query), utf8.ValidString(a.Text))
		}
		switch a.Kind {
		case bot.KindStatus, bot.KindSearch:
			if len(a.Codes) == 0 || a.Official == nil || a.Phrase == "" || len(a.Choices) > bot.MaxChoices {
				t.Errorf("Answer(%q) = %+v", q, a)
			}
		case bot.KindCompare:
			if len(a.Codes) < 2 {
				t.Errorf("Answer(%q): compare of %v", q, a.Codes)
			}
		case bot.KindClass:
			if a.Class < 1 || a.Class > 5 {
				t.Errorf("Answer(%q): class %d", q, a.Class)
			}
		}
	})
}
