package bot

import (
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/statusbot/statusbot/catalog"
)

// Field weights for free-text scoring: a word in a code's name says more
// than the same word somewhere in its explanation.
const (
	weightPhrase      = 2.5
	weightAlias       = 2.3
	weightKeyword     = 2.2
	weightVendor      = 1.5
	weightSummary     = 0.6
	weightExplanation = 0.3
)

type posting struct {
	code   int
	weight float64
}

// stemEntry is one stem of the index: the codes whose entries hold it, with
// its best weight in each, and its inverse document frequency.
type stemEntry struct {
	stem     string
	postings []posting
	idf      float64
}

// phrase is a multi-word name or keyword of a code, as stems.
type phrase struct {
	code  int
	stems []string
}

// index holds lookup tables built once from the catalogue.
type index struct {
	names       map[string][]*catalog.Code // content words of a phrase or alias, joined -> codes
	classes     map[string]*catalog.Class  // content words of a class name or alias -> class
	vocab       map[string]bool            // every word of every name, alias and keyword
	deletes     map[string][]string        // word with one letter deleted -> vocab words; see typos
	deletesOnce sync.Once
	stems       map[string]*stemEntry       // stem -> the codes it occurs in, and its rarity
	phrases     map[string][]phrase         // first stem -> multi-word names and keywords starting with it
	named       [600][][]string             // code -> stems of each of its names and keywords
	answers     [600]atomic.Pointer[Answer] // single-code answers, built on first use
	trigrams    map[string][]int            // trigram of a name -> codes; see nameTrigrams
	trigramOnce sync.Once
	popular     []*catalog.Code // every code, most asked first
	maxIDF      float64         // the rarity of a word no entry uses
}

// content returns the tokens of s minus stopwords.
func content(s string) []string { return withoutStopwords(tokenize(s, nil)) }

// namesOf lists every name c is known by: its phrase, its former and folk
// names, and other vendors' phrases for the same number.
func namesOf(c *catalog.Code) []string {
	names := append([]string{c.Phrase}, c.Aliases...)
	for _, m := range c.Also {
		names = append(names, m.Phrase)
	}
	return names
}

func stems(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = stem(t)
	}
	return out
}

func buildIndex(b *Bot) *index {
	cat := b.cat
	idx := &index{
		names:    map[string][]*catalog.Code{},
		classes:  map[string]*catalog.Class{},
		vocab:    map[string]bool{},
		deletes:  map[string][]string{},
		phrases:  map[string][]phrase{},
		trigrams: map[string][]int{},
		popular:  byPopularity(cat),
	}
	for _, cl := range cat.Classes() {
		for _, name := range append([]string{cl.Name}, cl.Aliases...) {
			idx.classes[strings.Join(content(name), " ")] = cl
		}
	}
	// Each distinct word is looked up once: its stem's postings are reached
	// through a pointer, so indexing a word costs one map lookup.
	type wordEntry struct {
		stop bool
		st   *stemEntry
	}
	words := make(map[string]*wordEntry, 4096)
	stemsByName := make(map[string]*stemEntry, 4096)
	intern := make(map[string]string, 4096)
	var toks []string
	// add indexes text as part of code's entry with weight w. Codes are
	// added one after another, so a stem's postings end with the current
	// code when it has been seen in this entry already.
	add := func(code int, text string, w float64, asName bool) {
		toks = tokenizeInterned(text, toks[:0], intern)
		var ss []string
		for _, t := range toks {
			we := words[t]
			if we == nil {
				we = &wordEntry{stop: stopwords[t]}
				if !we.stop {
					st := stem(t)
					if we.st = stemsByName[st]; we.st == nil {
						we.st = &stemEntry{stem: st}
						stemsByName[st] = we.st
					}
				}
				words[t] = we
			}
			if we.stop {
				continue
			}
			se := we.st
			if n := len(se.postings); n > 0 && se.postings[n-1].code == code {
				se.postings[n-1].weight = max(se.postings[n-1].weight, w)
			} else {
				se.postings = append(se.postings, posting{code: code, weight: w})
			}
			if asName {
				ss = append(ss, se.stem)
				idx.vocab[t] = true
			}
		}
		if !asName || len(ss) == 0 {
			return
		}
		if len(ss) > 1 {
			idx.phrases[ss[0]] = append(idx.phrases[ss[0]], phrase{code: code, stems: ss})
		}
		idx.named[code] = append(idx.named[code], ss)
	}
	for _, c := range cat.Codes() {
		for _, n := range namesOf(c) {
			key := strings.Join(content(n), " ")
			if key != "" && !slices.Contains(idx.names[key], c) {
				idx.names[key] = append(idx.names[key], c)
			}
		}
		add(c.Code, c.Phrase, weightPhrase, true)
		for _, a := range c.Aliases {
			add(c.Code, a, weightAlias, true)
		}
		for _, m := range c.Also {
			add(c.Code, m.Phrase, weightAlias, true)
			add(c.Code, m.Vendor, weightVendor, true)
		}
		for _, k := range c.Keywords {
			add(c.Code, k, weightKeyword, true)
		}
		if !c.Official {
			add(c.Code, c.Vendor, weightVendor, true)
		}
		for _, f := range c.Flags {
			add(c.Code, flagNames[f], weightKeyword, true)
		}
		add(c.Code, c.Summary, weightSummary, false)
		add(c.Code, c.Explanation, weightExplanation, false)
	}
	n := float64(len(cat.Codes()))
	for _, se := range stemsByName {
		se.idf = math.Log(1 + n/float64(len(se.postings)))
	}
	idx.stems = stemsByName
	idx.maxIDF = math.Log(1 + n)
	return idx
}

// nameTrigrams returns the trigram table of every code's names, building it
// on first use: only "not found" answers need it.
func (idx *index) nameTrigrams(cat *catalog.Catalog) map[string][]int {
	idx.trigramOnce.Do(func() {
		for _, c := range cat.Codes() {
			for _, n := range namesOf(c) {
				for _, g := range trigramsOf(strings.Join(content(n), " ")) {
					if l := idx.trigrams[g]; len(l) == 0 || l[len(l)-1] != c.Code {
						idx.trigrams[g] = append(idx.trigrams[g], c.Code)
					}
				}
			}
		}
	})
	return idx.trigrams
}

// trigramsOf returns the letter trigrams of s padded with spaces.
func trigramsOf(s string) []string {
	if s == "" {
		return nil
	}
	p := " " + s + " "
	out := make([]string, 0, len(p))
	for i := 0; i+3 <= len(p); i++ {
		out = append(out, p[i:i+3])
	}
	return out
}

// typos returns the delete-one table of the vocabulary, building it on
// first use: only questions with an unknown word need it, so start-up does
// not pay for it.
func (idx *index) typos() map[string][]string {
	idx.deletesOnce.Do(func() {
		for w := range idx.vocab {
			if len(w) < 4 || isDigits(w) {
				continue
			}
			for i := range len(w) {
				d := w[:i] + w[i+1:]
				idx.deletes[d] = append(idx.deletes[d], w)
			}
		}
	})
	return idx.deletes
}

// sameLetters reports whether a and b hold the same letters in any order.
func sameLetters(a, b string) bool {
	var n [256]int
	for i := range len(a) {
		n[a[i]]++
	}
	for i := range len(b) {
		n[b[i]]--
	}
	for _, c := range n {
		if c != 0 {
			return false
		}
	}
	return true
}

// correct returns the vocabulary word tok most likely misspells, or "".
func (idx *index) correct(tok string) string {
	if len(tok) < 4 || idx.vocab[tok] || isDigits(tok) {
		return ""
	}
	maxDist := 1
	if len(tok) >= 7 {
		maxDist = 2
	}
	var bestWord string
	bestDist := maxDist + 1
	try := func(cands []string) {
		for _, c := range cands {
			if len(tok) <= 4 && len(c) == len(tok) && !sameLetters(tok, c) {
				// In a short word one substituted letter is usually another
				// word ("fire", "file"), not a typo; swapped letters are.
				continue
			}
			if d := editDistance(tok, c, maxDist); d < bestDist || (d == bestDist && c < bestWord) {
				bestWord, bestDist = c, d
			}
		}
	}
	deletes := idx.typos()
	try(deletes[tok]) // tok lacks a letter
	for i := range len(tok) {
		d := tok[:i] + tok[i+1:]
		if idx.vocab[d] {
			try([]string{d}) // tok has an extra letter
		}
		try(deletes[d]) // substitution or transposition
	}
	return bestWord
}
