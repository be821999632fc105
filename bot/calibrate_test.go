package bot

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/catalog"
)

// TestDumpRetrieval writes, for every question of the development corpus
// that reaches free-text retrieval, the features the confidence rule uses,
// to the file named by STATUSBOT_DUMP, for calibrating tune. It never reads
// the held-out corpus.
func TestDumpRetrieval(t *testing.T) {
	path := os.Getenv("STATUSBOT_DUMP")
	if path == "" {
		t.Skip("set STATUSBOT_DUMP=file to write the calibration features of the dev corpus")
	}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := New(cat, Options{})
	f, err := os.Open("testdata/corpus/dev.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var expected, tag string
	b.trace = func(query string, words []string, q question, r ranking) {
		codes := make([]string, 0, len(r.codes))
		for i, c := range r.codes {
			codes = append(codes, fmt.Sprintf("%d:%.2f", c.Code, r.scores[i]))
		}
		fmt.Fprintf(out, "%s\t%s\t%.3f\t%.3f\t%d\t%d\t%.3f\t%s\t%s\t%d\t%v\t%v\t%.3f\n", expected, tag, r.share, q.mass, r.matched, len(q.terms), r.docCov, strings.Join(codes, " "), query, q.words, q.intent, q.howTo, calibrationFor(q).probability(features(q, r)))
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != 3 || strings.HasPrefix(parts[0], "#") {
			continue
		}
		expected, tag = parts[1], parts[2]
		b.Answer(parts[0])
	}
}

// TestSweepRetrieval tries random combinations of the retrieval's weights
// on the development corpus and prints the best, by how often the best code
// is right: the values in tune and fieldWeight were chosen with it. Set
// STATUSBOT_SWEEP=1 to run it.
func TestSweepRetrieval(t *testing.T) {
	if os.Getenv("STATUSBOT_SWEEP") == "" {
		t.Skip("set STATUSBOT_SWEEP=1 to sweep the retrieval's weights on the dev corpus")
	}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := New(cat, Options{})
	type row struct {
		words []string
		want  map[int]bool
	}
	var rows []row
	var want map[int]bool
	b.trace = func(_ string, words []string, _ question, _ ranking) {
		if want != nil {
			rows = append(rows, row{slices.Clone(words), want})
		}
	}
	data, err := os.ReadFile("testdata/corpus/dev.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		parts := strings.Split(line, "\t")
		if len(parts) != 3 || strings.HasPrefix(parts[0], "#") {
			continue
		}
		want = wantCodes(parts[1])
		b.Answer(parts[0])
	}
	savedTune, savedFields := tune, fieldWeight
	defer func() { tune, fieldWeight = savedTune, savedFields }()
	type result struct {
		hits int
		desc string
	}
	var results []result
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...float64) float64 { return xs[rng.IntN(len(xs))] }
	for k := range 100 {
		if k > 0 { // the first run is the current setting
			tune.coverage = pick(0.4, 0.7, 0.9)
			tune.second = pick(0, 0.25, 0.5)
			tune.wholeEntry = pick(0, 0.15, 0.3)
			tune.synonym = pick(0.3, 0.45, 0.6)
			tune.likelihood = pick(0.3, 0.6, 1)
			tune.smoothing = pick(0.2, 0.5, 1)
			fieldWeight[fieldQuestion] = pick(0.6, 0.8, 1, 1.2)
			fieldWeight[fieldSummary] = pick(0.4, 0.7, 1)
			fieldWeight[fieldExplanation] = pick(0.2, 0.45)
		}
		b := New(cat, Options{})
		hits := 0
		for _, r := range rows {
			if rk := b.retrieve(b.idx.prepare(r.words)); len(rk.codes) > 0 && r.want[rk.codes[0].Code] {
				hits++
			}
		}
		results = append(results, result{hits, fmt.Sprintf("%+v fields %v", tune, fieldWeight)})
	}
	t.Logf("current setting: %d/%d", results[0].hits, len(rows))
	slices.SortStableFunc(results, func(a, b result) int { return b.hits - a.hits })
	for _, r := range results[:10] {
		t.Logf("%d/%d %s", r.hits, len(rows), r.desc)
	}
}

// wantCodes is the set of codes an expectation accepts, or nil when it
// wants no code.
func wantCodes(exp string) map[int]bool {
	exp = strings.TrimPrefix(exp, "unofficial:")
	if exp == "" || exp[0] < '0' || exp[0] > '9' {
		return nil
	}
	m := map[int]bool{}
	for _, s := range strings.Split(exp, "|") {
		var n int
		fmt.Sscan(s, &n)
		m[n] = true
	}
	return m
}

// TestExplainRanking prints, for each line of the file STATUSBOT_EXPLAIN,
// the ranked codes with their best documents: a debugging aid for tuning.
func TestExplainRanking(t *testing.T) {
	path := os.Getenv("STATUSBOT_EXPLAIN")
	if path == "" {
		t.Skip("set STATUSBOT_EXPLAIN=file of questions to see how they rank")
	}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := New(cat, Options{})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b.trace = func(query string, _ []string, q question, r ranking) {
		var words []string
		for _, qt := range q.terms {
			mark := ""
			if !qt.own {
				mark = "~"
			}
			words = append(words, fmt.Sprintf("%s%s(%.1f)", mark, b.idx.stemByID[qt.id], qt.idf))
		}
		t.Logf("Q %s\n   terms %s mass %.1f share %.2f matched %d", query, strings.Join(words, " "), q.mass, r.share, r.matched)
		for i, c := range r.codes {
			why := ""
			if r.why[i] >= 0 {
				why = c.Situations[r.why[i]].Text
			}
			t.Logf("   %d %.2f %s", c.Code, r.scores[i], why)
		}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if q, _, _ := strings.Cut(line, "\t"); q != "" {
			a := b.Answer(q)
			t.Logf("   => %s %v", a.Kind, a.Codes)
		}
	}
}

// example is one question of the development corpus that reached retrieval.
type example struct {
	f       [numFeatures]float64
	right   bool // the best code is right
	nothing bool // nothing should be answered
	long    bool
}

// TestCalibrate fits the confidence rule's logistic model on the
// development corpus and prints its weights and the threshold that scores
// best when a wrong answer costs more than a "not found": the numbers in
// retrieve.go come from here. Set STATUSBOT_CALIBRATE=1 to run it.
func TestCalibrate(t *testing.T) {
	if os.Getenv("STATUSBOT_CALIBRATE") == "" {
		t.Skip("set STATUSBOT_CALIBRATE=1 to fit the confidence rule on the dev corpus")
	}
	const wrongCost = 1.25 // a confident wrong code is worse than "not found"
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := New(cat, Options{})
	var rows []example
	var want map[int]bool
	b.trace = func(_ string, _ []string, q question, r ranking) {
		if len(r.codes) > 0 {
			rows = append(rows, example{features(q, r), want[r.codes[0].Code], want == nil, q.words >= longQuestion})
		}
	}
	// The development corpora, and the short paraphrases of the first round.
	for _, path := range []string{"testdata/corpus/dev.tsv", "testdata/corpus/dev2.tsv", "testdata/paraphrases.tsv"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			parts := strings.Split(line, "\t")
			if len(parts) < 2 || strings.HasPrefix(parts[0], "#") {
				continue
			}
			want = wantCodes(parts[1])
			b.Answer(parts[0])
		}
	}
	var lines []string
	for bucket := range 2 {
		var part []example
		for _, r := range rows {
			if r.long == (bucket == 1) {
				part = append(part, r)
			}
		}
		c, score := fitCalibration(part, wrongCost)
		t.Logf("%d %s examples; threshold %.3f scores %.1f", len(part), []string{"short", "long"}[bucket], c.threshold, score)
		var ws []string
		for _, v := range c.weights {
			ws = append(ws, fmt.Sprintf("%.4f", v))
		}
		lines = append(lines, fmt.Sprintf("\t{weights: [numFeatures]float64{%s}, bias: %.4f, threshold: %.3f},", strings.Join(ws, ", "), c.bias, c.threshold))
	}
	t.Logf("fitted:\n%s", strings.Join(lines, "\n"))
}

// fitCalibration fits a logistic model to rows by gradient descent with a
// little L2, on standardised features, and picks the threshold that scores
// best when a wrong answer costs wrongCost and a right one or a rightly
// withheld one earns 1.
func fitCalibration(rows []example, wrongCost float64) (calibration, float64) {
	var mean, sd [numFeatures]float64
	for _, r := range rows {
		for i, v := range r.f {
			mean[i] += v / float64(len(rows))
		}
	}
	for _, r := range rows {
		for i, v := range r.f {
			sd[i] += (v - mean[i]) * (v - mean[i]) / float64(len(rows))
		}
	}
	for i := range sd {
		sd[i] = math.Sqrt(sd[i])
		if sd[i] == 0 {
			sd[i] = 1
		}
	}
	var w [numFeatures]float64
	var bias float64
	for range 4000 {
		var gw [numFeatures]float64
		var gb float64
		for _, r := range rows {
			z := bias
			for i := range w {
				z += w[i] * (r.f[i] - mean[i]) / sd[i]
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if r.right {
				y = 1
			}
			for i := range w {
				gw[i] += (p - y) * (r.f[i] - mean[i]) / sd[i]
			}
			gb += p - y
		}
		n := float64(len(rows))
		for i := range w {
			w[i] -= 0.2 * (gw[i]/n + 0.01*w[i])
		}
		bias -= 0.2 * gb / n
	}
	var c calibration
	c.bias = bias
	for i := range w {
		c.weights[i] = w[i] / sd[i]
		c.bias -= w[i] * mean[i] / sd[i]
	}
	bestScore := math.Inf(-1)
	for th := 0.05; th < 0.95; th += 0.025 {
		score := 0.0
		for _, r := range rows {
			switch answered := c.probability(r.f) >= th; {
			case answered && r.right:
				score++
			case answered:
				score -= wrongCost
			case r.nothing:
				score++
			}
		}
		if score > bestScore {
			c.threshold, bestScore = th, score
		}
	}
	return c, bestScore
}
