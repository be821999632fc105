package bot

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// readTableData is what readRun makes of the catalogue's texts, read as
// one run, made by go generate: a checksum of the texts it was read from,
// then every distinct word in the order first read and its stem, the words
// of names and keywords, and each text's words that may have a stem, by
// number (see encodeReadTable). Reading the texts was half of start-up; start-up reads
// this instead when the checksum is that of the texts it would read, and
// reads the texts as before when it is not, because the catalogue changed
// after the table was made: the index is the same either way, and
// TestReadTable fails until go generate makes the table again.
//
//go:embed readtable.bin
var readTableData string

// readTableMagic begins the table, and changes with its format.
const readTableMagic = "statusbot read table 3\n"

// textSum is the checksum of a sequence of texts: CRC-32 of each text's
// field, length and bytes, in order. The field counts because the words
// of names and keywords are the vocabulary. It gathers the texts into a
// buffer, since crc32 reads bytes, not strings, and is fastest over long
// stretches.
type textSum struct {
	crc uint32
	buf []byte
}

func (s *textSum) add(f field, text string) {
	s.buf = append(s.buf, byte(f))
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
	stems []string   // each word's stem, or "" for a stopword or a number
	vocab []string   // the words of names and keywords, stopwords excepted, once each
	ends  []int32    // where each text's words end in the sequence
	seq   string     // the texts' words that may have a stem, in order, width bytes each
	width int
}

// The ways a word's stem is written in the table.
const (
	noStem    = iota // a stopword or a number
	ownStem          // the word itself
	otherStem        // a word of its own, which follows
)

// encodeReadTable encodes r, a run that read every text of the catalogue,
// whose texts have checksum sum, and stems, the stems of its words as
// stemAll gives them. After the magic, as unsigned varints: the checksum,
// the number of texts, the number of words and each word's length and
// bytes and its stem (noStem, ownStem, or otherStem and the stem's length
// and bytes), the number of vocabulary words and each one's number, and
// each text's number of words; then the width of a word's number in bytes,
// 2 or 3, and the texts' words, by number, little-endian in that width, so
// that each run of start-up reads its part of them at once.
func encodeReadTable(r *docRun, stems []string, sum uint32) []byte {
	b := []byte(readTableMagic)
	b = binary.AppendUvarint(b, uint64(sum))
	b = binary.AppendUvarint(b, uint64(len(r.ends)))
	b = binary.AppendUvarint(b, uint64(len(r.words.words)))
	for i, w := range r.words.words {
		b = binary.AppendUvarint(b, uint64(len(w)))
		b = append(b, w...)
		switch stems[i] {
		case "":
			b = append(b, noStem)
		case w:
			b = append(b, ownStem)
		default:
			b = append(b, otherStem)
			b = binary.AppendUvarint(b, uint64(len(stems[i])))
			b = append(b, stems[i]...)
		}
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
		from = end
	}
	width := 2
	if len(r.words.words) > 1<<16 {
		width = 3
	}
	b = append(b, byte(width))
	for _, id := range r.seq {
		b = append(b, byte(id), byte(id>>8))
		if width == 3 {
			b = append(b, byte(id>>16))
		}
	}
	return b
}

var errReadTable = errors.New("bot: the read table is malformed")

// decodeReadTable decodes a table encodeReadTable made, but for its texts'
// words, which each run reads (wordsOf). Its words point into data.
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
	// str reads a string's length and bytes.
	str := func() string {
		n := int(next(uint64(len(data))))
		if bad || n > len(data)-at {
			bad = true
			return ""
		}
		at += n
		return data[at-n : at]
	}
	t := &readTable{sum: uint32(next(1<<32 - 1))}
	t.texts = int(next(uint64(len(data))))
	nWords := int(next(uint64(len(data))))
	if bad || nWords == 0 {
		return nil, errReadTable
	}
	t.words, t.stems = newWordTable(nWords), make([]string, nWords)
	for i := range nWords {
		w := str()
		_, slot, tag, ok := lookup(t.words, w)
		if bad || ok || w == "" {
			return nil, errReadTable
		}
		t.words.add(w, slot, tag)
		switch next(otherStem) {
		case ownStem:
			t.stems[i] = w
		case otherStem:
			if t.stems[i] = str(); t.stems[i] == "" {
				bad = true
			}
		}
	}
	maxID := uint64(nWords - 1)
	nVocab := int(next(uint64(nWords)))
	t.vocab = make([]string, 0, nVocab)
	for range nVocab {
		t.vocab = append(t.vocab, t.words.words[next(maxID)])
	}
	t.ends = make([]int32, t.texts)
	end := 0
	for i := range t.texts {
		end += int(next(uint64(len(data))))
		t.ends[i] = int32(end)
	}
	t.width = int(next(3))
	if bad || t.width < 2 || (t.width == 2) != (nWords <= 1<<16) || end > len(data) || len(data)-at != end*t.width {
		return nil, errReadTable
	}
	t.seq = data[at:]
	if t.width == 2 {
		// Every number must be a word's: the runs do not check.
		for i := 0; i < len(t.seq); i += 2 {
			if int(t.seq[i])|int(t.seq[i+1])<<8 >= nWords {
				return nil, errReadTable
			}
		}
	} else {
		for i := 0; i < len(t.seq); i += 3 {
			if int(t.seq[i])|int(t.seq[i+1])<<8|int(t.seq[i+2])<<16 >= nWords {
				return nil, errReadTable
			}
		}
	}
	return t, nil
}

// wordsOf returns the words of the table's texts from the word numbered
// from in its sequence to the one numbered to, by number.
func (t *readTable) wordsOf(from, to int) []int32 {
	seq := make([]int32, to-from)
	b := t.seq[from*t.width : to*t.width]
	if t.width == 2 {
		for i := range seq {
			seq[i] = int32(b[2*i]) | int32(b[2*i+1])<<8
		}
	} else {
		for i := range seq {
			seq[i] = int32(b[3*i]) | int32(b[3*i+1])<<8 | int32(b[3*i+2])<<16
		}
	}
	return seq
}
