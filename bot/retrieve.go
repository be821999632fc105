package bot

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/statusbot/statusbot/catalog"
)

// Free text is answered by retrieval: the question's words are matched
// against every short document of the catalogue (names, keywords,
// situations, example questions, summaries, explanation sentences), each
// word weighted by how few codes use it. A code scores by its best
// documents, by how much of the question its entry covers as a whole, and
// by how likely its entry, as a bag of words, makes the question.

// tune holds the retrieval's weights. They were chosen by sweeping them on
// the development corpus (TestSweepRetrieval), and checked on every
// development part's whole answers (TestScanRetrieval, which raised
// candidate); the answers change little around these values.
var tune = struct {
	synonym    float64 // weight of a word's synonym, against 1 for the word
	corrected  float64 // weight of a typo-corrected word
	unknown    float64 // rarity of a word no entry uses, against the rarest known
	coverage   float64 // share of a document's score that depends on how much of it the question covers
	second     float64 // weight of a code's second-best document
	wholeEntry float64 // weight of the question's share that the code's entry covers as a whole
	likelihood float64 // weight of the likelihood of the question under the code's entry
	smoothing  float64 // additive smoothing of that likelihood
	candidate  float64 // a code the text names wins if it scores this share of the best
	success    float64 // how much more a success code scores for a story of success
	replaced   float64 // how much less the code a text asks to replace scores
	ownFault   float64 // how much more a server-error code scores when the server's own code or setup is to blame
	noMethod   float64 // how much less 405 scores for a text that names no request method
}{
	synonym:    0.45,
	corrected:  0.9,
	unknown:    0.35,
	coverage:   0.7,
	second:     0.25,
	wholeEntry: 0.15,
	likelihood: 0.6,
	smoothing:  0.5,
	candidate:  0.8,
	success:    0.3,
	replaced:   0.15,
	ownFault:   0.2,
	noMethod:   0.2,
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
	terms   []qterm
	mass    float64 // the information in the question: its own words' rarity, summed
	words   int     // its content words, known or not
	generic int     // those of them that name no situation: "error", "issue"
	intent  bool    // it asks for a status ("which code", "what should it return")
	within  int     // the class the answer must be in, when it names one; else 0
	named   []int   // codes the text mentions or quotes
	vendor  []int   // codes of the vendors the text names
	howTo   bool    // it asks how to do something, or what a thing is
	fine    bool    // it tells of a request that went well; see tellsSuccess
	own     bool    // it blames the server's own code or setup; see blamesServer
	logs    bool    // it speaks of logs, where the log-only codes are found
	not     int     // the code it asks to replace ("returns 500; what should it be?"), or 0
	method  bool    // it names a request method, or methods as such; see namesMethod
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
	for _, w := range words {
		if genericWords[w] {
			q.generic++
		}
	}
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
		if v := idx.americanSpelling(w); v != "" {
			add(v, 1, true)
			q.mass += idx.terms[idx.termIDs[v]].idf
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

// genericWords name a trouble without telling it.
var genericWords = wordSet("error", "errors", "issue", "issues", "problem", "problems", "fail", "failure", "failed")

// britishEndings are the endings of British spellings and their American
// forms, which the catalogue uses: "authorised", "behaviour", "licence",
// "catalogue", "cancelled", "centre", "analyse".
var britishEndings = [][2]string{
	{"isations", "izations"}, {"isation", "ization"}, {"ising", "izing"}, {"ised", "ized"},
	{"ises", "izes"}, {"iser", "izer"}, {"ise", "ize"}, {"ysing", "yzing"}, {"ysed", "yzed"},
	{"yse", "yze"}, {"ours", "ors"}, {"oured", "ored"}, {"ouring", "oring"}, {"our", "or"},
	{"ences", "enses"}, {"ence", "ense"}, {"ogues", "ogs"}, {"ogue", "og"}, {"tres", "ters"},
	{"tre", "ter"}, {"lled", "led"}, {"lling", "ling"},
}

// americanSpelling returns the term of w's American spelling when w is a
// British spelling of a word the catalogue uses, or "". Only words the
// catalogue does not use are tried, so a word that merely ends the same
// way ("promise", "hour") is never changed.
func (idx *index) americanSpelling(w string) string {
	if len(w) < 5 {
		return ""
	}
	for _, e := range britishEndings {
		if stemOf, ok := strings.CutSuffix(w, e[0]); ok && len(stemOf) >= 2 {
			if s := idx.queryStem(stemOf + e[1]); s != "" {
				if _, known := idx.termIDs[s]; known {
					return s
				}
			}
			return ""
		}
	}
	return ""
}

// termStem returns the stem of term id (for synonym lookups).
func (idx *index) termStem(id int32) string {
	if idx.stemByID == nil {
		return ""
	}
	return idx.stemByID[id]
}

// ranking is the result of retrieval.
// saysName reports whether q holds a content word of one of c's names
// ("teapot" for 418), or two of its keywords' ("coffee pot refuses
// to brew"): one keyword alone is a stray remark ("spilled my coffee").
func (idx *index) saysName(q question, c *catalog.Code) bool {
	holds := func(w string) bool {
		id, ok := idx.termIDs[idx.queryStem(w)]
		return ok && slices.ContainsFunc(q.terms, func(t qterm) bool { return t.id == id && t.own })
	}
	for _, n := range namesOf(c) {
		if slices.ContainsFunc(content(n), holds) {
			return true
		}
	}
	found := map[string]bool{}
	for _, k := range c.Keywords {
		for _, w := range content(k) {
			if holds(w) {
				found[idx.queryStem(w)] = true
			}
		}
	}
	return len(found) >= 2
}

// preferring returns r with the codes of cs that it ranks moved to the
// front, in its order, and whether it ranks any.
func (r ranking) preferring(cs []*catalog.Code) (ranking, bool) {
	var codes []*catalog.Code
	var why []int
	for _, pass := range []bool{true, false} {
		for i, c := range r.codes {
			if slices.Contains(cs, c) == pass {
				codes, why = append(codes, c), append(why, r.why[i])
			}
		}
	}
	if len(codes) == 0 || !slices.Contains(cs, codes[0]) {
		return r, false
	}
	r.codes, r.why, r.scores = codes, why, nil
	return r, true
}

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
	field   field   // the field of the best code's best document
	// rival is the score of the best runner-up that experts do not split
	// with the best code: a split partner close behind is expected, and
	// the answer names it (404 and 410 for an erased account).
	rival float64
}

type scratch struct {
	doc     []float64
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
	}
	for _, t := range q.terms {
		for _, d := range idx.terms[t.id].docs {
			if sc.doc[d] == 0 {
				sc.touched = append(sc.touched, d)
			}
			sc.doc[d] += t.weight * t.idf
		}
	}
	var best, second [600]float64
	var bestSit [600]int
	for i := range bestSit {
		bestSit[i] = -1
	}
	var sitScore [600]float64
	var bestCov [600]float64
	var bestField [600]field
	for _, d := range sc.touched {
		dd := &idx.ranked[d]
		cov := min(1, sc.doc[d]/dd.mass)
		s := fieldWeight[dd.field] * sc.doc[d] * (1 - tune.coverage + tune.coverage*cov)
		switch c := dd.code; {
		case s > best[c]:
			best[c], second[c] = s, best[c]
			bestCov[c], bestField[c] = cov, dd.field
		case s > second[c]:
			second[c] = s
		}
		if dd.field == fieldSituation && s > sitScore[dd.code] {
			sitScore[dd.code], bestSit[dd.code] = s, int(dd.sit)
		}
		sc.doc[d] = 0
	}
	sc.touched = sc.touched[:0]
	var scores [600]float64
	var covered [600]float64
	// Likelihood: how well each code's whole entry, as a bag of words
	// with additive smoothing, explains the question's words. Only codes
	// that use at least one of them are ranked, so the terms that are the
	// same for every code are left out.
	var ql [600]float64
	var qw float64
	var mask [600]uint64 // which question terms each code's entry covers
	for qi, t := range q.terms {
		qw += t.weight
		for _, ct := range idx.terms[t.id].byCode {
			ql[ct.code] += t.weight * math.Log(1+float64(ct.tf)/tune.smoothing)
			mask[ct.code] |= 1 << uint(qi)
		}
	}
	vocab := tune.smoothing * float64(len(idx.terms))
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
		s := best[c.Code] + tune.second*second[c.Code] + tune.wholeEntry*covered[c.Code]
		s += tune.likelihood * (ql[c.Code] + qw*math.Log(vocab/(idx.codeLen[c.Code]+vocab)))
		// A mild prior: between codes that fit about as well, the one
		// people ask about more (and the registered one) is the likelier.
		s *= 1 + float64(c.Popularity)/1000
		if c.Official {
			s *= 1.02
		}
		if q.fine && c.Code/100 == 2 {
			s *= 1 + tune.success
		}
		if q.own && c.Code/100 == 5 {
			s *= 1 + tune.ownFault
		}
		if c.Code == q.not {
			s *= 1 - tune.replaced
		}
		if c.Code == 405 && !q.method {
			// "not allowed to see this" is no method's fault.
			s *= 1 - tune.noMethod
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
	// The codes a text mentions or quotes, and the codes of a vendor it
	// names ("Cloudflare cuts it off with a timeout page": 524, not 504),
	// win over close runners-up: that evidence counts as much as the lead.
	// A vendor's log-only code is what a client saw only in a text about
	// logs: "nginx gave up on php-fpm" is the 504 nginx sends, not the 499
	// it logs when the client gives up.
	// When the text names the lead too ("301 or 302 for a page that moved
	// for good?"), the situation decides between them.
	for i := 1; i < min(3, len(r.codes)) && !slices.Contains(q.named, r.codes[0].Code); i++ {
		c := r.codes[i].Code
		seen := q.logs || !r.codes[i].Has(catalog.FlagLogOnly)
		named := slices.Contains(q.named, c) || seen && slices.Contains(q.vendor, c) && !slices.Contains(q.vendor, r.codes[0].Code) &&
			related(r.codes[0], r.codes[i])
		if named && r.scores[i] >= tune.candidate*r.scores[0] {
			lead := r.scores[0]
			r = r.promote(i)
			r.scores[0], r.scores[i] = lead, r.scores[0]
			break
		}
	}
	for i := 1; i < len(r.codes); i++ {
		if _, split := b.cat.Split(r.codes[0].Code, r.codes[i].Code); !split {
			r.rival = r.scores[i]
			break
		}
	}
	if len(r.codes) > 0 && q.mass > 0 {
		top := r.codes[0].Code
		r.docCov = bestCov[top]
		r.best = best[top]
		r.field = bestField[top]
		for m := mask[top]; m != 0; m &= m - 1 {
			if q.terms[bits.TrailingZeros64(m)].own {
				r.matched++
			}
		}
		r.share = covered[top] / q.mass
		r.confident = calibrationFor(q).confident(features(q, r))
		if !q.intent && r.codes[0].Has(catalog.FlagUnused) && !b.idx.saysName(q, r.codes[0]) {
			// A code the registry keeps unused (418's teapot) answers a
			// question about statuses, or a text that names it, not a
			// stray remark ("my cat knocked my coffee over").
			r.confident = false
		}
		if q.words-q.generic == 1 && (r.field == fieldQuestion || r.field == fieldExplanation) {
			// One word found only in an example or an explanation is a
			// detail of it ("banana", "banana error"), not what the code
			// is about.
			r.confident = false
		}
	}
	return r
}

// related reports whether a vendor's code b may stand for a: the
// catalogue relates them (see also), or both are server errors, where the
// vendor's refines the standard one ("Cloudflare cuts it off with a
// timeout page": 524 for 504). An ALB's 464, a protocol mismatch, does not
// stand for its empty target group's 503.
func related(a, b *catalog.Code) bool {
	return slices.Contains(a.SeeAlso, b.Code) || slices.Contains(b.SeeAlso, a.Code) || a.Code/100 == 5 && b.Code/100 == 5
}

// leading returns r with c first: promoted where r ranks it, else put
// before the others with the best score and no situation of its own.
func (r ranking) leading(c *catalog.Code) ranking {
	if i := slices.Index(r.codes, c); i >= 0 {
		return r.promote(i)
	}
	best := 0.0
	if len(r.scores) > 0 {
		best = r.scores[0]
	}
	n := min(len(r.codes), MaxChoices) // the rest keep their room
	r.codes = append([]*catalog.Code{c}, r.codes[:n]...)
	r.scores = append([]float64{best}, r.scores[:n]...)
	r.why = append([]int{-1}, r.why[:n]...)
	return r
}

// promote returns r with its i-th code swapped with the first.
func (r ranking) promote(i int) ranking {
	r.codes, r.scores, r.why = swapped(r.codes, i), swapped(r.scores, i), swapped(r.why, i)
	return r
}

// behind returns where r ranks code c when one of leaders is first and c
// stands at most maxAt places down with at least share of the first's
// score; else 0. A reading that favours c may then promote it.
func (r ranking) behind(c, maxAt int, share float64, leaders ...int) int {
	if len(r.codes) == 0 || !slices.Contains(leaders, r.codes[0].Code) {
		return 0
	}
	i := slices.IndexFunc(r.codes, func(x *catalog.Code) bool { return x.Code == c })
	if i <= 0 || i > maxAt || r.scores[i] < share*r.scores[0] {
		return 0
	}
	return i
}

// swapped returns a copy of s with its first and i-th elements swapped.
func swapped[T any](s []T, i int) []T {
	s = slices.Clone(s)
	s[0], s[i] = s[i], s[0]
	return s
}

// The confidence rule: the probability that the best code is right, from a
// logistic model over the ranking's features. Its weights are fitted on the
// development corpus by TestCalibrate (STATUSBOT_CALIBRATE=1), which prints
// them; they are not set by hand.

const numFeatures = 10

// features describes how well the best code fits q.
func features(q question, r ranking) [numFeatures]float64 {
	var f [numFeatures]float64
	if len(r.codes) == 0 {
		return f
	}
	s1 := r.scores[0]
	f[0] = math.Log1p(s1)
	if s1 > 0 {
		f[1] = r.rival / s1
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
	f[9] = math.Log1p(max(0, s1-r.rival))
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
	{weights: [numFeatures]float64{2.7419, -0.0205, 3.5157, -0.0198, 2.8246, 0.0567, -2.9508, -0.8261, 0.1830, 0.7184}, bias: -10.1761, threshold: 0.525},
	{weights: [numFeatures]float64{1.4551, -1.6022, 0.7540, 0.3448, 0.7969, 0.6115, -2.6427, -2.3853, 0.6839, 0.8090}, bias: -1.5250, threshold: 0.625},
	// END fitted
}
