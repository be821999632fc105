package bot_test

import (
	"runtime"
	"testing"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

func benchAnswer(b *testing.B, queries ...string) {
	bt := newBot(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if a := bt.Answer(queries[i%len(queries)]); a.Kind == "" {
			b.Fatal("empty answer")
		}
	}
}

func BenchmarkNumeric(b *testing.B) { benchAnswer(b, "429", "!http 404", "HTTP 503") }

func BenchmarkName(b *testing.B) {
	benchAnswer(b, "too many requests", "what is gone", "payload too large")
}

func BenchmarkTypo(b *testing.B) {
	benchAnswer(b, "too many requets", "not fonud", "unauthorised")
}

func BenchmarkFreeText(b *testing.B) {
	benchAnswer(b, "user not logged in", "server down for maintenance", "file upload too big", "rate limited?")
}

func BenchmarkCompare(b *testing.B) { benchAnswer(b, "401 vs 403", "unauthorized vs forbidden") }

// startUp is what start-up does: parse the embedded catalogue and build
// the core's index.
func startUp(b *testing.B) *bot.Bot {
	cat, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	return bot.New(cat, bot.Options{})
}

// BenchmarkLoadAndIndex is start-up: parse the embedded catalogue and build the core's index.
func BenchmarkLoadAndIndex(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		startUp(b)
	}
}

// BenchmarkStartAndFirstAnswer is start-up and the first free-text answer
// after it, a misspelt one, so that it includes what the core builds on
// first use for such a question (the typo table, the answer's text).
func BenchmarkStartAndFirstAnswer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if a := startUp(b).Answer("server down for maintenence, what do we send"); a.Kind != bot.KindSearch {
			b.Fatalf("kind %q, want %q", a.Kind, bot.KindSearch)
		}
	}
}

// TestNumberAndNameAllocs guards what keeps numbers and names under a
// microsecond: the query's words stay on the stack, and a lone code is
// read once. A word list that escapes (passing it through a function
// value did) costs 512 bytes more on every query, about 990 bytes instead
// of 480; tokenizing a code again to look for a quoting signature cost
// 110 (584), and 0.25 µs. About 475 bytes today, 510 under -race.
func TestNumberAndNameAllocs(t *testing.T) {
	bt := newBot(t)
	for _, queries := range [][]string{{"429", "!http 404", "HTTP 503"}, {"too many requests", "what is gone", "payload too large"}} {
		for _, q := range queries {
			bt.Answer(q) // built once, on first use
		}
		const runs = 200
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range runs {
			for _, q := range queries {
				bt.Answer(q)
			}
		}
		runtime.ReadMemStats(&after)
		if perQuery := (after.TotalAlloc - before.TotalAlloc) / (runs * uint64(len(queries))); perQuery > 560 {
			t.Errorf("%q allocate %d bytes a query, want at most 560", queries, perQuery)
		}
	}
}
