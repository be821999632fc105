package bot

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/catalog"
)

var writeStems = flag.Bool("stems", false, "rewrite stems.txt, the table of the catalogue's stems (go generate ./bot/)")

// TestStemTable checks that stems.txt holds the stem of every word of the
// catalogue that has one, as stem gives it, and nothing else; with -stems
// (go generate ./bot/) it writes the table instead.
func TestStemTable(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	idx := &index{vocab: map[string]bool{}, concepts: buildConcepts()}
	idx.addDocs(cat.Codes(), 1, "")
	var words []string
	for i, w := range idx.words.words {
		if idx.stems[i] != "" {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w)
		if s := stem(w); s != w {
			b.WriteString(" " + s)
		}
		b.WriteString("\n")
	}
	if *writeStems {
		if err := os.WriteFile("stems.txt", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if b.String() != stemTable {
		t.Errorf("stems.txt is not the table of the catalogue's stems: run go generate ./bot/ (%d words in the catalogue, %d lines in the table)",
			len(words), strings.Count(stemTable, "\n"))
	}
}

// TestStemAll checks that the words a table lacks, or all of them, get the
// stems the table would give them.
func TestStemAll(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	codes := cat.Codes()
	size, texts := 0, 0
	for _, c := range codes {
		eachText(c, func(_ field, _ int, text string) { size, texts = size+len(text), texts+1 })
	}
	words := readRun(codes, make([]doc, texts), size).words
	want := stemAll(words, stemTable, 2)
	var half strings.Builder
	for i, line := range strings.SplitAfter(stemTable, "\n") {
		if i%2 == 0 {
			half.WriteString(line)
		}
	}
	for name, table := range map[string]string{"no table": "", "half the table": half.String()} {
		for _, parts := range []int{1, 3} {
			if got := stemAll(words, table, parts); !slices.Equal(got, want) {
				t.Errorf("%s, in %d parts: the stems differ from the whole table's", name, parts)
			}
		}
	}
	stemmed := 0
	for i, w := range words.words {
		if want[i] != "" {
			stemmed++
			if want[i] != stem(w) {
				t.Errorf("stem of %q = %q, want %q", w, want[i], stem(w))
			}
		}
	}
	if stemmed < 5000 {
		t.Errorf("%d of the catalogue's %d words stemmed, want most of them", stemmed, len(words.words))
	}
}
