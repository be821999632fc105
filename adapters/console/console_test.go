package console_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/console"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(cat, bot.Options{})
}

func TestRunAnswersEachLineAndStopsAtEOF(t *testing.T) {
	var out bytes.Buffer
	in := strings.NewReader("429\nwhat is gone\n4xx\n")
	if err := console.Run(context.Background(), newBot(t), in, &out, false); err != nil {
		t.Fatalf("Run: %v", err)
	}
	got := out.String()
	for _, want := range []string{"429 Too Many Requests", "410 Gone", "4xx: Client error responses", "404 Not Found"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunStopsWhenContextIsDone(t *testing.T) {
	pr, pw := io.Pipe() // input that never ends
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- console.Run(ctx, newBot(t), pr, io.Discard, true) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestTextShowsEveryPart(t *testing.T) {
	b := newBot(t)
	got := console.Text(b.Answer("429"))
	for _, want := range []string{"429 Too Many Requests", "Class: 4xx", "Specification: RFC 6585, Section 4", "Retry-After", "MDN: https://"} {
		if !strings.Contains(got, want) {
			t.Errorf("Text(429) lacks %q:\n%s", want, got)
		}
	}
	if got := console.Text(b.Answer("too many requets")); !strings.Contains(got, "Did you mean:") {
		t.Errorf("Text of a ranked answer offers no suggestions:\n%s", got)
	}
}

func TestTextWrapsProseForATerminal(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{"429", "401 vs 403", "4xx", "help"} {
		for _, line := range strings.Split(console.Text(b.Answer(q)), "\n") {
			if n := len([]rune(line)); n > 80 && strings.Contains(strings.TrimSpace(line), " ") {
				t.Errorf("Text(%q) has a %d-column line: %q", q, n, line)
			}
		}
	}
}
