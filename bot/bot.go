// Package bot is statusbot's command core: it turns the raw text of a question
// into a platform-neutral Answer. It knows nothing of chat platforms.
package bot

import (
	"math/rand/v2"

	"github.com/statusbot/statusbot/catalog"
)

// MaxQueryLen is the longest query, in bytes, the core will read: room for
// a long chat message or a pasted error. Longer input gets a short refusal
// without being scanned.
const MaxQueryLen = 2000

// Images selects the optional picture attached to code answers.
type Images string

// The picture sets.
const (
	ImagesNone Images = "none"
	ImagesCat  Images = "cat"
	ImagesDog  Images = "dog"
)

// Options tune the core.
type Options struct {
	Images Images
	// Rand picks the code for "random"; nil means a per-call random source.
	Rand func(n int) int
}

// Bot answers questions from one catalogue. It is safe for concurrent use.
type Bot struct {
	cat  *catalog.Catalog
	opts Options
	idx  *index
	// trace, when set by a calibration test, sees every retrieval.
	trace func(query string, words []string, q question, r ranking)
}

// New returns a Bot over cat.
func New(cat *catalog.Catalog, opts Options) *Bot {
	if opts.Rand == nil {
		opts.Rand = rand.IntN
	}
	b := &Bot{cat: cat, opts: opts}
	b.idx = buildIndex(b)
	return b
}

// Catalog returns the catalogue the bot answers from.
func (b *Bot) Catalog() *catalog.Catalog { return b.cat }

// Answer answers one raw query, exactly as the user typed it (prefixes such as
// "!http" or "/http" included or not).
func (b *Bot) Answer(query string) *Answer {
	return b.resolve(query)
}

// AnswerCode answers for code n directly, as when a suggestion button is pressed.
func (b *Bot) AnswerCode(n int) *Answer {
	q := itoa(n)
	if c := b.cat.Code(n); c != nil {
		return b.codeAnswer(q, KindStatus, []*catalog.Code{c})
	}
	return b.numberAnswer(q, n)
}
