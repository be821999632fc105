package bot

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/statusbot/statusbot/catalog"
)

// field is the part of a code's entry a document comes from. A word in a
// code's name says more than the same word in its explanation.
type field uint8

const (
	fieldName field = iota // the phrase, an alias, another vendor's phrase
	fieldKeyword
	fieldSituation
	fieldSummary
	fieldExplanation
	fieldQuestion // an example question
	numFields
)

// fieldWeight scales a document's score by its field. An example question
// (a user's wording, with the domain words of its story) weighs a little
// less than a curated situation, so that the situation wins a near tie.
var fieldWeight = [numFields]float64{
	fieldName:        1.25,
	fieldKeyword:     1.1,
	fieldSituation:   1.0,
	fieldSummary:     0.7,
	fieldExplanation: 0.45,
	fieldQuestion:    0.95,
}

// doc is one short text of a code's entry: a name, a keyword, a situation,
// the summary, or a sentence of the explanation.
type doc struct {
	code  int
	field field
	sit   int     // the situation's index in the code's Situations, or -1
	terms []int32 // its words' stems, then the concepts they belong to
	mass  float64 // the rarity of its distinct terms, summed
}

// rankedDoc is what ranking reads of a document, kept apart from its terms
// so that the documents a question touches are read from a small table.
type rankedDoc struct {
	mass  float64
	sit   int32
	code  int16
	field field
}

// term is one stem of the index: the documents that hold it, and its rarity
// as the inverse of how many codes use it.
type term struct {
	docs   []int32
	codes  int
	idf    float64
	byCode []codeTF // how often each code's entry uses it, weighted by field
}

type codeTF struct {
	code int16
	tf   float32
}

// index holds lookup tables built once from the catalogue.
type index struct {
	names       map[string][]*catalog.Code // content words of a phrase or alias, joined -> codes
	classes     map[string]*catalog.Class  // content words of a class name or alias -> class
	vocab       map[string]bool            // every word of every name, alias and keyword
	deletes     map[string][]string        // word with one letter deleted -> vocab words; see typos
	deletesOnce sync.Once
	answers     [600]atomic.Pointer[Answer] // single-code answers, built on first use
	trigrams    map[string][]int            // trigram of a name -> codes; see nameTrigrams
	trigramOnce sync.Once
	popular     []*catalog.Code  // every code, most asked first
	nameHeads   [600][]string    // the first word of each of a code's names, lower case
	brands      map[string][]int // a vendor's name or acronym, lower case -> its codes

	// Free-text retrieval.
	termIDs   map[string]int32 // stem -> term id
	stemByID  []string         // term id -> stem
	terms     []term
	docs      []doc
	ranked    []rankedDoc         // each document's rankedDoc, by the same index
	concepts  map[string][]string // stem -> its synonym groups' concepts
	words     *wordTable          // every word of the catalogue
	stems     []string            // each word's stem, or "" for a stopword or a number
	tableRead bool                // the documents' words came from readTableData
	maxIDF    float64
	noSit     [600]bool    // codes never offered for a situation (folklore)
	codeLen   [600]float64 // the weighted length of each code's entry

	// Pasted identifiers and errors.
	constants  map[string]int // squashed constant name -> code; see squash
	nameKeys   map[string]int // squashed name or alias -> code
	signatures *signatureIndex
}

// content returns the tokens of s minus stopwords.
func content(s string) []string { return withoutStopwords(tokenize(s, nil)) }

func withoutStopwords(toks []string) []string {
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if !stopwords[t] {
			out = append(out, t)
		}
	}
	return out
}

// namesOf lists every name c is known by: its phrase, its former and folk
// names, and other vendors' phrases for the same number.
func namesOf(c *catalog.Code) []string {
	names := append([]string{c.Phrase}, c.Aliases...)
	for _, m := range c.Also {
		names = append(names, m.Phrase)
	}
	return names
}

func buildIndex(b *Bot) *index {
	cat := b.cat
	idx := &index{
		names:     map[string][]*catalog.Code{},
		classes:   map[string]*catalog.Class{},
		vocab:     map[string]bool{},
		deletes:   map[string][]string{},
		trigrams:  map[string][]int{},
		popular:   byPopularity(cat),
		concepts:  buildConcepts(),
		constants: map[string]int{},
		nameKeys:  map[string]int{},
		brands:    map[string][]int{},
	}
	// The documents are most of the work, and the goroutines of addDocs
	// index them; the tables of names and of error signatures, which do not
	// depend on them, are built meanwhile.
	var wg sync.WaitGroup
	wg.Go(func() { idx.addNames(cat) })
	wg.Go(func() { idx.signatures = newSignatureIndex(cat.Signatures(), cat.NoStatusSignatures()) })
	runs := idx.addDocs(cat.Codes(), min(runtime.GOMAXPROCS(0), maxRuns), readTableData)
	idx.weighTerms(len(cat.Codes()), runs)
	wg.Wait()
	return idx
}

// addNames builds the tables of cat's names: of classes, codes and
// vendors, and the constants of libraries; and marks the folklore codes.
func (idx *index) addNames(cat *catalog.Catalog) {
	for _, cl := range cat.Classes() {
		for _, name := range append([]string{cl.Name}, cl.Aliases...) {
			idx.classes[strings.Join(content(name), " ")] = cl
		}
	}
	for _, c := range cat.Codes() {
		idx.noSit[c.Code] = c.Folklore
		for _, n := range namesOf(c) {
			if ws := tokenize(n, nil); len(ws) > 0 && !slices.Contains(idx.nameHeads[c.Code], ws[0]) {
				idx.nameHeads[c.Code] = append(idx.nameHeads[c.Code], ws[0])
			}
			key := strings.Join(content(n), " ")
			if key != "" && !slices.Contains(idx.names[key], c) {
				idx.names[key] = append(idx.names[key], c)
			}
			if k := squash(n); idx.nameKeys[k] == 0 {
				idx.nameKeys[k] = c.Code
			} else if idx.nameKeys[k] != c.Code {
				idx.nameKeys[k] = -1 // two codes' name: neither
			}
		}
		for _, k := range c.Constants {
			idx.addConstant(k.Name, c.Code)
		}
		if !c.Official && !c.Folklore {
			for _, w := range brandWords(c.Vendor) {
				if !slices.Contains(idx.brands[w], c.Code) {
					idx.brands[w] = append(idx.brands[w], c.Code)
				}
			}
		}
	}
	for _, l := range cat.Libraries() {
		for name, n := range l.Constants {
			idx.addConstant(name, n)
		}
	}
}

// weighTerms lists the documents and codes of each term, and weighs the
// terms and the documents, once every document is indexed; nCodes is the
// number of codes in the catalogue, and runs are the runs of addDocs: where
// their documents are in idx.docs, and how many of them, and of their
// codes, use each term.
//
// Each run's documents are read by a goroutine of their own. A code's
// documents are all in one run, and the runs' parts of each term's lists
// follow one another in the order of the documents, so each run fills its
// own part.
func (idx *index) weighTerms(nCodes int, runs []runCounts) {
	nt := len(idx.terms)
	postings, codeTFs := 0, 0
	for _, r := range runs {
		for t := range nt {
			postings += int(r.docs[t])
			codeTFs += int(r.codes[t])
		}
	}
	// Rarity: how many codes use a term, not how many documents, so that a
	// word all of one code's situations share stays telling. The runs'
	// counts become where their parts of each term's lists begin.
	docs, tfs, idf := make([]int32, postings), make([]codeTF, codeTFs), make([]float64, nt)
	at, codeAt := 0, 0
	for i := range idx.terms {
		t := &idx.terms[i]
		d0, c0 := at, codeAt
		for _, r := range runs {
			n, c := r.docs[i], r.codes[i]
			r.docs[i], r.codes[i] = int32(at), int32(codeAt)
			at, codeAt = at+int(n), codeAt+int(c)
		}
		t.docs, t.byCode, t.codes = docs[d0:at:at], tfs[c0:codeAt:codeAt], codeAt-c0
		t.idf = math.Log(1 + float64(nCodes)/float64(t.codes))
		idf[i] = t.idf
	}
	idx.maxIDF = math.Log(1 + float64(nCodes))
	// Each term's documents, the bag of words of each code's entry for the
	// likelihood, and each document's mass.
	idx.ranked = make([]rankedDoc, len(idx.docs))
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Go(func() {
			next, nextCode, last := r.docs, r.codes, make([]int32, nt)
			for di := r.from; di < r.to; di++ {
				d := &idx.docs[di]
				w, code := fieldWeight[d.field], int32(d.code)+1
				idx.codeLen[d.code] += w * float64(len(d.terms))
				for _, t := range d.terms {
					docs[next[t]] = int32(di)
					next[t]++
					if last[t] == code {
						tfs[nextCode[t]-1].tf += float32(w)
					} else {
						last[t] = code
						tfs[nextCode[t]] = codeTF{code: int16(d.code), tf: float32(w)}
						nextCode[t]++
					}
					d.mass += idf[t]
				}
				idx.ranked[di] = rankedDoc{mass: d.mass, sit: int32(d.sit), code: int16(d.code), field: d.field}
			}
		})
	}
	wg.Wait()
}

// genericVendorWords are words of a vendor's description that do not name it.
var genericVendorWords = wordSet("web", "server", "services", "application", "load", "balancer",
	"api", "search", "trends", "rate", "limiting", "extensions", "shared", "hosting", "discontinued",
	"claimed", "mod", "bw", "ms", "wdv", "access", "outlook", "v1")

// brandWords are the words people use for a vendor: its name's words
// ("cloudflare", "nginx", "iis") and the three-letter acronyms of its
// multi-word names ("aws" for Amazon Web Services, "alb", "owa").
func brandWords(vendor string) []string {
	var out []string
	for _, w := range tokenize(vendor, nil) {
		if len(w) >= 3 && !genericVendorWords[w] && !stopwords[w] {
			out = append(out, w)
		}
	}
	var run []string
	acronyms := func() {
		for i := 0; i+3 <= len(run); i++ {
			out = append(out, string([]byte{run[i][0] | 0x20, run[i+1][0] | 0x20, run[i+2][0] | 0x20}))
		}
		run = run[:0]
	}
	for _, w := range strings.FieldsFunc(vendor, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == '/' || r == ',' }) {
		if w != "" && w[0] >= 'A' && w[0] <= 'Z' {
			run = append(run, w)
		} else {
			acronyms()
		}
	}
	acronyms()
	return out
}

// queryStem stems a word of a question: from the catalogue's table when the
// word is known there, so that common words cost no stemming.
func (idx *index) queryStem(w string) string {
	if s := idx.stemOf(w); s != "" {
		return s
	}
	return stem(w)
}

// stemOf returns the stem of w when w is a word of the catalogue that has
// one, else "".
func (idx *index) stemOf(w string) string {
	if id, _, _, ok := lookup(idx.words, w); ok {
		return idx.stems[id]
	}
	return ""
}

// namedBy returns the first words of code n's names, or nil when n is not
// catalogued.
func (idx *index) namedBy(n int) []string {
	if n < 0 || n >= len(idx.nameHeads) {
		return nil
	}
	return idx.nameHeads[n]
}

// known reports whether w, a whole word, occurs in the catalogue: camelCase
// identifiers that do are kept whole ("WebDAV"), others are split.
func (idx *index) known(w string) bool { return idx.stemOf(w) != "" }

// sentencesOf splits an explanation into its sentences.
func sentencesOf(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.Index(s, ". ")
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+2:]
	}
	return out
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
			if len(w) >= 4 && !isDigits(w) {
				addDeletes(idx.deletes, w)
			}
		}
	})
	return idx.deletes
}

// addDeletes files w in a delete-one table under each of its forms with
// one letter left out.
func addDeletes(table map[string][]string, w string) {
	for i := range len(w) {
		d := w[:i] + w[i+1:]
		table[d] = append(table[d], w)
	}
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
	if bestWord == "" && len(tok) >= longTypo {
		// A long word may carry two extra letters: "authentification".
		buf := make([]byte, 0, len(tok))
		for i := range len(tok) {
			for j := i + 1; j < len(tok); j++ {
				buf = append(append(append(buf[:0], tok[:i]...), tok[i+1:j]...), tok[j+1:]...)
				if idx.vocab[string(buf)] {
					try([]string{string(buf)})
				}
			}
		}
	}
	return bestWord
}

// spell corrects, in place, each word of toks that no text of the
// catalogue holds (or only one code's) and that misspells a word of the
// readings, and reports whether it changed any: "email alredy used" reads
// as "email already used" before the readings see it.
func (idx *index) spell(toks []string) (changed bool) {
	for i, t := range toks {
		if len(t) < minSpelled || stopwords[t] || lexicon[t] || !isLetters(t) || idx.common(t) {
			continue
		}
		if c := spellLexicon(t); c != "" {
			toks[i], changed = c, true
		}
	}
	return changed
}

// minSpelled is the least length of a word spell corrects.
const minSpelled = 6

// lexiconDeletes is the delete-one table of the lexicon's words one
// letter longer than the shortest word spell corrects.
var lexiconDeletes = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for w := range lexicon {
		if len(w) > minSpelled && isLetters(w) {
			addDeletes(m, w)
		}
	}
	return m
})

// spellLexicon returns the one word of the lexicon that tok misspells by a
// letter left out ("alredy", "recomend") or two letters swapped
// ("recieve"), or "" when none or several. An extra or a changed letter
// is as often another word ("bother", "charged") and is not corrected.
func spellLexicon(tok string) string {
	found := ""
	for _, c := range lexiconDeletes()[tok] {
		if found != "" && found != c {
			return ""
		}
		found = c
	}
	if found != "" {
		return found
	}
	b := []byte(tok)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == b[i+1] {
			continue
		}
		b[i], b[i+1] = b[i+1], b[i]
		if w := string(b); lexicon[w] {
			if found != "" && found != w {
				return ""
			}
			found = w
		}
		b[i], b[i+1] = b[i+1], b[i]
	}
	return found
}

// common reports whether the catalogue's texts use w for more than one
// code: a word, not a slip that one example question happens to share.
func (idx *index) common(w string) bool {
	s := idx.stemOf(w)
	if s == "" {
		return false
	}
	id, ok := idx.termIDs[s]
	return !ok || idx.terms[id].codes > 1
}

// isLetters reports whether s is made of the letters a to z only.
func isLetters(s string) bool {
	for i := range len(s) {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// longTypo is the least length of a word that may be corrected by dropping
// two letters.
const longTypo = 10
