package catalog

import (
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
	Source string          `json:"source,omitempty"` // where the questions come from, when generated
	Codes  []codeQuestions `json:"codes"`
}

// codeQuestions is a code's example questions in questions.json.
type codeQuestions struct {
	Code      int      `json:"code"`
	Questions []string `json:"questions"`
}

// makeRoom makes room for the codes of data, the file, and for each
// code's questions, before it is decoded: as many as there are pairs of
// quotes between its list's key and the next code's.
func (f *questionsFile) makeRoom(data []byte) {
	f.Codes = entriesWithRoom(data, `"questions"`, '"', 2, func(c *codeQuestions, n int) {
		c.Questions = make([]string, 0, n)
	})
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
