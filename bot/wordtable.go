package bot

// wordTable numbers distinct words in the order they are first added. It
// does what a map[string]int32 does, for readRun, which looks up every word
// of the catalogue, about 170,000 of them, in a table of a few thousand,
// and for the index, which keeps the catalogue's words in one: open
// addressing over a power-of-two array, each slot holding the word's number
// and a few bits of its hash, so that a lookup costs one hash of the bytes
// and usually one comparison, and a new word no allocation of the table's.
// It is only ever filled from the catalogue, never from a question.
type wordTable struct {
	slots []uint32 // hash tag | number+1; 0 is empty
	words []string // by number
}

// slotBits is the bits of a slot that hold a number: the rest hold the
// tag, the hash's top bits.
const slotBits = 20

func newWordTable(hint int) *wordTable {
	n := 1
	for n < 2*hint {
		n <<= 1
	}
	return &wordTable{slots: make([]uint32, n), words: make([]string, 0, hint)}
}

// fnv1a is the 64-bit FNV-1a hash of w.
func fnv1a[T string | []byte](w T) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(w) {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h
}

// tagOf is the bits of hash h that a slot keeps.
func tagOf(h uint64) uint32 { return uint32(h>>(64-(32-slotBits))) << slotBits }

// lookup returns the number of w in t, and true, or the slot where w
// belongs, its hash tag, and false.
func lookup[T string | []byte](t *wordTable, w T) (id int32, slot int, tag uint32, ok bool) {
	h := fnv1a(w)
	tag = tagOf(h)
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, i, tag, false
		}
		if s&^(1<<slotBits-1) == tag {
			if n := int32(s&(1<<slotBits-1)) - 1; t.words[n] == string(w) {
				return n, i, tag, true
			}
		}
	}
}

// add numbers s, which lookup did not find, at its slot and with its tag.
func (t *wordTable) add(s string, slot int, tag uint32) int32 {
	n := int32(len(t.words))
	if n+1 >= 1<<slotBits {
		panic("bot: more than a million words in the catalogue")
	}
	t.words = append(t.words, s)
	t.slots[slot] = tag | uint32(n+1)
	if 2*len(t.words) > len(t.slots) {
		t.grow()
	}
	return n
}

// grow doubles the slots, keeping the table at most half full.
func (t *wordTable) grow() {
	t.slots = make([]uint32, 2*len(t.slots))
	mask := len(t.slots) - 1
	for n, w := range t.words {
		h := fnv1a(w)
		i := int(h) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = tagOf(h) | uint32(n+1)
	}
}

// intern returns the number of s, numbering it if it is new.
func (t *wordTable) intern(s string) int32 {
	id, slot, tag, ok := lookup(t, s)
	if !ok {
		id = t.add(s, slot, tag)
	}
	return id
}
