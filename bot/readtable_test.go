package bot

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/statusbot/statusbot/catalog"
)

var writeReadTable = flag.Bool("readtable", false, "rewrite readtable.bin, the catalogue's texts as read (go generate ./bot/)")

// readTableOf is the read table of the texts of codes, as go generate
// makes it: one run reading them all.
func readTableOf(codes []*catalog.Code) string {
	var sum textSum
	size, texts := 0, 0
	for _, c := range codes {
		eachText(c, func(f field, _ int, text string) {
			sum.add(f, text)
			size, texts = size+len(text), texts+1
		})
	}
	r := readRun(codes, make([]doc, texts), size)
	return string(encodeReadTable(r, stemAll(r.words, stemTable, 1), sum.sum()))
}

// indexOf indexes the documents of cat as buildIndex does, in runs, with
// the read table table ("" for none).
func indexOf(cat *catalog.Catalog, runs int, table string) *index {
	idx := &index{termIDs: map[string]int32{}, vocab: map[string]bool{}, concepts: buildConcepts()}
	idx.weighTerms(len(cat.Codes()), idx.addDocs(cat.Codes(), runs, table))
	return idx
}

// TestReadTable checks that readtable.bin is the read table of the
// catalogue's texts as the core reads them now; with -readtable (go
// generate ./bot/) it writes the table instead.
func TestReadTable(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	table := readTableOf(cat.Codes())
	if *writeReadTable {
		if err := os.WriteFile("readtable.bin", []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if table != readTableData {
		t.Errorf("readtable.bin is not the catalogue's texts as the core reads them: run go generate ./bot/ (%d bytes, want %d)",
			len(readTableData), len(table))
	}
}

// TestReadTableIndex checks that the index built from the read table is
// the one reading the texts builds, in any number of runs.
func TestReadTableIndex(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	want := indexOf(cat, 1, "")
	if want.tableRead {
		t.Fatal("without a table, the index says it read one")
	}
	for _, runs := range []int{1, 2, 3, 7} {
		got := indexOf(cat, runs, readTableData)
		if !got.tableRead {
			t.Fatalf("%d runs: the table was not read: run go generate ./bot/", runs)
		}
		sameIndex(t, fmt.Sprintf("from the table, %d runs", runs), got, want)
	}
}

// TestReadTableChanged checks that a catalogue whose texts differ from the
// table's, by one word of one text or by one text more, is read from its
// texts, into the index a table of its own would give.
func TestReadTableChanged(t *testing.T) {
	changes := map[string]func(c *catalog.Code){
		"a word": func(c *catalog.Code) { c.Situations[0].Text += " sometimes" },
		"a text": func(c *catalog.Code) {
			c.Questions = append(c.Questions[:len(c.Questions):len(c.Questions)], "is a 409 conflict right for a clash")
		},
		"a letter": func(c *catalog.Code) { c.Summary = c.Summary[:len(c.Summary)-1] },
		// The same texts in the same order, the last keyword now a
		// situation: its words are no longer the vocabulary.
		"a field": func(c *catalog.Code) {
			k := c.Keywords[len(c.Keywords)-1]
			c.Keywords = c.Keywords[:len(c.Keywords)-1]
			c.Situations = append([]catalog.Situation{{Text: k}}, c.Situations...)
		},
	}
	for name, change := range changes {
		cat, err := catalog.Load()
		if err != nil {
			t.Fatalf("catalog.Load: %v", err)
		}
		change(cat.Code(409))
		want := indexOf(cat, 2, "")
		got := indexOf(cat, 2, readTableData)
		if got.tableRead {
			t.Errorf("%s changed: the stale table was read", name)
		}
		sameIndex(t, name+" changed, with the stale table", got, want)
		own := indexOf(cat, 2, readTableOf(cat.Codes()))
		if !own.tableRead {
			t.Errorf("%s changed: the table made of the texts was not read", name)
		}
		sameIndex(t, name+" changed, with its own table", own, want)
	}
}

// TestDecodeReadTable checks that a table cut short or with a wrong
// beginning is refused, not read.
func TestDecodeReadTable(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	table := readTableOf(cat.Codes()[:3])
	if _, err := decodeReadTable(table); err != nil {
		t.Fatalf("decodeReadTable: %v", err)
	}
	for n := range len(table) {
		if _, err := decodeReadTable(table[:n]); err == nil {
			t.Errorf("a table cut to %d of its %d bytes was read", n, len(table))
		}
	}
	if _, err := decodeReadTable("statusbot read table 0\n" + table[len(readTableMagic):]); err == nil {
		t.Error("a table of another format was read")
	}
	if _, err := decodeReadTable(table + "\x00"); err == nil {
		t.Error("a table with a byte more was read")
	}
}
