package bot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
	"github.com/statusbot/statusbot/internal/golden"
)

// goldenQueries are representative questions of every kind, in every form a
// user asks them. Their whole answers (the JSON contract and everything an
// adapter renders) are pinned in testdata/answers.golden.
var goldenQueries = []string{
	// Numbers, in any wrapping.
	"429", "!http 404", "/http 503", "HTTP/1.1 502 Bad Gateway", "what does 418 mean?", "**301**",
	// Names, typos and free text.
	"gone", "too many requests", "I’m a teapot", "not fonud", "unauthorised", "gatway timeout",
	"rate limited", "user not logged in", "file upload too big",
	// Situations, with the catalogue's reason and, where experts split, the other code.
	"which code when a coupon has already been redeemed", "maintenance window tonight, what should the api return",
	"user tries to read another user's invoice", "duplicate email on signup, status?",
	// Pasted errors, constants and log lines.
	"rails ActiveRecord::RecordNotFound", "StatusServiceUnavailable", "HttpStatus.UNPROCESSABLE_ENTITY",
	"ERROR 2026/12/01 10:00:01 upstream prematurely closed connection while reading response header from upstream, client: 10.0.0.5",
	`{"error":"invalid_grant","error_description":"refresh token expired"}`,
	// Vendor codes.
	"nginx 444", "cloudflare 520", "enhance your calm",
	// Classes, masks and ranges.
	"4xx", "41x", "500s", "400-499", "redirects", "1xx",
	// Comparisons, with and without a curated note.
	"401 vs 403", "difference between gone and not found", "301 vs 302 vs 307 vs 308", "201 vs 418",
	// Numbers no one defines, and numbers that are not status codes.
	"299", "!http 600", "42", "99999999999999999999999",
	// Help, random, nothing found, refusals and hostile input.
	"help", "", "random", "zzqxj", "banana", "cors error", strings.Repeat("too long ", bot.MaxQueryLen/8),
	"@everyone <!channel> **429**", "\xff\xfe 404",
}

// TestGoldenAnswers pins the core's answers. When an answer changes on
// purpose, run `go test ./bot -run GoldenAnswers -update` and review the diff.
func TestGoldenAnswers(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(cat, bot.Options{Images: bot.ImagesCat, Rand: func(n int) int { return n / 2 }})
	var got bytes.Buffer
	write := func(title string, a any) {
		out, err := json.MarshalIndent(a, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&got, "=== %s\n%s\n\n", title, out)
	}
	for _, q := range goldenQueries {
		write(fmt.Sprintf("Answer(%q)", q), b.Answer(q))
	}
	write("AnswerCode(404)", b.AnswerCode(404))
	write("AnswerCode(299)", b.AnswerCode(299))
	write(`RateLimitedAnswer("429")`, b.RateLimitedAnswer("429"))
	write(`Suggest("4", 5)`, b.Suggest("4", 5))
	write(`Suggest("4xx", 4)`, b.Suggest("4xx", 4))

	golden.Check(t, filepath.Join("testdata", "answers.golden"), got.Bytes())
}
