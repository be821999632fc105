package bot_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
)

// The labelled corpus: questions written from the user's side before the
// core was tuned, split once at random into a development part (tuned on)
// and a held-out part (never read while tuning, never indexed). See
// testdata/corpus/README.

const (
	heldOutCorpus = "testdata/corpus/heldout.tsv"
	// freshCorpus was written late, by a writer who read neither the
	// catalogue nor the core, and is never tuned on: a second held-out part.
	freshCorpus = "testdata/corpus/fresh.tsv"
	// fresh2Corpus was written later still, the same way, after a round of
	// tuning on dev's misses: a third held-out part.
	fresh2Corpus = "testdata/corpus/fresh2.tsv"
	// fresh3Corpus was written after the fixes found in dev4: a fourth
	// held-out part.
	fresh3Corpus = "testdata/corpus/fresh3.tsv"
	// fresh4Corpus was written after dev5's fixes: a fifth held-out part,
	// with long chats and pastes from less common software.
	fresh4Corpus = "testdata/corpus/fresh4.tsv"
	// fresh5Corpus was written at the start of the session that indexed
	// the development parts' questions (catalog/asked.json): a sixth
	// held-out part, in every voice.
	fresh5Corpus = "testdata/corpus/fresh5.tsv"
	// fresh6Corpus was written late in that session, after most of its
	// fixes: a seventh held-out part, in every voice.
	fresh6Corpus = "testdata/corpus/fresh6.tsv"
	// fresh7Corpus was written blind near the end of the session after
	// that, when its fixes were in: an eighth held-out part.
	fresh7Corpus = "testdata/corpus/fresh7.tsv"
	// fresh8Corpus was written blind at the start of the session after
	// that, before its fixes: a ninth held-out part, in every voice.
	fresh8Corpus = "testdata/corpus/fresh8.tsv"
	// fresh9Corpus was written blind at the start of the session after
	// that, before its fixes but the first few: a tenth held-out part,
	// with heldout.tsv's mix of kinds.
	fresh9Corpus = "testdata/corpus/fresh9.tsv"
	// fresh10Corpus was written blind late in the session that reached
	// issue 9's 95% on heldout.tsv, after most of its fixes: an eleventh
	// held-out part, with heldout.tsv's mix of kinds, in every voice.
	fresh10Corpus = "testdata/corpus/fresh10.tsv"
	// minSplit is the least accuracy on heldout.tsv, the part split off
	// the first corpus before any tuning: issue 9's 95%.
	minSplit = 0.95
	// minHeldOut is the least accuracy on the later held-out parts but
	// fresh4, written by other writers: the core reaches 95.8-99.0% on
	// them (see testdata/corpus/README), so this gate guards against
	// regressions, a few points under it.
	minHeldOut = 0.88
	// minFresh4 is fresh4's: the hardest part (long chats, non-native
	// English, pastes from less common software), at 84.3% when it landed,
	// so its gate sits about two points under that.
	minFresh4 = 0.82
)

// labelled is one line of a corpus: a question, what must answer it, and
// what kind of question it is.
type labelled struct {
	query, expected, tag string
}

func readCorpus(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("%s: bad line %q", path, line)
		}
		out = append(out, labelled{strings.TrimSpace(parts[0]), parts[1], parts[2]}) // a pasted line may end in a space
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score answers every question and returns the hits per tag.
func score(b *bot.Bot, rows []labelled, miss func(labelled, *bot.Answer)) (hits, total map[string]int) {
	hits, total = map[string]int{}, map[string]int{}
	for _, r := range rows {
		a := b.Answer(r.query)
		total[r.tag]++
		total[""]++
		if bot.Satisfies(r.expected, a) {
			hits[r.tag]++
			hits[""]++
		} else if miss != nil {
			miss(r, a)
		}
	}
	return hits, total
}

func report(name string, hits, total map[string]int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %d/%d (%.1f%%)", name, hits[""], total[""], 100*float64(hits[""])/float64(total[""]))
	var tags []string
	for tag := range total {
		if tag != "" {
			tags = append(tags, tag)
		}
	}
	sort.Strings(tags)
	for _, tag := range tags {
		fmt.Fprintf(&sb, "; %s %d/%d", tag, hits[tag], total[tag])
	}
	return sb.String()
}

// TestCorpus reports the core's accuracy on both parts of the corpus and
// fails when a held-out part falls below its gate (minSplit, minHeldOut,
// minFresh4). Set STATUSBOT_CORPUS_MISSES=1 to list the development
// parts' misses; the held-out parts' misses are never listed.
func TestCorpus(t *testing.T) {
	b := newBot(t)
	var miss func(labelled, *bot.Answer)
	if os.Getenv("STATUSBOT_CORPUS_MISSES") != "" {
		miss = func(r labelled, a *bot.Answer) {
			t.Logf("miss [%s] %q: want %s, got %s %v", r.tag, r.query, r.expected, a.Kind, a.Codes)
		}
	}
	// Each development part's questions are example questions in the
	// catalogue (asked.json), so it is measured by a core built without
	// them: as if it had never been indexed, on what the rest teaches.
	for _, path := range devParts(t) {
		rows := readCorpus(t, path)
		h, n := score(botWithout(t, rows), rows, miss)
		t.Log(report(strings.TrimSuffix(filepath.Base(path), ".tsv"), h, n))
	}
	for _, part := range []struct {
		name, path string
		least      float64
	}{
		{"held-out", heldOutCorpus, minSplit}, {"fresh (held out)", freshCorpus, minHeldOut},
		{"fresh2 (held out)", fresh2Corpus, minHeldOut}, {"fresh3 (held out)", fresh3Corpus, minHeldOut},
		{"fresh4 (held out)", fresh4Corpus, minFresh4}, {"fresh5 (held out)", fresh5Corpus, minHeldOut},
		{"fresh6 (held out)", fresh6Corpus, minHeldOut}, {"fresh7 (held out)", fresh7Corpus, minHeldOut},
		{"fresh8 (held out)", fresh8Corpus, minHeldOut}, {"fresh9 (held out)", fresh9Corpus, minHeldOut},
		{"fresh10 (held out)", fresh10Corpus, minHeldOut},
	} {
		hits, total := score(b, readCorpus(t, part.path), nil)
		t.Log(report(part.name, hits, total))
		if acc := float64(hits[""]) / float64(total[""]); acc < part.least {
			t.Errorf("%s accuracy %.1f%%, want at least %.0f%%", part.name, 100*acc, 100*part.least)
		}
	}
}

// TestHeldOutNotInCatalogue fails when a held-out question appears in the
// catalogue's situations, example questions or keywords, or contains a
// situation or example question of six words or more: knowledge must be
// written to generalise, never copied from the test. Names, aliases,
// constants and error signatures are not checked: a question may simply
// name a code, and a pasted error quotes the software's own words ("RBAC:
// access denied") as the signatures do. Only the catalogue's text is
// printed, never the held-out question.
func TestHeldOutNotInCatalogue(t *testing.T) {
	cat := newBot(t).Catalog()
	texts := map[string]string{} // normalised -> where
	names := map[string]bool{}
	for _, c := range cat.Codes() {
		for _, n := range append([]string{c.Phrase}, c.Aliases...) {
			names[normalize(n)] = true
		}
	}
	var long []string
	for _, c := range cat.Codes() {
		for _, s := range c.Keywords {
			if n := normalize(s); !names[n] {
				texts[n] = fmt.Sprintf("keyword %q of %d", s, c.Code)
			}
		}
		for _, q := range c.Questions {
			n := normalize(q)
			texts[n] = fmt.Sprintf("example question %q of %d", q, c.Code)
			if strings.Count(n, " ") >= 5 {
				long = append(long, n)
			}
		}
		for _, s := range c.Situations {
			n := normalize(s.Text)
			texts[n] = fmt.Sprintf("situation %q of %d", s.Text, c.Code)
			if strings.Count(n, " ") >= 5 {
				long = append(long, n)
			}
		}
	}
	var held []labelled
	for _, path := range heldOutCorpora {
		held = append(held, readCorpus(t, path)...)
	}
	for _, r := range held {
		q := normalize(r.query)
		if where, ok := texts[q]; ok {
			t.Errorf("a held-out question is the catalogue's %s", where)
			continue
		}
		for _, s := range long {
			if strings.Contains(q, s) {
				t.Errorf("a held-out question contains the catalogue's %s", texts[s])
			}
		}
	}
}

// normalize folds text for comparison: lower case, letters and digits, one
// space between words.
func normalize(s string) string {
	var sb strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’':
		case ('a' <= r && r <= 'z') || ('0' <= r && r <= '9'):
			sb.WriteRune(r)
			space = false
		case !space:
			sb.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(sb.String())
}
