package bot

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/statusbot/statusbot/catalog"
)

// TestDocsInRuns checks that indexing the documents in several runs at once
// gives the index one run gives: every term the same id, documents, codes
// and rarity, every document the same terms and mass, every code's entry
// the same length.
func TestDocsInRuns(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	build := func(runs int) *index {
		idx := &index{termIDs: map[string]int32{}, vocab: map[string]bool{}, concepts: buildConcepts()}
		idx.weighTerms(len(cat.Codes()), idx.addDocs(cat.Codes(), runs, ""))
		return idx
	}
	want := build(1)
	for _, runs := range []int{2, 3, 7, 200} {
		sameIndex(t, fmt.Sprintf("%d runs", runs), build(runs), want)
	}
}

// sameIndex reports how got, an index of documents, differs from want:
// its terms and their ids, documents, codes, rarity, documents' terms and
// mass, codes' entry lengths, words, stems and vocabulary must all be the
// same.
func sameIndex(t *testing.T, what string, got, want *index) {
	t.Helper()
	if !slices.Equal(got.stemByID, want.stemByID) || !maps.Equal(got.termIDs, want.termIDs) {
		t.Errorf("%s: terms differ", what)
	}
	if len(got.docs) != len(want.docs) {
		t.Errorf("%s: %d documents, want %d", what, len(got.docs), len(want.docs))
	} else {
		for i := range want.docs {
			if !reflect.DeepEqual(got.docs[i], want.docs[i]) {
				t.Errorf("%s: document %d = %+v, want %+v", what, i, got.docs[i], want.docs[i])
				break
			}
		}
	}
	if !reflect.DeepEqual(got.terms, want.terms) {
		t.Errorf("%s: the terms' documents, codes or rarity differ", what)
	}
	if got.codeLen != want.codeLen {
		t.Errorf("%s: the codes' entry lengths differ", what)
	}
	if !slices.Equal(got.words.words, want.words.words) || !slices.Equal(got.stems, want.stems) || !maps.Equal(got.vocab, want.vocab) {
		t.Errorf("%s: the words, their stems or the vocabulary differ", what)
	}
}

// TestDocumentsHoldReadings checks that the catalogue's situations are
// read as questions are: each situation's document holds the words that
// readings give for its text read as a question, and no other; and that
// each such word is given to some situation.
func TestDocumentsHoldReadings(t *testing.T) {
	b := loadedBot(t)
	readWords := slices.Concat(quitters, headerStates, formatDirs, sizeTerms, []string{resourceAbsent, otherOwner})
	marked := map[string]int{}
	for _, d := range b.idx.docs {
		if d.field != fieldSituation {
			continue
		}
		text := b.cat.Code(d.code).Situations[d.sit].Text
		words := withReadings(joinIdioms(tokenize(text, nil)))
		for _, w := range readWords {
			id, ok := b.idx.termIDs[b.idx.queryStem(w)]
			want := slices.Contains(words, w)
			if got := ok && slices.Contains(d.terms, id); got != want {
				t.Errorf("%d %q: holds %s = %v, want %v", d.code, text, w, got, want)
			}
			if want {
				marked[w]++
			}
		}
	}
	for _, w := range readWords {
		if marked[w] == 0 {
			t.Errorf("no situation is read as %s", w)
		}
	}
}
