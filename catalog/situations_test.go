package catalog

import (
	"strings"
	"testing"
	"unicode"
)

// mostAsked are the 25 codes people ask about most; each needs at least
// minMostAsked situations. (202 is the team's pick for the 25th.)
var mostAsked = []int{200, 201, 202, 204, 301, 302, 304, 307, 308, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 501, 502, 503, 504}

const (
	minSituations = 10 // for every registered code
	minMostAsked  = 30
	maxSituation  = 140 // characters
	maxSplitNote  = 300
)

func TestSituationCounts(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		want := 0
		switch {
		case c.Official:
			want = minSituations
		case c.Folklore:
			if len(c.Situations) > 0 {
				t.Errorf("Code(%d) is folklore but has %d situations; it must never answer a situation", c.Code, len(c.Situations))
			}
		}
		for _, n := range mostAsked {
			if n == c.Code {
				want = minMostAsked
			}
		}
		if len(c.Situations) < want {
			t.Errorf("Code(%d) has %d situations, want at least %d", c.Code, len(c.Situations), want)
		}
	}
}

func TestSituationTexts(t *testing.T) {
	cat := load(t)
	seen := map[string]int{}
	for _, c := range cat.Codes() {
		for _, s := range c.Situations {
			if why := plainText(s.Text); why != "" {
				t.Errorf("Code(%d) situation %q: %s", c.Code, s.Text, why)
			}
			r := []rune(s.Text)
			switch {
			case len(s.Text) > maxSituation:
				t.Errorf("Code(%d) situation %q is over %d characters", c.Code, s.Text, maxSituation)
			case len(r) == 0 || unicode.IsUpper(r[0]) && !unicode.IsUpper(r[min(1, len(r)-1)]):
				t.Errorf("Code(%d) situation %q must start in lower case (it follows \"Why: \")", c.Code, s.Text)
			case strings.HasSuffix(s.Text, "."):
				t.Errorf("Code(%d) situation %q ends with a full stop", c.Code, s.Text)
			}
			key := normalize(s.Text)
			if prev, ok := seen[key]; ok {
				t.Errorf("situation %q is under both %d and %d", s.Text, prev, c.Code)
			}
			seen[key] = c.Code
			if s.Alt == c.Code {
				t.Errorf("Code(%d) situation %q names itself as the alternative", c.Code, s.Text)
			}
		}
	}
}

func TestSplits(t *testing.T) {
	cat := load(t)
	pairs := map[[2]int]bool{}
	for _, s := range cat.Splits() {
		a, b := min(s.Codes[0], s.Codes[1]), max(s.Codes[0], s.Codes[1])
		if a == b || pairs[[2]int{a, b}] {
			t.Errorf("split %v is repeated or pairs a code with itself", s.Codes)
		}
		pairs[[2]int{a, b}] = true
		if why := plainText(s.Note); why != "" || len(s.Note) > maxSplitNote {
			t.Errorf("split %v note (%d characters): %s", s.Codes, len(s.Note), why)
		}
	}
}

func TestParseSituationErrors(t *testing.T) {
	for _, data := range []string{
		`{"codes": [{"code": 999, "situations": [{"text": "x"}]}]}`,
		`{"codes": [{"code": 404, "situations": [{"text": "x", "alt": 410}]}]}`,
		`{"splits": [{"codes": [404, 777], "note": "x"}]}`,
		`{`,
	} {
		cat, err := Parse(codesJSON)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parse[situationsFile]("situations", []byte(data))
		if err == nil {
			err = cat.addSituations(f)
		}
		if err == nil {
			t.Errorf("parsing and attaching situations %s = nil, want an error", data)
		}
	}
}
