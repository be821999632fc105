package bot

import (
	"strings"
	"sync"

	"github.com/statusbot/statusbot/catalog"
)

// eachText calls add with each text of c's entry that is indexed as a
// document, in the order of the documents.
func eachText(c *catalog.Code, add func(f field, sit int, text string)) {
	for _, n := range namesOf(c) {
		add(fieldName, -1, n)
	}
	for _, m := range c.Also {
		add(fieldKeyword, -1, m.Vendor)
	}
	for _, k := range c.Keywords {
		add(fieldKeyword, -1, k)
	}
	if !c.Official {
		add(fieldKeyword, -1, c.Vendor)
	}
	for _, f := range c.Flags {
		add(fieldKeyword, -1, flagNames[f])
	}
	for i, s := range c.Situations {
		add(fieldSituation, i, s.Text)
	}
	for _, q := range c.Questions {
		add(fieldQuestion, -1, q)
	}
	add(fieldSummary, -1, c.Summary)
	for _, s := range sentencesOf(c.Explanation) {
		add(fieldExplanation, -1, s)
	}
}

// maxRuns bounds the goroutines that index the documents: more than the
// cores only repeats the stemming of the words that runs share.
const maxRuns = 4

// addDocs indexes the texts of codes' entries, a document each, and
// returns where each run's documents begin in idx.docs, and where the last
// ends.
//
// The codes are indexed in runs of about equal length, at once, each run
// numbering the terms it uses in the order it first uses them. A term new
// to the index is first used in the run that first uses it, where its
// number follows those of the run's earlier new terms; so renumbering the
// runs' terms one run after the other, each new one taking the next id,
// gives every term the id it gets when all codes are indexed as one run,
// and the index is the same however many runs there are.
func (idx *index) addDocs(codes []*catalog.Code, runs int) []int {
	// size[k] is the length of the texts of codes[:k], texts[k] their number.
	size, texts := make([]int, len(codes)+1), make([]int, len(codes)+1)
	for i, c := range codes {
		size[i+1], texts[i+1] = size[i], texts[i]
		eachText(c, func(_ field, _ int, text string) {
			size[i+1] += len(text)
			texts[i+1]++
		})
	}
	total := size[len(codes)]
	// Every run writes its documents into its own window of one array, with
	// room for a document per text; the windows are closed up at the end.
	all := make([]doc, texts[len(codes)])
	done := make([]*docRun, runs)
	var wg sync.WaitGroup
	from := 0
	for i := range runs {
		to := from
		for to < len(codes) && (i == runs-1 || size[to+1] <= total*(i+1)/runs) {
			to++
		}
		run, window, runSize := codes[from:to], all[texts[from]:texts[from]:texts[to]], size[to]-size[from]
		wg.Go(func() { done[i] = indexRun(run, window, runSize, idx.concepts) })
		from = to
	}
	wg.Wait()

	terms, words := 0, 0
	for _, r := range done {
		terms, words = terms+len(r.stems), words+len(r.words)
	}
	// The stems of the words, which need no term ids, are recorded while
	// the terms are renumbered.
	wg.Go(func() {
		idx.stemmed = make(map[string]string, words)
		for _, r := range done {
			for _, w := range r.words {
				if w.term >= 0 {
					idx.stemmed[w.word] = r.stems[w.term]
				}
			}
		}
	})
	// The ids must be given one run after the other; each run's documents
	// then take them at once.
	idx.terms, idx.stemByID = make([]term, 0, terms), make([]string, 0, terms)
	for _, r := range done {
		ids := make([]int32, len(r.stems))
		for i, s := range r.stems {
			ids[i] = idx.termID(s)
		}
		wg.Go(func() {
			for _, d := range r.docs {
				for i, t := range d.terms {
					d.terms[i] = ids[t]
				}
			}
		})
	}
	for _, r := range done {
		for _, w := range r.vocab {
			idx.vocab[w] = true
		}
	}
	wg.Wait()
	// Close up the windows: each run's documents move down to follow the
	// last run's, within the same array (texts with no term left gaps).
	idx.docs = all[:0]
	bounds := make([]int, 0, runs+1)
	for _, r := range done {
		bounds = append(bounds, len(idx.docs))
		idx.docs = append(idx.docs, r.docs...)
	}
	return append(bounds, len(idx.docs))
}

// docRun is the documents of a run of codes, indexed by one goroutine with
// term numbers of its own.
type docRun struct {
	docs  []doc      // terms numbered as in stems
	stems []string   // each term's stem, or concept, by number
	words []wordInfo // every distinct word, in the order first read
	vocab []string   // the words of names and keywords, stopwords excepted
}

// wordInfo is what indexing a word needs to know of it.
type wordInfo struct {
	word  string
	term  int32 // its stem's term, or -1 for a stopword or a number
	idiom bool  // an idiom may start with it
}

// runWordsHint is about how many distinct words a run of the catalogue's
// codes has: about 4,500 when the codes are indexed in two runs.
const runWordsHint = 4096

// indexRun indexes the texts of codes, size bytes in all, into docs, which
// has room for a document per text; concepts is the index's, which it only
// reads.
func indexRun(codes []*catalog.Code, docs []doc, size int, concepts map[string][]string) *docRun {
	r := &docRun{docs: docs, words: make([]wordInfo, 0, runWordsHint)}
	wordIDs := make(map[string]int32, runWordsHint) // word -> its place in r.words
	termIDs := make(map[string]int32, runWordsHint)
	var termConcepts [][]int32 // term -> the terms of its concepts
	termID := func(s string) int32 {
		id, ok := termIDs[s]
		if !ok {
			id = int32(len(r.stems))
			termIDs[s] = id
			r.stems = append(r.stems, s)
			termConcepts = append(termConcepts, nil)
		}
		return id
	}
	// wordID looks each distinct word up once: whether it is a stopword,
	// its term and its concepts are kept, so indexing a word in a document
	// costs one map lookup and no allocation.
	wordID := func(w []byte) int32 {
		if id, ok := wordIDs[string(w)]; ok {
			return id
		}
		s := string(w)
		wi := wordInfo{word: s, term: -1, idiom: idiomsByFirst[s] != nil}
		if !stopwords[s] && !isDigits(s) {
			st := stem(s)
			wi.term = termID(st)
			if termConcepts[wi.term] == nil {
				for _, c := range concepts[st] {
					id := termID(c)
					termConcepts[wi.term] = append(termConcepts[wi.term], id)
				}
			}
		}
		id := int32(len(r.words))
		wordIDs[s] = id
		r.words = append(r.words, wi)
		return id
	}
	var seq []int32 // the words of a text
	wordBuf := make([]byte, 0, 64)
	var scratch []string
	var terms, conceptTerms []int32
	// All documents' terms share one array, with room for a term in every
	// six bytes of text: the catalogue has one in about every nine.
	arena := make([]int32, 0, size/6)
	var stamp []int32 // the last document each term was added to, plus one
	put := func(id int32, dst *[]int32) {
		for int(id) >= len(stamp) {
			stamp = append(stamp, 0)
		}
		if me := int32(len(r.docs) + 1); stamp[id] != me {
			stamp[id] = me
			*dst = append(*dst, id)
		}
	}
	index := func(wi wordInfo) {
		if wi.term < 0 {
			return
		}
		put(wi.term, &terms)
		for _, c := range termConcepts[wi.term] {
			put(c, &conceptTerms)
		}
	}
	for _, c := range codes {
		eachText(c, func(f field, sit int, text string) {
			seq = seq[:0]
			wordBuf = scanWords(text, nil, wordBuf, func(w []byte) { seq = append(seq, wordID(w)) })
			if f <= fieldKeyword {
				for _, id := range seq {
					if w := r.words[id].word; !stopwords[w] {
						r.vocab = append(r.vocab, w)
					}
				}
			}
			terms, conceptTerms = terms[:0], conceptTerms[:0]
			for i := 0; i < len(seq); {
				wi := r.words[seq[i]]
				if wi.idiom {
					scratch = scratch[:0]
					for _, id := range seq[i:min(len(seq), i+maxIdiomWords)] {
						scratch = append(scratch, r.words[id].word)
					}
					if as, k := idiomAt(scratch, 0); k > 0 {
						for _, w := range strings.Fields(as) {
							id := wordID([]byte(w)) // before r.words, which it may grow
							index(r.words[id])
						}
						i += k
						continue
					}
				}
				index(wi)
				i++
			}
			if len(terms) > 0 {
				from := len(arena)
				arena = append(append(arena, terms...), conceptTerms...)
				r.docs = append(r.docs, doc{code: c.Code, field: f, sit: sit, terms: arena[from:len(arena):len(arena)]})
			}
		})
	}
	return r
}
