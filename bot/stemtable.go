package bot

import (
	_ "embed"
	"strings"
	"sync"
)

// stemTable is the stem of every word of the catalogue that has one, one
// word a line, sorted: "word stem", or the word alone when it is its own
// stem. Stemming the catalogue's seven thousand words was a tenth of
// start-up; reading their stems from the table costs a fraction of that.
// A word the table lacks, because the catalogue changed after the table
// was made, is stemmed as before: the index is the same either way, and
// TestStemTable fails until go generate makes the table again.
//
//go:embed stems.txt
var stemTable string

// stemAll returns the stem of each word of words, or "" for a stopword or
// a number: from table, in the form of stemTable, and by stemming the words
// it lacks, in parts at once.
func stemAll(words *wordTable, table string, parts int) []string {
	stems := make([]string, len(words.words))
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() {
			part := table[lineStart(table, k*len(table)/parts):lineStart(table, (k+1)*len(table)/parts)]
			for part != "" {
				line, rest, _ := strings.Cut(part, "\n")
				part = rest
				w, st, ok := strings.Cut(line, " ")
				if !ok {
					st = w
				}
				if id, _, _, ok := lookup(words, w); ok {
					stems[id] = st
				}
			}
		})
	}
	wg.Wait()
	for k := range parts {
		wg.Go(func() {
			for i := k * len(stems) / parts; i < (k+1)*len(stems)/parts; i++ {
				switch w := words.words[i]; {
				case stopwords[w] || isDigits(w):
					stems[i] = ""
				case stems[i] == "":
					stems[i] = stem(w)
				}
			}
		})
	}
	wg.Wait()
	return stems
}

// lineStart is where the line holding s[i] begins; len(s) for i = len(s).
func lineStart(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	return strings.LastIndexByte(s[:i], '\n') + 1
}
