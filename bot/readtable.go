package bot

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"hash/crc32"
)

//go:generate go test -run ^TestReadTable$ -readtable

// readTable is what readRun makes of the catalogue's texts, read as one
// run, made by go generate: a checksum of the texts it was read from, then
// every distinct word in the order first read, the words of names and
// keywords, and each text's words that may have a stem, by number (see
// encodeReadTable). Reading the texts was half of start-up; start-up reads
// this instead when the checksum is that of the texts it would read, and
// reads the texts as before when it is not, because the catalogue changed
// after the table was made: the index is the same either way, and
// TestReadTable fails until go generate makes the table again.
//
//go:embed readtable.bin
var readTableData string

// readTableMagic begins the table, and changes with its format.
const readTableMagic = "statusbot read table 1\n"

// textSum is the checksum of a sequence of texts: CRC-32 of each text's
// length and bytes, in order. It gathers the texts into a buffer, since
// crc32 reads bytes, not strings, and is fastest over long stretches.
type textSum struct {
	crc   uint32
	texts int
	buf   []byte
}

func (s *textSum) add(text string) {
	s.texts++
	s.buf = binary.AppendUvarint(s.buf, uint64(len(text)))
	s.buf = append(s.buf, text...)
	if len(s.buf) >= 32<<10 {
		s.flush()
	}
}

func (s *textSum) flush() {
	s.crc = crc32.Update(s.crc, crc32.IEEETable, s.buf)
	s.buf = s.buf[:0]
}

// sum returns the checksum of the texts added so far.
func (s *textSum) sum() uint32 {
	s.flush()
	return s.crc
}

// readTable is a decoded table.
type readTable struct {
	sum   uint32     // the texts' checksum
	texts int        // how many texts
	words *wordTable // every distinct word, in the order first read
	vocab []string   // the words of names and keywords, stopwords excepted, once each
	seq   []int32    // the texts' words that may have a stem, in order
	ends  []int32    // where each text's words end in seq
}

// encodeReadTable encodes r, a run that read every text of the catalogue,
// whose texts have checksum sum: after the magic, as unsigned varints, the
// checksum, the number of texts, the number of words and each word's
// length and bytes, the number of vocabulary words and each one's number,
// and each text's number of words and their numbers.
func encodeReadTable(r *docRun, sum uint32) []byte {
	b := []byte(readTableMagic)
	b = binary.AppendUvarint(b, uint64(sum))
	b = binary.AppendUvarint(b, uint64(len(r.ends)))
	b = binary.AppendUvarint(b, uint64(len(r.words.words)))
	for _, w := range r.words.words {
		b = binary.AppendUvarint(b, uint64(len(w)))
		b = append(b, w...)
	}
	var vocab []int32
	seen := make([]bool, len(r.words.words))
	for _, w := range r.vocab {
		if id, _, _, _ := lookup(r.words, w); !seen[id] {
			seen[id] = true
			vocab = append(vocab, id)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(vocab)))
	for _, id := range vocab {
		b = binary.AppendUvarint(b, uint64(id))
	}
	from := int32(0)
	for _, end := range r.ends {
		b = binary.AppendUvarint(b, uint64(end-from))
		for _, id := range r.seq[from:end] {
			b = binary.AppendUvarint(b, uint64(id))
		}
		from = end
	}
	return b
}

var errReadTable = errors.New("bot: the read table is malformed")

// decodeReadTable decodes a table encodeReadTable made. Its words point
// into data.
func decodeReadTable(data string) (*readTable, error) {
	if len(data) < len(readTableMagic) || data[:len(readTableMagic)] != readTableMagic {
		return nil, errReadTable
	}
	at := len(readTableMagic)
	bad := false
	// next reads a varint of at most max.
	next := func(max uint64) uint64 {
		var v uint64
		for shift := 0; at < len(data) && shift < 64; shift += 7 {
			c := data[at]
			at++
			v |= uint64(c&0x7f) << shift
			if c < 0x80 {
				if v > max {
					break
				}
				return v
			}
		}
		bad = true
		return 0
	}
	t := &readTable{sum: uint32(next(1<<32 - 1))}
	t.texts = int(next(uint64(len(data))))
	nWords := int(next(uint64(len(data))))
	if bad || nWords == 0 {
		return nil, errReadTable
	}
	t.words = newWordTable(nWords)
	for range nWords {
		n := int(next(uint64(len(data))))
		if bad || n > len(data)-at {
			return nil, errReadTable
		}
		w := data[at : at+n]
		at += n
		_, slot, tag, ok := lookup(t.words, w)
		if ok || w == "" {
			return nil, errReadTable
		}
		t.words.add(w, slot, tag)
	}
	maxID := uint64(nWords - 1)
	nVocab := int(next(uint64(nWords)))
	t.vocab = make([]string, 0, nVocab)
	for range nVocab {
		t.vocab = append(t.vocab, t.words.words[next(maxID)])
	}
	// Each word of seq takes a byte at least.
	t.seq = make([]int32, 0, len(data)-at)
	t.ends = make([]int32, 0, t.texts)
	for range t.texts {
		n := int(next(uint64(len(data) - at)))
		if n > len(data)-at {
			return nil, errReadTable
		}
		for range n {
			t.seq = append(t.seq, int32(next(maxID)))
		}
		t.ends = append(t.ends, int32(len(t.seq)))
	}
	if bad || at != len(data) {
		return nil, errReadTable
	}
	return t, nil
}
