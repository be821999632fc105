package catalog

import (
	_ "embed"
	"fmt"
	"slices"
)

//go:embed situations.json
var situationsJSON []byte

// Situation is a short statement of when a server sends a code, such as "a
// create request that clashes with an existing resource". Answers show the
// one that matched a question as their reason.
type Situation struct {
	Text string `json:"text"`
	// Alt is the one other code senior practitioners would defend for this
	// situation, or 0. A Split between the two says how they differ.
	Alt int `json:"alt,omitempty"`
}

// Split is a curated sentence on a pair of codes that experts genuinely
// disagree between for some situations, e.g. 409 and 422 for a duplicate.
type Split struct {
	Codes [2]int `json:"codes"`
	Note  string `json:"note"`
}

type situationsFile struct {
	Splits []Split          `json:"splits"`
	Codes  []codeSituations `json:"codes"`
}

// codeSituations is a code's situations in situations.json.
type codeSituations struct {
	Code       int         `json:"code"`
	Situations []Situation `json:"situations"`
}

// makeRoom makes room for the codes of data, the file, and for each
// code's situations, before it is decoded: as many as there are objects
// between its list's key and the next code's.
func (f *situationsFile) makeRoom(data []byte) {
	f.Codes = entriesWithRoom(data, `"situations"`, '{', 1, func(c *codeSituations, n int) {
		c.Situations = make([]Situation, 0, n)
	})
}

// addSituations attaches the situations and splits of f to the codes of
// cat. Every code and alternative must be catalogued, and every alternative
// pair must have its split.
func (cat *Catalog) addSituations(f *situationsFile) error {
	for _, s := range f.Splits {
		for _, n := range s.Codes {
			if cat.Code(n) == nil {
				return fmt.Errorf("catalog: split %v: code %d is not catalogued", s.Codes, n)
			}
		}
	}
	cat.splits = f.Splits
	for _, entry := range f.Codes {
		c := cat.Code(entry.Code)
		if c == nil {
			return fmt.Errorf("catalog: situations for uncatalogued code %d", entry.Code)
		}
		for _, s := range entry.Situations {
			if s.Alt != 0 {
				if _, ok := cat.Split(c.Code, s.Alt); !ok {
					return fmt.Errorf("catalog: situation %q of %d: no split for %d and %d", s.Text, c.Code, c.Code, s.Alt)
				}
			}
		}
		c.Situations = joined(c.Situations, entry.Situations)
	}
	return nil
}

// Split returns the curated note on the pair a and b, in either order.
func (cat *Catalog) Split(a, b int) (Split, bool) {
	for _, s := range cat.splits {
		if slices.Contains(s.Codes[:], a) && slices.Contains(s.Codes[:], b) && a != b {
			return s, true
		}
	}
	return Split{}, false
}

// Splits returns every curated split.
func (cat *Catalog) Splits() []Split { return cat.splits }
