package bot_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

var writeAsked = flag.Bool("asked", false, "rewrite ../catalog/asked.json from the development corpus (go generate ./bot/)")

// askedFile is the catalogue's file of the development corpus's questions.
const askedFile = "../catalog/asked.json"

// devParts are the corpus's development parts: every file whose name
// starts with "dev". dev.tsv and dev2.tsv were split at random from the
// first questions, like heldout.tsv; dev4.tsv and later were each written
// blind, like the fresh parts, in voices the earlier parts lack, and tuned
// on after their first figure. The held-out parts (heldout.tsv, fresh*.tsv)
// never match.
func devParts(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/corpus/dev*.tsv")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no development parts: %v", err)
	}
	return paths
}

// askedTags are the kinds of development questions that become example
// questions: questions, fragments, pastes, constants and names. Chats and
// stories are left out: with their greetings and background in the index,
// off-topic and vague texts found matches, and the development parts, each
// measured without its own questions, lost more than they gained. Numbers
// in context, off-topic and vague texts name no code to learn.
var askedTags = map[string]bool{"question": true, "terse": true, "paste": true, "constant": true, "direct": true}

// TestAskedQuestions checks that catalog/asked.json holds the development
// corpus's questions of askedTags that name a code, under the first code
// their label names, and nothing else; with -asked (go generate ./bot/) it writes the
// file instead. Codes the catalogue lacks, and folklore codes, which never
// answer a situation, are left out, and so are questions already in
// questions.json, and a question that a held-out part also asks, or that
// one quotes (see heldOutSet.holds). A question that experts answer two
// ways ("409|422") is under the first, which its writer put first; under
// both, it would be two codes' example, which questions.json forbids.
func TestAskedQuestions(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	held := heldOutTexts(t)
	known := exampleQuestions(t) // normalised -> taken
	byCode := map[int][]string{}
	for _, path := range devParts(t) {
		for _, r := range readCorpus(t, path) {
			codes := answeringCodes(r.expected)
			key := normalize(r.query)
			if len(codes) == 0 || !askedTags[r.tag] || known[key] || held.holds(r.query) {
				continue
			}
			if c := cat.Code(codes[0]); c == nil || c.Folklore {
				continue
			}
			known[key] = true
			byCode[codes[0]] = append(byCode[codes[0]], r.query)
		}
	}
	var b bytes.Buffer
	b.WriteString(`{"source": "the development parts of bot/testdata/corpus (dev*.tsv); written by go generate ./bot/, do not edit", "codes": [`)
	codes := make([]int, 0, len(byCode))
	for n := range byCode {
		codes = append(codes, n)
	}
	slices.Sort(codes)
	for i, n := range codes {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {\"code\": " + strconv.Itoa(n) + ", \"questions\": [")
		for j, q := range byCode[n] {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n    ")
			b.Write(quoteJSON(t, q))
		}
		b.WriteString("]}")
	}
	b.WriteString("\n]}\n")
	if *writeAsked {
		if err := os.WriteFile(askedFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(askedFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("%s is not the development corpus's questions: run go generate ./bot/", askedFile)
	}
}

// heldOutCorpora are the corpus's held-out parts.
var heldOutCorpora = []string{heldOutCorpus, freshCorpus, fresh2Corpus, fresh3Corpus, fresh4Corpus, fresh5Corpus, fresh6Corpus,
	fresh7Corpus, fresh8Corpus, fresh9Corpus, fresh10Corpus}

// heldOutSet is the normalised questions of the held-out parts.
type heldOutSet []string

func heldOutTexts(t *testing.T) heldOutSet {
	t.Helper()
	var held heldOutSet
	for _, path := range heldOutCorpora {
		for _, r := range readCorpus(t, path) {
			held = append(held, normalize(r.query))
		}
	}
	return held
}

// holds reports whether a held-out question is q, or quotes q when q has
// six words or more: what TestHeldOutNotInCatalogue forbids. The writers
// of different parts pasted some of the same errors and constants.
func (h heldOutSet) holds(q string) bool {
	n := normalize(q)
	long := strings.Count(n, " ") >= 5
	for _, s := range h {
		if s == n || long && strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// answeringCodes returns the codes a corpus label names as answers: one,
// or several joined by "|"; none for a class, a comparison or a kind.
func answeringCodes(expected string) []int {
	var codes []int
	for _, s := range strings.Split(expected, "|") {
		if n, err := strconv.Atoi(strings.TrimPrefix(s, "unofficial:")); err == nil {
			codes = append(codes, n)
		}
	}
	return codes
}

// exampleQuestions returns the normalised questions of questions.json.
func exampleQuestions(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("../catalog/questions.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Codes []struct {
			Questions []string `json:"questions"`
		} `json:"codes"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, c := range f.Codes {
		for _, q := range c.Questions {
			known[normalize(q)] = true
		}
	}
	return known
}

// quoteJSON returns s as a JSON string, with <, > and & as they are.
func quoteJSON(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// botWithout returns a core whose catalogue lacks the example questions
// that rows ask: the development part they come from is then measured as
// if it had never been indexed, like the held-out parts.
func botWithout(t *testing.T, rows []labelled) *bot.Bot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	asked := map[string]bool{}
	for _, r := range rows {
		asked[r.query] = true
	}
	for _, c := range cat.Codes() {
		c.Questions = slices.DeleteFunc(c.Questions, func(q string) bool { return asked[q] })
	}
	return bot.New(cat, bot.Options{Rand: func(n int) int { return n - 1 }})
}
