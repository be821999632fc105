package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
)

//go:embed questions.json
var questionsJSON []byte

// askedJSON is the development corpus's questions (bot/testdata/corpus/dev*.tsv)
// that one code, or one of a few, answers, in the form of questions.json.
// They were written by people who never read the catalogue, in voices the
// example questions lack. go generate ./bot/ writes the file; the corpus's
// held-out parts are never in it.
//
//go:embed asked.json
var askedJSON []byte

// Questions are example chat messages that a code answers, in the many
// ways people ask: they teach the core's retrieval how questions are
// worded, and are never shown.
type questionsFile struct {
	Source string `json:"source,omitempty"` // where the questions come from, when generated
	Codes  []struct {
		Code      int          `json:"code"`
		Questions questionList `json:"questions"`
	} `json:"codes"`
}

// questionList is a code's example questions in questions.json.
type questionList []string

// UnmarshalJSON decodes the list with room for as many questions as it
// has pairs of quotes; see decodeArray.
func (l *questionList) UnmarshalJSON(b []byte) (err error) {
	*l, err = decodeArray[string](b, bytes.Count(b, []byte{'"'})/2)
	return err
}

// addQuestions attaches the example questions of f to the codes of cat.
func (cat *Catalog) addQuestions(f *questionsFile) error {
	for _, entry := range f.Codes {
		c := cat.Code(entry.Code)
		if c == nil {
			return fmt.Errorf("catalog: questions for uncatalogued code %d", entry.Code)
		}
		if c.Folklore {
			return fmt.Errorf("catalog: questions for folklore code %d, which never answers one", entry.Code)
		}
		c.Questions = joined(c.Questions, entry.Questions)
	}
	return nil
}
