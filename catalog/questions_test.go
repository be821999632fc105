package catalog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	minMostAskedQuestions = 40  // example questions for each of the 25 most asked codes
	maxQuestion           = 600 // characters
)

func TestQuestions(t *testing.T) {
	cat := load(t)
	seen := map[string]int{}
	for _, c := range cat.Codes() {
		for _, q := range c.Questions {
			switch {
			case q == "" || strings.TrimSpace(q) != q || strings.ContainsAny(q, "\t\n\r"):
				t.Errorf("Code(%d) question %q: want one trimmed line", c.Code, q)
			case utf8.RuneCountInString(q) > maxQuestion:
				t.Errorf("Code(%d) question %.40q... is over %d characters", c.Code, q, maxQuestion)
			}
			key := normalize(q)
			if prev, ok := seen[key]; ok {
				t.Errorf("question %q is under both %d and %d", q, prev, c.Code)
			}
			seen[key] = c.Code
		}
	}
	for _, n := range mostAsked {
		if c := mustCode(t, cat, n); len(c.Questions) < minMostAskedQuestions {
			t.Errorf("Code(%d) has %d example questions, want at least %d", n, len(c.Questions), minMostAskedQuestions)
		}
	}
}

func TestParseQuestionErrors(t *testing.T) {
	for _, data := range []string{
		`{"codes": [{"code": 999, "questions": ["x"]}]}`,
		`{"codes": [{"code": 599, "questions": ["a folklore code answers no question"]}]}`,
		`{`,
	} {
		cat, err := Parse(codesJSON)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parse[questionsFile]("questions", []byte(data))
		if err == nil {
			err = cat.addQuestions(f)
		}
		if err == nil {
			t.Errorf("parsing and attaching questions %s = nil, want an error", data)
		}
	}
}
