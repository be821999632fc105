package bot

import (
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

// maxRuns bounds the goroutines that index the documents.
const maxRuns = 4

// addDocs indexes the texts of codes' entries, a document each, and
// returns where each run's documents are in idx.docs, and how many of them,
// and of its codes, use each term. table is readTableData, or "" to read
// the texts whatever the table holds.
//
// The codes are read in runs of about equal length, at once, each run
// numbering the words it reads in the order it first reads them. Renumbering
// the runs' words one run after the other, each word new to the index
// taking the next number, numbers every word in the order one run reading
// all the codes would; so each distinct word is stemmed once, and the terms
// are numbered in the order their words are first read, every term taking
// the id it gets when all codes are indexed as one run. The runs then turn
// their texts' words into terms, at once again, and the index is the same
// however many runs there are.
//
// When table was made from the same texts, it holds what one run reading
// them all gives, and the runs take their words from it instead.
func (idx *index) addDocs(codes []*catalog.Code, runs int, table string) []runCounts {
	var wg sync.WaitGroup
	var (
		read      *readTable
		readTerms termNumbers
	)
	if table != "" {
		wg.Go(func() {
			if read, _ = decodeReadTable(table); read != nil {
				// The terms follow from the words' stems alone: they are
				// numbered while the texts are checked, in vain if the
				// table turns out stale.
				readTerms = idx.numberTerms(read.stems)
				readTerms.ids = termIDsOf(readTerms.stems)
			}
		})
	}
	// size[k] is the length of the texts of codes[:k], texts[k] their number.
	size, texts := make([]int, len(codes)+1), make([]int, len(codes)+1)
	var sum textSum
	for i, c := range codes {
		size[i+1], texts[i+1] = size[i], texts[i]
		eachText(c, func(f field, _ int, text string) {
			size[i+1] += len(text)
			texts[i+1]++
			if table != "" {
				sum.add(f, text)
			}
		})
	}
	total := size[len(codes)]
	// Every run writes its documents into its own window of one array, a
	// document per text; the windows are closed up at the end.
	all := make([]doc, texts[len(codes)])
	done := make([]*docRun, runs)
	wg.Wait()
	fromTable := read != nil && read.texts == len(all) && read.sum == sum.sum()
	from := 0
	for i := range runs {
		to := from
		for to < len(codes) && (i == runs-1 || size[to+1] <= total*(i+1)/runs) {
			to++
		}
		run, window, runSize := codes[from:to], all[texts[from]:texts[to]], size[to]-size[from]
		if fromTable {
			first := texts[from]
			wg.Go(func() { done[i] = read.run(run, window, first) })
		} else {
			wg.Go(func() { done[i] = readRun(run, window, runSize) })
		}
		from = to
	}
	wg.Wait()
	idx.tableRead = fromTable
	words := done[0].words
	if fromTable {
		done[0].vocab = read.vocab
	} else {
		// One table of all the words: the first run's, then each later
		// run's words that are new, in order.
		for _, r := range done[1:] {
			r.global = make([]int32, len(r.words.words))
			for i, w := range r.words.words {
				r.global[i] = words.intern(w)
			}
		}
	}
	wg.Go(func() {
		for _, r := range done {
			for _, w := range r.vocab {
				idx.vocab[w] = true
			}
		}
	})

	var terms termNumbers
	if fromTable {
		idx.stems, terms = read.stems, readTerms
		idx.termIDs = terms.ids
	} else {
		idx.stems = stemAll(words, stemTable, runs)
		terms = idx.numberTerms(idx.stems)
		wg.Go(func() { idx.termIDs = termIDsOf(terms.stems) })
	}
	idx.words, idx.stemByID, idx.terms = words, terms.stems, make([]term, len(terms.stems))
	for _, r := range done {
		wg.Go(func() { r.addTerms(terms.termOf, terms.conceptsOf, len(idx.terms)) })
	}
	wg.Wait()
	// Close up the windows: each run's documents move down to follow the
	// last run's, within the same array (texts with no term left gaps).
	idx.docs = all[:0]
	counts := make([]runCounts, runs)
	for i, r := range done {
		counts[i] = r.counts
		counts[i].from = len(idx.docs)
		idx.docs = append(idx.docs, r.docs...)
		counts[i].to = len(idx.docs)
	}
	return counts
}

// runCounts is where a run's documents are in the index's, and how many
// of them, and of its codes, use each term.
type runCounts struct {
	from, to    int
	docs, codes []int32 // by term
}

// termNumbers is how the index numbers its terms.
type termNumbers struct {
	stems      []string         // each term's stem, by id
	ids        map[string]int32 // each stem's term id; see termIDsOf
	termOf     []int32          // each word's term, or -1 for a word with no stem
	conceptsOf [][]int32        // the terms of each term's concepts
}

// numberTerms numbers the stems of the words, in order, and the concepts
// each stem belongs to, after it the first time. The table of the terms'
// ids, which only questions read, is left to fill.
func (idx *index) numberTerms(stems []string) termNumbers {
	ids := newWordTable(len(stems) * 2 / 3)
	conceptsOf := make([][]int32, 0, len(stems)*2/3)
	number := func(s string) int32 {
		id := ids.intern(s)
		if int(id) == len(conceptsOf) {
			conceptsOf = append(conceptsOf, nil)
		}
		return id
	}
	termOf := make([]int32, len(stems))
	for i, st := range stems {
		if st == "" {
			termOf[i] = -1
			continue
		}
		n := len(conceptsOf)
		id := number(st)
		if int(id) == n {
			for _, c := range idx.concepts[st] {
				cid := number(c)
				conceptsOf[id] = append(conceptsOf[id], cid)
			}
		}
		termOf[i] = id
	}
	return termNumbers{stems: ids.words, termOf: termOf, conceptsOf: conceptsOf}
}

// termIDsOf is the table of the ids of terms whose stems are stems, by id.
func termIDsOf(stems []string) map[string]int32 {
	ids := make(map[string]int32, len(stems))
	for id, s := range stems {
		ids[s] = int32(id)
	}
	return ids
}

// docRun is the documents of a run of codes, read by one goroutine with
// word numbers of its own.
type docRun struct {
	docs   []doc      // a document per text, then those with terms
	words  *wordTable // every distinct word, in the order first read
	global []int32    // each word's number in the index's table; nil for the first run
	seq    []int32    // the texts' words that may have a stem, in order
	ends   []int32    // where each text's words end in seq
	vocab  []string   // the words of names and keywords, stopwords excepted
	counts runCounts  // its documents and codes that use each term
}

// run is the run of codes, whose texts are the table's from the first on,
// as readRun would read them into docs, with the words of the whole table.
func (t *readTable) run(codes []*catalog.Code, docs []doc, first int) *docRun {
	n := 0
	for _, c := range codes {
		eachText(c, func(f field, sit int, _ string) {
			docs[n] = doc{code: c.Code, field: f, sit: sit}
			n++
		})
	}
	from := int32(0)
	if first > 0 {
		from = t.ends[first-1]
	}
	ends := make([]int32, n)
	for i, end := range t.ends[first : first+n] {
		ends[i] = end - from
	}
	to := from
	if n > 0 {
		to += ends[n-1]
	}
	return &docRun{docs: docs, words: t.words, seq: t.wordsOf(int(from), int(to)), ends: ends}
}

// runWordsHint is about how many distinct words a run of the catalogue's
// codes has: about 4,500 when the codes are indexed in two runs.
const runWordsHint = 5000

// readRun reads the texts of codes, size bytes in all, into docs, which
// has a document for each text, and numbers their words.
func readRun(codes []*catalog.Code, docs []doc, size int) *docRun {
	r := &docRun{docs: docs, words: newWordTable(runWordsHint), ends: make([]int32, 0, len(docs))}
	type wordInfo struct {
		skip   bool   // a stopword or a number: no stem
		idioms int32  // the idioms that start with it, in idioms; 0 for none
		reads  uint16 // the readings that may give a word at it
	}
	info := make([]wordInfo, 0, runWordsHint)
	idioms := [][]idiom{nil}
	// wordID looks each distinct word up once, so that reading a word
	// costs one lookup and no allocation.
	wordID := func(w []byte) int32 {
		id, slot, tag, ok := lookup(r.words, w)
		if ok {
			return id
		}
		s := string(w)
		wi := wordInfo{skip: stopwords[s] || isDigits(s), reads: readsAt[s]}
		if l := idiomsByFirst[s]; l != nil {
			wi.idioms = int32(len(idioms))
			idioms = append(idioms, l)
		}
		info = append(info, wi)
		return r.words.add(s, slot, tag)
	}
	var text []int32 // the words of a text
	// Its words with idioms joined, as the question's are read, and their
	// numbers: readings read them.
	var joined []string
	var joinedIDs []int32
	var read [4]string // the words readings give at one word
	wordBuf := make([]byte, 0, 64)
	// The words with a stem are about one in every ten bytes of text.
	r.seq = make([]int32, 0, size/8)
	add := func(id int32) {
		if !info[id].skip {
			r.seq = append(r.seq, id)
		}
	}
	n := 0
	for _, c := range codes {
		eachText(c, func(f field, sit int, s string) {
			text = text[:0]
			wordBuf = scanWords(s, nil, wordBuf, func(w []byte) { text = append(text, wordID(w)) })
			if f <= fieldKeyword {
				for _, id := range text {
					if w := r.words.words[id]; !stopwords[w] {
						r.vocab = append(r.vocab, w)
					}
				}
			}
			// The words with idioms joined, as the question's are read,
			// by number; and whether a reading may give a word at one.
			joinedIDs = joinedIDs[:0]
			reads := false
			for i := 0; i < len(text); {
				if as, k := idiomIn(idioms[info[text[i]].idioms], text[i+1:], r.words.words); k > 0 {
					for _, w := range as {
						id := wordID([]byte(w))
						joinedIDs = append(joinedIDs, id)
						reads = reads || info[id].reads != 0
					}
					i += k
					continue
				}
				joinedIDs = append(joinedIDs, text[i])
				reads = reads || info[text[i]].reads != 0
				i++
			}
			// Readings read words, not numbers: only a text they may read
			// is spelt out. Spelling out every text made the whole load a
			// fifth slower, most likely through the collector's write
			// barrier on each string written.
			if reads {
				joined = joined[:0]
				for _, id := range joinedIDs {
					joined = append(joined, r.words.words[id])
				}
			}
			for i, id := range joinedIDs {
				add(id)
				if info[id].reads != 0 {
					for _, w := range readAt(joined, i, info[id].reads, read[:0]) {
						add(wordID([]byte(w)))
					}
				}
			}
			r.docs[n] = doc{code: c.Code, field: f, sit: sit}
			r.ends = append(r.ends, int32(len(r.seq)))
			n++
		})
	}
	return r
}

// idiomIn is idiomAt for numbered words: the reading's words of the longest
// of idioms, those of a word, that the words numbered next follow, and how
// many words it spans, or nil, 0; words are the words by number.
func idiomIn(idioms []idiom, next []int32, words []string) ([]string, int) {
	for _, id := range idioms {
		if len(id.rest) > len(next) {
			continue
		}
		k := 0
		for k < len(id.rest) && words[next[k]] == id.rest[k] {
			k++
		}
		if k == len(id.rest) {
			return id.words, 1 + k
		}
	}
	return nil, 0
}

// addTerms gives each of the run's documents its terms: its words' stems,
// then the concepts they belong to, once each, given each word's term in
// the index (termOf, by the index's number for the word), the terms of each
// term's concepts, and the number of terms; and counts the documents and
// codes that use each term. Documents with no term are dropped.
func (r *docRun) addTerms(termOf []int32, conceptsOf [][]int32, terms int) {
	if r.global != nil {
		for i, g := range r.global {
			r.global[i] = termOf[g]
		}
		termOf = r.global
	}
	// All documents' terms share one array, with room for each word and
	// for a concept in every few words.
	arena := make([]int32, 0, len(r.seq)+len(r.seq)/4)
	stamp := make([]int32, terms) // the last document each term was added to, plus one
	last := make([]int32, terms)  // the last code that used each term, plus one
	nDocs, nCodes := make([]int32, terms), make([]int32, terms)
	var own, concepts []int32
	kept, from := 0, int32(0)
	for i, end := range r.ends {
		own, concepts = own[:0], concepts[:0]
		me := int32(i + 1)
		for _, w := range r.seq[from:end] {
			t := termOf[w]
			if stamp[t] != me {
				stamp[t] = me
				own = append(own, t)
				for _, c := range conceptsOf[t] {
					if stamp[c] != me {
						stamp[c] = me
						concepts = append(concepts, c)
					}
				}
			}
		}
		from = end
		if len(own) > 0 {
			at := len(arena)
			arena = append(append(arena, own...), concepts...)
			d := r.docs[i]
			d.terms = arena[at:len(arena):len(arena)]
			r.docs[kept] = d
			kept++
			code := int32(d.code) + 1
			for _, t := range d.terms {
				nDocs[t]++
				if last[t] != code {
					last[t] = code
					nCodes[t]++
				}
			}
		}
	}
	r.docs = r.docs[:kept]
	r.counts = runCounts{docs: nDocs, codes: nCodes}
}
