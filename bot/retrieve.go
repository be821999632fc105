package bot

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"

	"github.com/statusbot/statusbot/catalog"
)

// Free text is answered by retrieval: the question's words are matched
// against every short document of the catalogue (names, keywords,
// situations, summaries, explanation sentences), each word weighted by how
// few codes use it; a code scores by its best documents and by how much of
// the question its entry covers as a whole.

// Tuning of the retrieval, calibrated on the development corpus
// (bot/testdata/corpus_dev.tsv) by TestCorpus's report.
var tune = struct {
	synonym     float64 // weight of a word's synonym, against 1 for the word
	corrected   float64 // weight of a typo-corrected word
	unknown     float64 // rarity of a word no entry uses, against the rarest known
	coverage    float64 // share of a document's score that depends on how much of it the question covers
	second      float64 // weight of a code's second-best document
	wholeEntry  float64 // weight of the question's share that the code's entry covers as a whole
	splitMargin float64 // a runner-up within this share of the best is offered first
	likelihood  float64 // weight of the query likelihood of the code's whole entry
	mu          float64 // Dirichlet smoothing of that likelihood
	knn         float64 // weight of the best documents
	laplace     float64 // additive smoothing of the likelihood instead (0: Dirichlet)
	candidate   float64 // a code the text names wins if it scores this share of the best
	recurring   int     // a word fewer documents use than this counts for less...
	rarePenalty float64 // ...by this power of its share of it
}{
	candidate:   0.5,
	recurring:   1,
	rarePenalty: 1,
	likelihood:  0.6,
	laplace:     0.5,
	mu:          30,
	knn:         1,
	synonym:     0.45,
	corrected:   0.9,
	unknown:     0.35,
	coverage:    0.7,
	second:      0.25,
	wholeEntry:  0.15,
	splitMargin: 0.85,
}

// maxQueryTerms bounds the words of a question used for retrieval.
const maxQueryTerms = 64

// qterm is one word of a question, as a term of the index.
type qterm struct {
	id     int32
	weight float64
	idf    float64
	own    bool // the question's own word, not a synonym
}

// question is free text prepared for retrieval.
type question struct {
	terms  []qterm
	mass   float64 // the information in the question: its own words' rarity, summed
	words  int     // its content words, known or not
	intent bool    // it asks for a status ("which code", "what should it return")
	within int     // the class the answer must be in, when it names one; else 0
	howTo  bool    // it asks how to do something, or what a thing is
}

// prepare turns content words into weighted terms.
func (idx *index) prepare(words []string) question {
	var q question
	add := func(s string, w float64, own bool) bool {
		id, ok := idx.termIDs[s]
		if !ok {
			return false
		}
		for i := range q.terms {
			if q.terms[i].id == id {
				if w > q.terms[i].weight {
					q.terms[i].weight, q.terms[i].own = w, own
				}
				return true
			}
		}
		if len(q.terms) < maxQueryTerms {
			q.terms = append(q.terms, qterm{id: id, weight: w, idf: idx.terms[id].idf, own: own})
		}
		return true
	}
	q.words = len(words)
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		if seen[w] {
			continue
		}
		seen[w] = true
		s := idx.queryStem(w)
		if add(s, 1, true) {
			q.mass += idx.terms[idx.termIDs[s]].idf
			continue
		}
		if c := idx.correct(w); c != "" && add(idx.queryStem(c), tune.corrected, true) {
			q.mass += idx.terms[idx.termIDs[idx.queryStem(c)]].idf
			continue
		}
		q.mass += tune.unknown * idx.maxIDF
		// A word the catalogue never uses may still have synonyms it does
		// ("downtime" for "maintenance").
		for _, c := range idx.concepts[s] {
			add(c, tune.synonym, false)
		}
	}
	// The concepts of the question's own words, at a discount.
	for _, t := range slices.Clone(q.terms) {
		for _, c := range idx.concepts[idx.termStem(t.id)] {
			add(c, tune.synonym*t.weight, false)
		}
	}
	return q
}

// termStem returns the stem of term id (for synonym lookups).
func (idx *index) termStem(id int32) string {
	if idx.stemByID == nil {
		return ""
	}
	return idx.stemByID[id]
}

// ranking is the result of retrieval.
type ranking struct {
	codes     []*catalog.Code
	scores    []float64
	why       []int // per ranked code, the index of its best-matching situation, or -1
	share     float64
	confident bool

	// For calibration: the best code's matched question words, and how
	// much of its best document the question covers.
	matched int
	docCov  float64
	best    float64 // the best code's best document's score
}

type scratch struct {
	doc     []float64
	matched []float64
	touched []int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// retrieve ranks codes for q.
func (b *Bot) retrieve(q question) ranking {
	idx := b.idx
	var r ranking
	if len(q.terms) == 0 {
		return r
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	if len(sc.doc) < len(idx.docs) {
		sc.doc = make([]float64, len(idx.docs))
		sc.matched = make([]float64, len(idx.docs))
	}
	var mask [600]uint64 // which question terms each code's entry covers
	for qi, t := range q.terms {
		for _, d := range idx.terms[t.id].docs {
			if sc.doc[d] == 0 {
				sc.touched = append(sc.touched, d)
			}
			sc.doc[d] += t.weight * t.idf
			sc.matched[d] += t.weight * t.idf
			mask[idx.docs[d].code] |= 1 << uint(qi)
		}
	}
	var best, second [600]float64
	var bestSit [600]int
	for i := range bestSit {
		bestSit[i] = -1
	}
	var sitScore [600]float64
	var bestCov [600]float64
	for _, d := range sc.touched {
		dd := &idx.docs[d]
		cov := min(1, sc.matched[d]/dd.mass)
		s := fieldWeight[dd.field] * sc.doc[d] * (1 - tune.coverage + tune.coverage*cov)
		switch c := dd.code; {
		case s > best[c]:
			best[c], second[c] = s, best[c]
			bestCov[c] = cov
		case s > second[c]:
			second[c] = s
		}
		if dd.field == fieldSituation && s > sitScore[dd.code] {
			sitScore[dd.code], bestSit[dd.code] = s, dd.sit
		}
		sc.doc[d], sc.matched[d] = 0, 0
	}
	sc.touched = sc.touched[:0]
	var scores [600]float64
	var covered [600]float64
	// Query likelihood: how well each code's whole entry explains the
	// question's words (Dirichlet-smoothed; only the codes that use at
	// least one word are ranked, so the constant terms are left out).
	var ql [600]float64
	var qw float64
	for _, t := range q.terms {
		qw += t.weight
		for _, ct := range idx.terms[t.id].byCode {
			if tune.laplace > 0 {
				ql[ct.code] += t.weight * math.Log(1+float64(ct.tf)/tune.laplace)
			} else {
				ql[ct.code] += t.weight * math.Log(1+float64(ct.tf)/(tune.mu*idx.terms[t.id].p))
			}
		}
	}
	for _, c := range b.cat.Codes() {
		m := mask[c.Code]
		if m == 0 || idx.noSit[c.Code] || q.within != 0 && c.Code/100 != q.within {
			continue
		}
		for m != 0 {
			qi := bits.TrailingZeros64(m)
			m &= m - 1
			if q.terms[qi].own {
				covered[c.Code] += q.terms[qi].weight * q.terms[qi].idf
			} else {
				covered[c.Code] += 0.5 * q.terms[qi].weight * q.terms[qi].idf
			}
		}
		s := tune.knn*(best[c.Code]+tune.second*second[c.Code]) + tune.wholeEntry*covered[c.Code]
		if tune.laplace > 0 {
			s += tune.likelihood * (ql[c.Code] + qw*math.Log(tune.laplace*float64(len(idx.terms))/(idx.codeLen[c.Code]+tune.laplace*float64(len(idx.terms)))))
		} else {
			s += tune.likelihood * (ql[c.Code] + qw*math.Log(tune.mu/(idx.codeLen[c.Code]+tune.mu)))
		}
		// A mild prior: between codes that fit about as well, the one
		// people ask about more (and the registered one) is the likelier.
		s *= 1 + float64(c.Popularity)/1000
		if c.Official {
			s *= 1.02
		}
		scores[c.Code] = s
		if s > 0 {
			r.codes = append(r.codes, c)
		}
	}
	sort.SliceStable(r.codes, func(i, j int) bool {
		a, z := r.codes[i], r.codes[j]
		if scores[a.Code] != scores[z.Code] {
			return scores[a.Code] > scores[z.Code]
		}
		return a.Popularity > z.Popularity
	})
	if len(r.codes) > 1+MaxChoices {
		r.codes = r.codes[:1+MaxChoices]
	}
	// Drop the tail that scores far below the best.
	for i := 1; i < len(r.codes); i++ {
		if scores[r.codes[i].Code] < scores[r.codes[0].Code]/3 {
			r.codes = r.codes[:i]
			break
		}
	}
	for _, c := range r.codes {
		r.scores = append(r.scores, scores[c.Code])
		r.why = append(r.why, bestSit[c.Code])
	}
	if len(r.codes) > 0 && q.mass > 0 {
		top := r.codes[0].Code
		r.docCov = bestCov[top]
		r.best = best[top]
		for m := mask[top]; m != 0; m &= m - 1 {
			if q.terms[bits.TrailingZeros64(m)].own {
				r.matched++
			}
		}
		r.share = covered[top] / q.mass
		r.confident = calibrationFor(q).confident(features(q, r))
	}
	return r
}

// promote returns r with its i-th code moved to the front.
func (r ranking) promote(i int) ranking {
	move := func(s []int) { s[0], s[i] = s[i], s[0] }
	codes := slices.Clone(r.codes)
	codes[0], codes[i] = codes[i], codes[0]
	scores := slices.Clone(r.scores)
	scores[0], scores[i] = scores[i], scores[0]
	why := slices.Clone(r.why)
	move(why)
	r.codes, r.scores, r.why = codes, scores, why
	return r
}

// The confidence rule: the probability that the best code is right, from a
// logistic model over the ranking's features. Its weights are fitted on the
// development corpus by TestCalibrate (STATUSBOT_CALIBRATE=1), which prints
// them; they are not set by hand.

const numFeatures = 9

// features describes how well the best code fits q.
func features(q question, r ranking) [numFeatures]float64 {
	var f [numFeatures]float64
	if len(r.codes) == 0 {
		return f
	}
	s1 := r.scores[0]
	f[0] = math.Log1p(s1)
	if len(r.scores) > 1 && s1 > 0 {
		f[1] = r.scores[1] / s1
	}
	f[2] = min(r.share, 2)
	f[3] = float64(min(r.matched, 8))
	f[4] = r.docCov
	if q.intent {
		f[5] = 1
	}
	if q.howTo {
		f[6] = 1
	}
	f[7] = math.Log1p(float64(q.words))
	f[8] = math.Log1p(r.best)
	return f
}

// calibration is a fitted logistic model of the probability that the best
// code is right, and the least probability the core answers with.
type calibration struct {
	weights   [numFeatures]float64
	bias      float64
	threshold float64
}

func (c calibration) probability(f [numFeatures]float64) float64 {
	z := c.bias
	for i, w := range c.weights {
		z += w * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

func (c calibration) confident(f [numFeatures]float64) bool { return c.probability(f) >= c.threshold }

// longQuestion is the fewest content words of a long question. Long
// questions (chat messages with context) and short ones (fragments, names)
// are calibrated apart: noise lowers a long question's scores.
const longQuestion = 10

func calibrationFor(q question) calibration {
	if q.words >= longQuestion {
		return calibrations[1]
	}
	return calibrations[0]
}

// calibrations are the short and long questions' models, written by
// TestCalibrate (STATUSBOT_CALIBRATE=1) from the development corpus.
var calibrations = [2]calibration{
	// BEGIN fitted
	{weights: [numFeatures]float64{3.0132, -3.6795, 2.2782, -0.0114, 3.1033, -0.2268, -3.0131, -0.2706, 0.1302}, bias: -6.6510, threshold: 0.575},
	{weights: [numFeatures]float64{2.0722, -8.2759, -0.0201, -0.0156, 0.9043, -1.3699, 2.5547, -0.9582, -1.0000}, bias: 7.7336, threshold: 0.575},
	// END fitted
}
