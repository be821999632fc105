package bot

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/statusbot/statusbot/catalog"
)

// minScore is the least free-text score the core will answer with; below it
// the answer is "not found" with suggestions, never a confident guess.
const minScore = 2.0

// words that turn a query into a comparison of the codes on either side.
var compareWords = map[string]bool{"vs": true, "versus": true, "v": true}

// words that introduce a comparison: "compare X and Y", "difference between X and Y".
var compareLeads = map[string]bool{"compare": true, "comparing": true, "difference": true, "differences": true, "diff": true, "between": true}

// resolve answers one raw query. It tokenises the text once, then tries
// the readings from the most literal to the loosest: help and random;
// numbers, masks and ranges; named comparisons; class names; exact names and
// aliases; typo-corrected names; free text. The first that fits answers.
func (b *Bot) resolve(raw string) *Answer {
	if len(raw) > MaxQueryLen && (len(raw) > 4*MaxQueryLen || utf8.RuneCountInString(raw) > MaxQueryLen) {
		return tooLongAnswer(strings.ToValidUTF8(truncate(raw, MaxQueryLen), "\uFFFD"))
	}
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, "\uFFFD")
	}
	var buf [16]string
	toks := tokenize(raw, buf[:0])
	// Leading command words: "!http", "/http", "statusbot", "status", "error".
	for len(toks) > 0 && (toks[0] == "http" || toks[0] == "statusbot" || toks[0] == "status" || toks[0] == "error") {
		toks = toks[1:]
	}
	switch {
	case len(toks) == 0:
		return b.helpAnswer(raw)
	case len(toks) == 1 && (toks[0] == "help" || toks[0] == "usage" || toks[0] == "commands"):
		return b.helpAnswer(raw)
	case len(toks) == 1 && toks[0] == "random":
		codes := b.cat.Codes()
		return b.codeAnswer(raw, KindStatus, []*catalog.Code{codes[b.opts.Rand(len(codes))]})
	}
	if a := b.byNumber(raw, toks); a != nil {
		return a
	}
	if a := b.byCompare(raw, toks); a != nil {
		return a
	}
	words := withoutStopwords(toks)
	if len(words) == 0 {
		return b.helpAnswer(raw)
	}
	key := strings.Join(words, " ")
	if cl, ok := b.idx.classes[key]; ok {
		return b.classAnswer(raw, cl, "")
	}
	if cs, ok := b.idx.names[key]; ok {
		return b.codeAnswer(raw, KindStatus, cs)
	}
	// Typos: correct each unknown word, then try the names again.
	corrected, changed := words, false
	for i, w := range words {
		if c := b.idx.correct(w); c != "" {
			if !changed {
				corrected, changed = slices.Clone(words), true
			}
			corrected[i] = c
		}
	}
	ranked, confident := b.search(corrected)
	if changed {
		if cs, ok := b.idx.names[strings.Join(corrected, " ")]; ok {
			return b.codeAnswer(raw, KindSearch, mergeRanked(cs, ranked))
		}
		if cl, ok := b.idx.classes[strings.Join(corrected, " ")]; ok {
			return b.classAnswer(raw, cl, "")
		}
	}
	if confident {
		return b.codeAnswer(raw, KindSearch, ranked)
	}
	return b.notFoundAnswer(raw, truncate(strings.Join(toks, " "), 100), mergeRanked(ranked, b.nearestNames(key)))
}

func withoutStopwords(toks []string) []string {
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if !stopwords[t] {
			out = append(out, t)
		}
	}
	return out
}

// byNumber answers queries that carry a status number, a mask such as 4xx or
// 41x, or a range such as 400-499.
func (b *Bot) byNumber(raw string, toks []string) *Answer {
	var codes []int
	other := -1
	for _, t := range toks {
		if cl, mask, ok := maskOf(t); ok {
			return b.classAnswer(raw, b.cat.Class(cl), mask)
		}
		n, ok := number(t)
		if !ok && len(t) == 4 && t[3] == 's' {
			// "404s", "500s": a plural of a code; "500s" means the class.
			n, ok = number(t[:3])
			if ok && n%100 == 0 && n >= 100 && n <= 500 {
				return b.classAnswer(raw, b.cat.Class(n/100), "")
			}
		}
		if !ok {
			if isDigits(t) && other < 0 {
				other = 1_000_000 // too many digits to be a code
			}
			continue
		}
		if n >= 100 && n <= 599 {
			if !slices.Contains(codes, n) {
				codes = append(codes, n)
			}
		} else if other < 0 {
			other = n
		}
	}
	switch {
	case len(codes) == 2 && codes[0]%100 == 0 && codes[1] == codes[0]+99:
		return b.classAnswer(raw, b.cat.Class(codes[0]/100), "")
	case len(codes) >= 2:
		var cs []*catalog.Code
		for _, n := range codes {
			if c := b.cat.Code(n); c != nil {
				cs = append(cs, c)
			}
		}
		if len(cs) >= 2 {
			return b.compareAnswer(raw, cs[:min(len(cs), 5)])
		}
		if len(cs) == 1 {
			return b.codeAnswer(raw, KindStatus, cs)
		}
		return b.numberAnswer(raw, codes[0])
	case len(codes) == 1:
		if c := b.cat.Code(codes[0]); c != nil {
			return b.codeAnswer(raw, KindStatus, []*catalog.Code{c})
		}
		return b.numberAnswer(raw, codes[0])
	case other >= 0:
		return b.numberAnswer(raw, other)
	}
	return nil
}

// maskOf recognises "4xx" and "41x".
func maskOf(t string) (class int, mask string, ok bool) {
	if len(t) != 3 || t[0] < '1' || t[0] > '5' || t[2] != 'x' {
		return 0, "", false
	}
	switch {
	case t[1] == 'x':
		return int(t[0] - '0'), "", true
	case isDigit(t[1]):
		return int(t[0] - '0'), t, true
	}
	return 0, "", false
}

// byCompare answers "unauthorized vs forbidden" and "difference between gone
// and not found": two named codes on either side of a comparison word.
func (b *Bot) byCompare(raw string, toks []string) *Answer {
	lead := len(toks) > 0 && compareLeads[toks[0]]
	start := 0
	for start < len(toks) && (compareLeads[toks[start]] || stopwords[toks[start]] && toks[start] != "and" && toks[start] != "or") {
		lead = lead || compareLeads[toks[start]]
		start++
	}
	for i := start + 1; i < len(toks)-1; i++ {
		t := toks[i]
		if !compareWords[t] && !(lead && (t == "and" || t == "with" || t == "to" || t == "or")) && t != "or" {
			continue
		}
		left, right := b.named(toks[start:i]), b.named(toks[i+1:])
		if left != nil && right != nil && left != right {
			return b.compareAnswer(raw, []*catalog.Code{left, right})
		}
	}
	return nil
}

// named resolves a short run of words to one code by its name, allowing typos.
func (b *Bot) named(toks []string) *catalog.Code {
	words := withoutStopwords(toks)
	if len(words) == 0 || len(words) > 6 {
		return nil
	}
	if cs, ok := b.idx.names[strings.Join(words, " ")]; ok {
		return cs[0]
	}
	fixed := make([]string, len(words))
	for i, w := range words {
		fixed[i] = w
		if c := b.idx.correct(w); c != "" {
			fixed[i] = c
		}
	}
	if cs, ok := b.idx.names[strings.Join(fixed, " ")]; ok {
		return cs[0]
	}
	return nil
}

// search ranks codes for free text: words weighted by where they occur in a
// code's entry and by how rare they are, plus bonuses for whole multi-word
// names and keywords. confident is false when even the best code leaves
// most of the question unexplained (the rarest words of "cors error" match
// nothing): its ranking is then only worth offering as suggestions.
func (b *Bot) search(words []string) (ranked []*catalog.Code, confident bool) {
	if len(words) == 0 {
		return nil, false
	}
	var scores, explained [600]float64
	ss := stems(words)
	seen := make(map[string]bool, len(ss))
	total := 0.0 // the question's information: the rarity of its words
	for _, s := range ss {
		if seen[s] {
			continue
		}
		seen[s] = true
		se := b.idx.stems[s]
		if se == nil {
			total += b.idx.maxIDF // a word the catalogue never uses
			continue
		}
		total += se.idf
		for _, p := range se.postings {
			scores[p.code] += p.weight * se.idf
			if p.weight >= weightSummary {
				explained[p.code] += se.idf // a word only in the explanation explains little
			}
		}
	}
	for i, s := range ss {
		for _, ph := range b.idx.phrases[s] {
			if i+len(ph.stems) <= len(ss) && slices.Equal(ss[i:i+len(ph.stems)], ph.stems) {
				scores[ph.code] += 3 * float64(len(ph.stems))
			}
		}
	}
	for _, c := range b.cat.Codes() {
		s := scores[c.Code]
		if s == 0 {
			continue
		}
		// Prefer codes that explain more of the question, and codes one of
		// whose names the question covers more completely.
		s *= 0.5 + 0.5*explained[c.Code]/total
		s += weightCoverage * b.idx.coverage(c.Code, seen)
		// A mild prior: between codes that fit about as well, the one
		// people ask about more (and the registered one) is the likelier.
		s *= 1 + float64(c.Popularity)/400
		if c.Official {
			s *= 1.05
		}
		scores[c.Code] = s
		if s >= minScore {
			ranked = append(ranked, c)
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool {
		a, z := ranked[i], ranked[j]
		if scores[a.Code] != scores[z.Code] {
			return scores[a.Code] > scores[z.Code]
		}
		return a.Popularity > z.Popularity
	})
	if len(ranked) > 1+MaxChoices {
		ranked = ranked[:1+MaxChoices]
	}
	// Drop the tail that scores far below the best.
	for i := 1; i < len(ranked); i++ {
		if scores[ranked[i].Code] < scores[ranked[0].Code]/4 {
			ranked = ranked[:i]
			break
		}
	}
	confident = len(ranked) > 0 && explained[ranked[0].Code] >= minExplained*total
	return ranked, confident
}

// minExplained is the least share of a question's information the best code
// must explain for the core to answer with it.
const minExplained = 0.5

// weightCoverage scales the bonus for covering one of a code's names.
const weightCoverage = 4.0

// coverage is the largest share of any one of code's names and keywords
// found in the question's stems: 1 when a whole name is present, in any order.
func (idx *index) coverage(code int, query map[string]bool) float64 {
	best := 0.0
	for _, name := range idx.named[code] {
		n := 0
		for _, s := range name {
			if query[s] {
				n++
			}
		}
		if f := float64(n) / float64(len(name)); f > best {
			best = f
		}
	}
	return best
}

// mergeRanked puts first ahead of the rest, without repeats.
func mergeRanked(first, rest []*catalog.Code) []*catalog.Code {
	out := slices.Clone(first)
	for _, c := range rest {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// nearestNames suggests codes whose names share the most letter trigrams
// with the query.
func (b *Bot) nearestNames(key string) []*catalog.Code {
	if key == "" {
		return nil
	}
	table := b.idx.nameTrigrams(b.cat)
	grams := trigramsOf(key)
	count := map[int]int{}
	for _, g := range grams {
		for _, code := range table[g] {
			count[code]++
		}
	}
	var out []*catalog.Code
	for code, n := range count {
		if float64(n)/float64(len(grams)) >= 0.3 {
			out = append(out, b.cat.Code(code))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ci, cj := count[out[i].Code], count[out[j].Code]
		if ci != cj {
			return ci > cj
		}
		return out[i].Code < out[j].Code
	})
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
