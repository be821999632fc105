package bot

import (
	"strconv"
	"testing"
)

// TestWordTable numbers many more words than the table was sized for, so
// that it grows several times, and finds each again by its bytes and by
// its string, and none it was not given.
func TestWordTable(t *testing.T) {
	tab := newWordTable(4)
	word := func(i int) string { return "w" + strconv.Itoa(i*7919) }
	for i := range 5000 {
		if got := tab.intern(word(i)); got != int32(i) {
			t.Fatalf("intern(%q) = %d, want %d", word(i), got, i)
		}
	}
	if len(tab.slots) < 2*len(tab.words) {
		t.Errorf("%d slots for %d words: more than half full", len(tab.slots), len(tab.words))
	}
	for i := range 5000 {
		w := word(i)
		if id, _, _, ok := lookup(tab, []byte(w)); !ok || id != int32(i) {
			t.Errorf("lookup(%q) = %d, %v, want %d, true", w, id, ok, i)
		}
		if got := tab.intern(w); got != int32(i) {
			t.Errorf("intern(%q) again = %d, want %d", w, got, i)
		}
		if _, _, _, ok := lookup(tab, w+"x"); ok {
			t.Errorf("lookup(%q) found a word never added", w+"x")
		}
	}
	if len(tab.words) != 5000 {
		t.Errorf("%d words after interning 5000 twice, want 5000", len(tab.words))
	}
}
