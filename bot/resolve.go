package bot

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/statusbot/statusbot/catalog"
)

// words that turn a query into a comparison of the codes on either side.
var compareWords = map[string]bool{"vs": true, "versus": true, "v": true}

// words that introduce a comparison: "compare X and Y", "difference between X and Y".
var compareLeads = map[string]bool{"compare": true, "comparing": true, "difference": true, "differences": true, "diff": true, "between": true}

// commandWords lead a question without meaning anything: "!http",
// "statusbot", "status 404", "error 500".
var commandWords = map[string]bool{"http": true, "statusbot": true, "status": true, "error": true}

// shortQuery is the most words a query may have for a number standing
// alone in it to be read as a status code ("409 for a duplicate?").
const shortQuery = 6

// resolve answers one raw query. It tokenises the text once, then tries
// the readings from the most literal to the loosest: help and random;
// numbers in status positions, masks and ranges; named comparisons; class
// names; exact names and aliases; library constants; error signatures;
// help and listings in other words; typo-corrected names; and free text.
// The first that fits answers.
func (b *Bot) resolve(raw string) *Answer {
	if len(raw) > MaxQueryLen && (len(raw) > 4*MaxQueryLen || utf8.RuneCountInString(raw) > MaxQueryLen) {
		return tooLongAnswer(strings.ToValidUTF8(truncate(raw, MaxQueryLen), "\uFFFD"))
	}
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, "\uFFFD")
	}
	var buf [32]string
	toks := tokenizeWith(raw, buf[:0], b.idx.known)
	for len(toks) > 0 && commandWords[toks[0]] {
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
	short := len(toks) <= shortQuery
	// A class named by number lists it, unless a long question describes
	// a situation within it ("which 2xx says a proxy changed the body?"):
	// then the answer is the class's code that fits.
	within := 0
	digits := strings.ContainsAny(raw, "0123456789")
	if digits {
		if cl, mask, ok := classIn(raw, toks); ok {
			if short || !describesSituation(toks) {
				return b.classAnswer(raw, b.cat.Class(cl), mask)
			}
			within = cl
		}
	}
	var hits []numberHit
	if digits {
		hits = statusNumbers(raw, short, b.idx.namedBy)
	}
	// In a long text, only a number stated as a status ("HTTP/1.1 502", an
	// access log's status field) answers by itself. Others are codes the
	// asker mentions, often to ask whether they are right ("we return 200
	// with an error body, is that wrong?"): they are candidates, weighed
	// against the situation the text describes.
	var candidates []*catalog.Code
	if !short {
		var stated []numberHit
		for _, h := range hits {
			switch c := b.cat.Code(h.n); {
			case h.certain:
				stated = append(stated, h)
			case c != nil && !slices.Contains(candidates, c):
				candidates = append(candidates, c)
			}
		}
		hits = stated
	}
	outOfRange := -1
	if a := b.byNumber(raw, hits, &outOfRange); a != nil {
		return a
	}
	if a := b.byCompare(raw, toks); a != nil {
		return a
	}
	var wbuf [32]string
	words := wbuf[:0]
	for _, t := range toks {
		if !stopwords[t] && !isDigits(t) {
			words = append(words, t)
		}
	}
	key := strings.Join(words, " ")
	if cl, ok := b.idx.classes[key]; ok && key != "" {
		return b.classAnswer(raw, cl, "")
	}
	if cs, ok := b.idx.names[key]; ok {
		return b.codeAnswer(raw, KindStatus, cs)
	}
	var lbuf [64]lexeme
	ids := identifiers(raw, lex(raw, lbuf[:0]))
	if len(ids) > 0 || !short {
		// Pasted errors: the catalogue's signatures, library constants,
		// and error classes named after a status.
		if ms := b.idx.signatures.find(ids, tokenize(raw, nil)); len(ms) > 0 {
			return b.signatureAnswer(raw, ms[0])
		}
		for _, id := range ids {
			if n := b.idx.constantCode(id); n != 0 {
				return b.codeAnswer(raw, KindStatus, []*catalog.Code{b.cat.Code(n)})
			}
		}
		for _, id := range ids {
			if n := b.idx.namedError(id); n != 0 {
				a := b.codeAnswer(raw, KindSearch, []*catalog.Code{b.cat.Code(n)})
				a.setWhy(fmt.Sprintf("%s is named after %s", lastSegment(id.text), b.cat.Code(n).Title()), "")
				return a
			}
		}
	}
	for _, c := range b.quotedNames(raw) {
		if !slices.Contains(candidates, c) {
			candidates = append(candidates, c)
		}
	}
	if len(candidates) == 1 && !isQuestion(raw, toks) {
		// A pasted error that names its status: "HTTP 413 ... returned
		// error: 413".
		return b.codeAnswer(raw, KindStatus, candidates)
	}
	if len(words) == 0 || isHelp(toks) {
		if outOfRange >= 0 {
			return b.numberAnswer(raw, outOfRange)
		}
		return b.helpAnswer(raw)
	}
	if n := classIntent(toks); n != 0 {
		return b.classAnswer(raw, b.cat.Class(n), "")
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
	retrieval := withoutStopwords(joinIdioms(toks))
	retrieval = slices.DeleteFunc(retrieval, func(w string) bool { return isDigits(w) || chatter[w] })
	q := b.idx.prepare(retrieval)
	q.intent, q.howTo, q.within = asksForStatus(toks), isHowTo(toks), within
	r := b.retrieve(q)
	if b.trace != nil {
		b.trace(raw, retrieval, q, r)
	}
	if changed {
		if cs, ok := b.idx.names[strings.Join(corrected, " ")]; ok {
			return b.codeAnswer(raw, KindSearch, mergeRanked(cs, r.codes))
		}
		if cl, ok := b.idx.classes[strings.Join(corrected, " ")]; ok {
			return b.classAnswer(raw, cl, "")
		}
	}
	if r.confident {
		// The codes a text mentions or quotes, and the codes of a vendor it
		// names ("Cloudflare cuts it off with a timeout page": 524, not
		// 504), win over close runners-up.
		vendor := b.idx.vendorCodes(toks)
		for i, c := range r.codes[:min(3, len(r.codes))] {
			if i > 0 && (slices.Contains(candidates, c) || slices.Contains(vendor, c.Code) && !slices.Contains(vendor, r.codes[0].Code)) && r.scores[i] >= tune.candidate*r.scores[0] {
				r = r.promote(i)
				break
			}
		}
	}
	switch {
	case len(candidates) > 1 && isComparison(toks, len(retrieval)):
		return b.compareAnswer(raw, candidates[:min(len(candidates), 5)])
	case r.confident:
		return b.searchAnswer(raw, r)
	case within != 0:
		return b.classAnswer(raw, b.cat.Class(within), "")
	case len(candidates) == 1:
		return b.codeAnswer(raw, KindStatus, candidates)
	case len(candidates) > 1:
		return b.compareAnswer(raw, candidates[:min(len(candidates), 5)])
	}
	if outOfRange >= 0 {
		return b.numberAnswer(raw, outOfRange)
	}
	return b.notFoundAnswer(raw, truncate(strings.Join(toks, " "), 100), mergeRanked(r.codes, b.nearestNames(key)))
}

// classIn finds a class a query names by number: a mask such as 4xx or
// 41x, a range such as 400-499, a plural such as "500s", or "500 series".
func classIn(raw string, toks []string) (class int, mask string, ok bool) {
	for i, t := range toks {
		if cl, mask, ok := maskOf(t); ok {
			return cl, mask, true
		}
		if len(t) == 4 && t[3] == 's' {
			// "500s" means the class; "404s" is a plural of a code.
			if n, ok := number(t[:3]); ok && n%100 == 0 && n >= 100 && n <= 500 {
				return n / 100, "", true
			}
		}
		if i+1 < len(toks) && classSuffix[toks[i+1]] {
			// "500 series", "4-something", "2 hundreds": a class.
			if n, ok := number(t); ok && (n >= 1 && n <= 5 || n%100 == 0 && n >= 100 && n <= 500) {
				return max(n/100, n%10), "", true
			}
		}
		if i+1 < len(toks) {
			lo, ok1 := number(t)
			hi, ok2 := number(toks[i+1])
			if ok1 && ok2 && lo%100 == 0 && lo >= 100 && lo <= 500 && hi == lo+99 && strings.Contains(raw, t+"-"+toks[i+1]) {
				return lo / 100, "", true
			}
		}
	}
	return 0, "", false
}

// classSuffix after a number make it a class: "500 series", "4-something".
var classSuffix = map[string]bool{
	"series": true, "range": true, "family": true, "class": true, "hundreds": true, "hundred": true,
	"something": true, "ish": true, "block": true, "group": true, "category": true,
}

// byNumber answers the numbers a query puts in status positions: one code,
// or several side by side. A number outside 100-599 is kept in outOfRange
// for the case where nothing else in the query answers.
func (b *Bot) byNumber(raw string, hits []numberHit, outOfRange *int) *Answer {
	var codes []int
	for _, h := range hits {
		if h.n >= 100 && h.n <= 599 {
			codes = append(codes, h.n)
		} else if *outOfRange < 0 {
			*outOfRange = h.n
		}
	}
	switch {
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
		if left == nil && right != nil && i-start == 1 && len(toks)-i-1 >= 2 {
			// "temporary and permanent redirect": the right side's last
			// words finish the left side's name.
			left = b.named(append([]string{toks[start]}, toks[i+2:]...))
		}
		if left != nil && right != nil && left != right {
			return b.compareAnswer(raw, []*catalog.Code{left, right})
		}
	}
	return nil
}

// isComparison reports whether a text that names several codes asks to
// compare them: "406 vs 415, I always mix them up", "difference between 403
// and 404 when hiding things", "202 or 204?". With "or" and "instead" the
// text must say little else; otherwise it describes a situation and asks
// which of the codes fits it.
func isComparison(toks []string, situationWords int) bool {
	for _, t := range toks {
		if compareWords[t] || compareLeads[t] {
			return true
		}
	}
	for _, t := range toks {
		if t == "or" || t == "instead" {
			return situationWords <= 3
		}
	}
	return false
}

// named resolves a short run of words to one code by its name, allowing
// typos, or by the number it starts with ("422 unprocessable content").
func (b *Bot) named(toks []string) *catalog.Code {
	if len(toks) > 0 && len(toks[0]) == 3 {
		if n, ok := number(toks[0]); ok && b.cat.Code(n) != nil {
			return b.cat.Code(n)
		}
	}
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

// searchAnswer is the answer for free text: the best code, why it fits
// (the situation that matched), and the runners-up as choices. Where
// experts split between the best code and another for that situation, the
// answer says so and offers the other first.
func (b *Bot) searchAnswer(raw string, r ranking) *Answer {
	ranked := r.codes
	best := ranked[0]
	var why, split string
	if i := r.why[0]; i >= 0 {
		s := best.Situations[i]
		why = s.Text
		if s.Alt != 0 {
			if sp, ok := b.cat.Split(best.Code, s.Alt); ok {
				split = sp.Note
				ranked = mergeRanked([]*catalog.Code{best, b.cat.Code(s.Alt)}, ranked[1:])
			}
		}
	}
	a := b.codeAnswer(raw, KindSearch, ranked)
	a.setWhy(why, split)
	return a
}

// signatureAnswer is the answer for a pasted error the catalogue knows.
func (b *Bot) signatureAnswer(raw string, m sigMatch) *Answer {
	s := m.sig
	ranked := []*catalog.Code{b.cat.Code(s.Code)}
	var split string
	if s.Alt != 0 {
		ranked = append(ranked, b.cat.Code(s.Alt))
		if sp, ok := b.cat.Split(s.Code, s.Alt); ok {
			split = sp.Note
		}
	}
	why := fmt.Sprintf("%s sends %d for %s", s.Source, s.Code, s.Match)
	if s.Note != "" {
		why += " (" + strings.TrimSuffix(s.Note, ".") + ")"
	}
	a := b.codeAnswer(raw, KindSearch, ranked)
	a.setWhy(why, split)
	return a
}

// setWhy puts the reason for a search answer, and any split of expert
// opinion, at the top of its text.
func (a *Answer) setWhy(why, split string) {
	if why == "" {
		return
	}
	a.Why = why
	head := "Why: " + why + "."
	if split != "" {
		head += " " + split
	}
	a.Text = head + "\n\n" + a.Text
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
	slices.SortFunc(out, func(x, y *catalog.Code) int {
		if cx, cy := count[x.Code], count[y.Code]; cx != cy {
			return cy - cx
		}
		return x.Code - y.Code
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
