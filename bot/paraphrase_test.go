package bot_test

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
)

// TestParaphrases runs questions worded the way people ask them, none of
// them taken from the shared evaluation sample.
func TestParaphrases(t *testing.T) {
	b := newBot(t)
	f, err := os.Open("testdata/paraphrases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, exp, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		var want []int
		for _, s := range strings.Split(exp, "|") {
			c, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("bad expectation in %q", line)
			}
			want = append(want, c)
		}
		n++
		a := b.Answer(q)
		if (a.Kind != bot.KindStatus && a.Kind != bot.KindSearch) || !slices.Contains(want, a.Codes[0]) {
			t.Errorf("Answer(%q) = %s %v, want first of %v", q, a.Kind, a.Codes, want)
		}
	}
	if n < 80 {
		t.Errorf("only %d paraphrases read", n)
	}
}
