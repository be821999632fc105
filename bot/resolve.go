package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/statusbot/statusbot/catalog"
)

// words that turn a query into a comparison of the codes on either side.
var compareWords = map[string]bool{"vs": true, "versus": true, "v": true, "against": true}

// comparisonCues say a text asks to compare the codes it names.
var comparisonCues = map[string]bool{"side": true, "same": true, "differ": true, "differs": true, "different": true,
	"pros": true, "cons": true, "tradeoff": true, "tradeoffs": true, "contrast": true}

// words that introduce a comparison: "compare X and Y", "difference between X and Y".
var compareLeads = map[string]bool{"compare": true, "comparing": true, "difference": true, "differences": true, "diff": true, "between": true,
	"separates": true, "distinguishes": true}

// commandWords lead a question without meaning anything: "!http",
// "statusbot", "status 404", "error 500".
var commandWords = map[string]bool{"http": true, "statusbot": true, "status": true, "error": true}

// openers open a message without saying anything.
var openers = wordSet("ok", "okay", "okk", "alright", "kk")

// shortQuery is the most words a query may have for a number standing
// alone in it to be read as a status code ("409 for a duplicate?").
const shortQuery = 6

// reading is what resolve has made of a query so far, beside the query
// itself, its words (command words left out) and its content words, which
// are passed on their own so that their buffers stay on the stack.
type reading struct {
	short bool   // at most shortQuery words: a number standing alone is a code
	key   string // its content words, joined: the key of names and classes
	// within is the class a long question names by number ("which 2xx
	// ..."), to which its answer belongs; 0 when none.
	within int
	// candidates are codes a long text mentions or quotes without stating
	// them as its status: weighed against the situation it describes.
	candidates []*catalog.Code
	// weak is how many of them a text only mentions in passing, with no
	// word of status beside them ("the 502 bus", "503 on the waitlist").
	weak       int
	outOfRange int  // a number it puts in a status position outside 100-599, or -1
	another    bool // it asks to replace a code it mentions; see asksForAnother
}

// resolve answers one raw query. It tokenises the text once, then tries
// the readings from the most literal to the loosest: help and random;
// numbers in status positions, masks and ranges; comparisons; class names,
// exact names and aliases; pasted errors (signatures, constants, error
// classes, quoted names); help and listings in other words; typo-corrected
// names; and the situation the text describes. The first that fits answers.
func (b *Bot) resolve(raw string) *Answer {
	if len(raw) > MaxQueryLen && (len(raw) > 4*MaxQueryLen || utf8.RuneCountInString(raw) > MaxQueryLen) {
		return tooLongAnswer(strings.ToValidUTF8(truncate(raw, MaxQueryLen), "\uFFFD"))
	}
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, "\uFFFD")
	}
	var buf [32]string
	toks := tokenizeWith(raw, buf[:0], b.idx.known)
	saidError := false // "error" or "status?" alone asks about nothing, not how to ask
	for len(toks) > 0 && commandWords[toks[0]] {
		saidError = saidError || toks[0] == "error" || toks[0] == "status"
		toks = toks[1:]
	}
	if len(toks) > 2 && openers[toks[0]] && !listCues[toks[1]] && !statusNouns[toks[1]] {
		// "ok so why do I get 405 when I POST": an opening "ok" neither
		// asks whether a code is right nor tells that all went well ("ok
		// codes" lists the 2xx).
		toks = toks[1:]
	}
	switch {
	case len(toks) == 0 && !saidError:
		return b.helpAnswer(raw)
	case len(toks) == 1 && (toks[0] == "help" || toks[0] == "usage" || toks[0] == "commands"):
		return b.helpAnswer(raw)
	case len(toks) == 1 && toks[0] == "random":
		codes := b.cat.Codes()
		return b.codeAnswer(raw, KindStatus, []*catalog.Code{codes[b.opts.Rand(len(codes))]})
	}
	var wbuf [32]string
	words := contentWords(toks, wbuf[:0])
	key := strings.Join(words, " ")
	digits := strings.ContainsAny(raw, "0123456789")
	if !digits {
		// "too many requests", "what is gone": a name, asked as often as
		// a number, is looked up first; with a number in the text, the
		// number decides first.
		if a := b.byName(raw, key); a != nil {
			return a
		}
	}
	// Misspelt words of the readings, after the names, whose own
	// correction offers the codes it was unsure between.
	if b.idx.spell(toks) {
		words = contentWords(toks, words[:0])
		key = strings.Join(words, " ")
	}
	if len(toks) > 1 && aboutOtherProtocol(toks) {
		return b.notFoundAnswer(raw, truncate(strings.Join(toks, " "), 100), nil)
	}
	rd := &reading{short: len(toks) <= shortQuery, outOfRange: -1, another: asksForAnother(toks), key: key}
	if a := b.byNumbers(raw, toks, rd); a != nil {
		return a
	}
	if c := b.cat.Code(spelledCode(toks)); c != nil && !slices.Contains(rd.candidates, c) {
		// "our app returns 'three oh four' a lot, is that bad?"
		rd.candidates = append(rd.candidates, c)
	}
	if a := b.byCompare(raw, toks); a != nil {
		return a
	}
	if digits {
		if a := b.byName(raw, key); a != nil {
			return a
		}
	}
	if a := b.byPaste(raw, toks, rd); a != nil {
		return a
	}
	if help := isHelp(toks); len(words) == 0 || help {
		switch {
		case rd.outOfRange >= 0:
			return b.numberAnswer(raw, rd.outOfRange)
		case len(rd.candidates) == 1:
			// "got 503 at 14:05:09, what does that one mean?": only the
			// code is left to look up.
			return b.codeAnswer(raw, KindStatus, rd.candidates)
		case len(rd.candidates) > 1:
			return b.compareAnswer(raw, rd.candidates[:min(len(rd.candidates), 5)])
		case !help:
			// "what code?", "error again": nothing to look up, and not a
			// question about the bot either.
			return b.notFoundAnswer(raw, truncate(strings.Join(toks, " "), 100), nil)
		}
		return b.helpAnswer(raw)
	}
	joined := joinIdioms(toks)
	if n := classIntent(joined); n != 0 {
		return b.classAnswer(raw, b.cat.Class(n), "")
	}
	return b.bySituation(raw, toks, joined, words, rd)
}

// byName answers a query whose content words are a class's or a code's
// name or alias.
func (b *Bot) byName(raw, key string) *Answer {
	if cl, ok := b.idx.classes[key]; ok && key != "" {
		return b.classAnswer(raw, cl, "")
	}
	if cs, ok := b.idx.names[key]; ok {
		return b.codeAnswer(raw, KindStatus, cs)
	}
	return nil
}

// byNumbers answers the numbers a query puts in status positions, and the
// classes it names by number. In a long text, only a number stated as a
// status ("HTTP/1.1 502", an access log's status field) answers by itself;
// the others become candidates, and a class named by number, when the text
// describes a situation ("which 2xx says a proxy changed the body?"),
// limits the answer to that class.
func (b *Bot) byNumbers(raw string, toks []string, rd *reading) *Answer {
	if cl, mask, ok := classIn(raw, toks); ok && (!choosesClass(toks) || asksToList(toks)) {
		if rd.short || !describesSituation(toks) || asksToList(toks) {
			return b.classAnswer(raw, b.cat.Class(cl), mask)
		}
		rd.within = cl
	}
	if !strings.ContainsAny(raw, "0123456789") {
		return nil
	}
	if len(toks) == 1 && isDigits(toks[0]) {
		// "429", "!http 404": the most asked question is a number alone,
		// a status by its position; its context need not be read.
		n, ok := number(toks[0])
		if !ok {
			n = 1_000_000 // too many digits to be a code
		}
		return b.byNumber(raw, []numberHit{{n: n, strong: true}}, &rd.outOfRange)
	}
	hits := b.brandedNumbers(toks, statusNumbers(raw, rd.short, b.idx.namedBy))
	if i := askedAbout(hits); i >= 0 && b.cat.Code(hits[i].n) != nil {
		// "our access log is full of 499 ... what does 499 mean exactly?":
		// however long the story, and whatever else it quotes, the
		// question is about the code.
		return b.byNumber(raw, hits[i:i+1], &rd.outOfRange)
	}
	// (A quoting signature is words and a number: a lone code, the most
	// asked question, need not be read again.)
	if len(hits) > 0 && len(toks) > 2 && b.idx.signatures.quoting && b.idx.signatures.quotesStatus(tokenize(raw, nil)) {
		// "auth request unexpected status: 302": the number is another
		// party's status; the signature tells the one sent.
		return nil
	}
	if len(hits) >= 2 && !rd.short && b.onlyCompares(toks, hits) {
		// "\"413 Payload Too Large\" vs \"431\", what's the diff": two
		// codes compared, one of them quoted with its name.
		return b.byNumber(raw, hits, &rd.outOfRange)
	}
	if !rd.short || rd.another && describesSituation(toks) {
		// "we return 200 with an error body, is that wrong?": the 200 is
		// a candidate, weighed against the situation.
		var stated []numberHit
		for _, h := range hits {
			switch c := b.cat.Code(h.n); {
			case h.certain && !rd.another && !asksWhatShould(toks) && !asksRightCode(toks): // "it says 200 OK now; should that be different?"
				stated = append(stated, h)
			case c == nil && h.strong && h.n >= 200 && h.n <= 599 && len(hits) == 1:
				// "got a 432 from the api, what is that": a code nobody
				// defines, said to be one, is answered as such.
				stated = append(stated, h)
			case c != nil && !slices.Contains(rd.candidates, c):
				rd.candidates = append(rd.candidates, c)
				if !h.strong {
					rd.weak++
				}
			}
		}
		hits = stated
	}
	return b.byNumber(raw, hits, &rd.outOfRange)
}

// contentWords appends to dst the words of toks that are neither
// stopwords nor numbers, and returns it.
func contentWords(toks, dst []string) []string {
	for _, t := range toks {
		if !stopwords[t] && !isDigits(t) {
			dst = append(dst, t)
		}
	}
	return dst
}

// choosesClass reports whether a text asks which of two classes fits
// ("is this a 4xx or a 5xx kind of thing?", "should the API answer with a
// 4xx or a 5xx while the vendor is down?"): a choice, not a listing.
func choosesClass(toks []string) bool {
	first, firstClass := -1, 0
	for i, t := range toks {
		cl, _, ok := maskOf(t)
		switch {
		case !ok:
		case first < 0:
			first, firstClass = i, cl
		case cl != firstClass && slices.Contains(toks[first:i], "or"):
			return true
		}
	}
	return false
}

// brandedNumbers adds to hits each number that follows the name of a
// vendor whose own code it is: "cloudflare 524 after exactly 100
// seconds", "ALB 460 in the access log". (A vendor's name before a number
// of its own puts it in a status position.)
func (b *Bot) brandedNumbers(toks []string, hits []numberHit) []numberHit {
	for i := 1; i < len(toks); i++ {
		n, ok := number(toks[i])
		if !ok || !isDigits(toks[i]) || indexHit(hits, n) >= 0 || !slices.Contains(b.idx.brands[toks[i-1]], n) {
			continue
		}
		hits = append(hits, numberHit{n: n, strong: true})
	}
	return hits
}

// byPaste answers pasted errors: the catalogue's error signatures, library
// constants, error classes named after a status, and a single status a
// text that asks nothing names or quotes ("HTTP 413 ... returned error:
// 413"). Codes quoted in a question become candidates.
func (b *Bot) byPaste(raw string, toks []string, rd *reading) *Answer {
	var lbuf [64]lexeme
	ids := identifiers(raw, lex(raw, lbuf[:0]))
	if ms := b.idx.signatures.find(ids, tokenize(raw, nil)); len(ms) > 0 &&
		(ms[0].named || ms[0].ident || !identified(ms[0].sig.Source) || !b.idx.signatures.namesOther(toks, ms[0].sig.Match)) {
		// (Not another software's message where the text names its own:
		// "which status does django send when the csrf token is missing"
		// is not Flask-WTF's 400 for "The CSRF token is missing".)
		return b.signatureAnswer(raw, ms[0])
	}
	if len(toks) == 1 {
		// A constant typed in lower case, as one word, is not written as
		// code, but is one all the same: "statusnocontent".
		ids = append(ids, identifier{text: toks[0]})
	}
	// Of several constants, the longest name: in "http.Redirect(w, r, u,
	// http.StatusPermanentRedirect)" the function's name is also .NET's
	// HttpStatusCode.Redirect (302), but the argument says 308.
	best, longest := 0, 0
	for _, id := range ids {
		if n := b.idx.constantCode(id); n != 0 && len(lastSegment(id.text)) > longest {
			best, longest = n, len(lastSegment(id.text))
		}
	}
	if best != 0 {
		return b.codeAnswer(raw, KindStatus, []*catalog.Code{b.cat.Code(best)})
	}
	for _, id := range ids {
		if n := b.idx.namedError(id); n != 0 {
			a := b.codeAnswer(raw, KindSearch, []*catalog.Code{b.cat.Code(n)})
			a.setWhy(fmt.Sprintf("%s is named after %s", lastSegment(id.text), b.cat.Code(n).Title()), "")
			return a
		}
	}
	for _, c := range b.quotedNames(raw) {
		if !slices.Contains(rd.candidates, c) {
			rd.candidates = append(rd.candidates, c)
		}
	}
	if len(rd.candidates) == 1 && !isQuestion(raw, toks) && !rd.another && !asksRightCode(toks) {
		return b.codeAnswer(raw, KindStatus, rd.candidates)
	}
	return nil
}

// closeSecond is the least share of the best score at which a runner-up
// that the text's own words vouch for may take the lead.
const closeSecond = 0.9

// bySituation answers the situation a text describes by retrieval, with
// typo-corrected names before it and the text's candidates weighed in;
// when nothing fits confidently, it is "not found" with suggestions.
// joined is toks with idioms joined, as resolve read it for a class.
func (b *Bot) bySituation(raw string, toks, joined, words []string, rd *reading) *Answer {
	candidates, replaced := rd.candidates, 0
	if len(candidates) == 1 && rd.another {
		// "the backend returns 200 with null; what should it send
		// instead?": the code mentioned is the one to replace.
		candidates, replaced = nil, candidates[0].Code
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
	retrieval := withoutStopwords(withReadings(joined))
	retrieval = slices.DeleteFunc(retrieval, func(w string) bool { return isDigits(w) || isMultiplier(w) || chatter[w] })
	q := b.idx.prepare(retrieval)
	elsewhere := asksSomethingElse(toks)
	q.intent, q.howTo, q.within = asksForStatus(toks), isHowTo(toks) || elsewhere, rd.within
	q.fine = tellsSuccess(toks)
	q.own = blamesServer(toks)
	q.not = replaced
	q.method = namesMethod(toks)
	q.logs = slices.ContainsFunc(toks, func(t string) bool { return logWords[t] })
	q.vendor = b.idx.vendorCodes(toks)
	if len(candidates) != 1 || !checksCode(toks) {
		for _, c := range candidates {
			if asksWhichStatus(toks) && sentNow(toks, c.Code) {
				// "we throw 500 because the parser crashes, which one is
				// correct?": what a server sends now is no evidence for
				// what it should send.
				continue
			}
			q.named = append(q.named, c.Code)
		}
	}
	r := b.retrieve(q)
	if b.trace != nil {
		b.trace(raw, retrieval, q, r)
	}
	// Two frames decide where retrieval doubts, or where the story
	// contradicts it, unless the text asks something other than a status
	// ("the webhook works, how do I unit-test it?").
	asksElse := !q.intent && elsewhere
	onlyChecked := len(candidates) == 0 || len(candidates) == 1 && checksCode(toks)
	// (Three codes within a tenth of each other are a doubt too.)
	flatTop := len(r.scores) > 2 && r.scores[2] >= closeSecond*r.scores[0]
	if onlyChecked && rd.within == 0 && !asksElse &&
		(!r.confident || flatTop || r.codes[0].Code/100 == 2 || saysItExists(toks, r.codes[0].Code) || saysItWasMade(toks, r.codes[0].Code)) {
		if ok, code := successStory(toks); ok && !tellsDuplicate(toks) {
			r = b.succeeded(q, code, toks)
		}
	}
	// (A 400 first is no better: sent for a duplicate by some software's
	// default, it is not what the situation asks, unless the text names
	// the software.)
	doubted := !r.confident || len(r.codes) > 0 && r.codes[0].Code == 400 && !b.idx.signatures.namesSoftware(toks)
	dup := func(c *catalog.Code) bool { return c.Code == 409 || c.Code == 422 }
	// (A code the text only tells of, "500 means the server broke, so what
	// do we send for a duplicate email?", does not stand in the way.)
	told := slices.ContainsFunc(candidates, func(c *catalog.Code) bool { return dup(c) || len(r.codes) > 0 && c == r.codes[0] })
	if doubted && !told && !asksElse && len(r.codes) > 0 && tellsDuplicate(toks) {
		// "same stall booked twice at the market": retrieval found the
		// conflict, first or a close second; the words that tell of a
		// duplicate vouch for it.
		// Not where many codes score alike: then nothing stands out.
		flat := len(r.scores) > 2 && r.scores[2] >= closeSecond*r.scores[0]
		if i := slices.IndexFunc(r.codes[:min(2, len(r.codes))], dup); i == 0 || i == 1 && r.scores[1] >= closeSecond*r.scores[0] && !flat {
			r = r.promote(i)
			r.confident = true
		}
	}
	if i := r.behind(422, 1, closeSecond, 400); i > 0 && !asksElse && len(candidates) == 0 &&
		slices.Contains(joined, "wellformed") && !b.idx.signatures.namesSoftware(toks) {
		// "the JSON parses fine but the age field is -3": content whose
		// syntax is correct but which cannot be processed is what 422
		// is for (RFC 9110, 15.5.21); 400 a close second.
		r = r.promote(i)
	}
	if i := r.behind(200, len(r.codes), closeSecond, 206, 416); i > 0 && !asksElse && len(candidates) == 0 && replaced != 200 &&
		slices.Contains(retrieval, "rangeabsent") && !slices.Contains(retrieval, "beyond") {
		// "the request has no Range header, we send the complete mp4": a
		// request without a Range the server acts on gets the whole
		// representation, 200 (RFC 9110, 14.2), when 200 nearly ties.
		r = r.promote(i)
	}
	if i := r.behind(403, 2, 0, 401); i > 0 && !asksElse && len(candidates) == 0 && knowsWho(toks, retrieval) {
		// "the API key is valid but the partner has no access to that
		// store": credentials that hold and still do not suffice are
		// 403 (RFC 9110, 15.5.4), not a request to authenticate.
		r = r.promote(i)
	}
	if i := r.behind(403, 4, 0, expiredSignedLink(toks)...); i > 0 && !asksElse && len(candidates) == 0 {
		// "the signed URL expired an hour ago": storage refuses the
		// link with 403, not a request to log in again.
		r = r.promote(i)
	}
	if i := slices.IndexFunc(r.codes[:min(len(r.codes), 4)], func(c *catalog.Code) bool { return c.Code == 409 }); i >= 0 &&
		!asksElse && len(candidates) == 0 && deletesWithDependents(toks) {
		// "delete a category with products still in it": a deletion
		// the resource's state forbids is a conflict.
		r = r.promote(i)
		r.confident = true
	}
	if i := r.behind(400, 2, 0, 401); i > 0 && !asksElse && len(candidates) == 0 && rejectsGrant(toks) {
		// "the app presents a revoked refresh token at the token
		// endpoint": a grant the server refuses is 400 (RFC 6749, 5.2),
		// where only a client that fails to authenticate gets 401.
		r = r.promote(i)
	}
	if !asksElse && len(candidates) == 0 && len(r.codes) > 0 && redirectCodes[r.codes[0].Code] && keepsMethod(toks) {
		// "moved for good, and partners POST to the old URL and must
		// keep posting": a redirect that keeps the method.
		r = r.leading(b.cat.Code(methodKeepingRedirect(joined, r.codes[0].Code)))
		r.confident = true
	}
	if !asksElse && len(candidates) == 0 && acceptsUpgrade(toks) {
		// "what status when the websocket upgrade succeeds?": 101.
		r = r.leading(b.cat.Code(101))
		r.confident = true
	}
	if !asksElse && len(candidates) == 0 && hidesExistence(toks) {
		// "we don't want to reveal that the account exists": the 404
		// that hides a forbidden resource (RFC 9110, 15.5.4).
		r = r.leading(b.cat.Code(404))
		r.confident = true
	}
	if changed {
		if cs, ok := b.idx.names[strings.Join(corrected, " ")]; ok {
			return b.codeAnswer(raw, KindSearch, mergeRanked(cs, r.codes))
		}
		if cl, ok := b.idx.classes[strings.Join(corrected, " ")]; ok {
			return b.classAnswer(raw, cl, "")
		}
	}
	switch {
	case len(candidates) > 1 && isComparison(toks, len(retrieval)):
		return b.compareAnswer(raw, candidates[:min(len(candidates), 5)])
	case len(candidates) == 0 && b.reportsNoResponse(raw):
		return b.noResponseAnswer(raw, r.codes)
	case len(candidates) == 0 && rd.outOfRange >= 0 && asksWhatItMeans(toks):
		// "got status 712 from a partner api, what is it": the number
		// told as a status is the question, however well the rest
		// matches a situation.
		return b.numberAnswer(raw, rd.outOfRange)
	case r.confident && len(candidates) == 1 && r.codes[0] == candidates[0] && !rd.another && !checksCode(toks) && !asksCorrection(toks) && !namesStatusAsked(toks):
		// "a partner's endpoint answers 410 to our webhooks, should we
		// stop sending?": a text that asks for no status, about the one
		// code it names, which the situation bears out, is about what
		// that code means.
		return b.codeAnswer(raw, KindStatus, candidates)
	case len(candidates) == 1 && !rd.another && sentOnce(toks, candidates[0].Code) &&
		!asksWhichStatus(toks) && !asksCorrection(toks) && !checksCode(toks):
		// "our app returned 503 to everyone during the deploy, what is
		// wrong with it?": the code a text tells it got, once, where it
		// asks for no other, is what it is about, whatever the situation's
		// words rank instead. (What a team sends as a rule, "we return 503
		// when a trial ends, is that sensible?", is up for review.)
		return b.codeAnswer(raw, KindStatus, candidates)
	case len(candidates) == 1 && rd.weak == 0 && !rd.another && !q.intent && !asksCorrection(toks) && !checksCode(toks) &&
		r.confident && !sentByUs(toks, candidates[0].Code):
		// "we get 429 from the partner api since noon, why": a text that
		// asks for no status, about the one code it tells, is about that
		// code, though its other words match another situation well;
		// but what we send ourselves is up for review ("our rate limiter
		// sends 503 when ..., should it?").
		return b.codeAnswer(raw, KindStatus, candidates)
	case len(candidates) == 1 && rd.weak == 0 && !rd.another && pointsBack(toks) && !asksCorrection(toks) && !checksCode(toks):
		// "https on 443 gives 301 since 14:02, what's that code?": the
		// question points back at the code the text told.
		return b.codeAnswer(raw, KindStatus, candidates)
	case r.confident && (q.intent || !asksForOther(toks) && !asksHowToAct(toks)) && (len(candidates) > 0 || !complainsOnly(retrieval) && !complainsOfTopic(toks, retrieval) && !namesVaguely(toks, retrieval) && !b.weighsAlternatives(raw, toks)):
		if picked, ok := r.preferring(candidates); ok && len(candidates) == 2 {
			r = picked // "200 or 201?": the one not chosen comes next
		}
		return b.searchAnswer(raw, r)
	case rd.within != 0:
		return b.classAnswer(raw, b.cat.Class(rd.within), "")
	case len(candidates) == 1 && (rd.weak == 0 || slices.Contains(r.codes, candidates[0])) && !(asksCorrection(toks) && sentNow(toks, candidates[0].Code)):
		// (Not the code the text says is sent now, when it asks which
		// to send: "we send 500 because of a null pointer, which one is
		// correct?" is not answered by 500 where nothing else fits.)
		// "we return 200 with an error body, is that wrong?": the code
		// the text is about. One it only mentions in passing ("the 502
		// bus") is not, unless the situation told fits it too.
		return b.codeAnswer(raw, KindStatus, candidates)
	case len(candidates) == 2 && describesSituation(toks):
		// "should DELETE give 200 or 204 if we send no body back?": a
		// choice the situation decides, when it ranks one of the two.
		if picked, ok := r.preferring(candidates); ok {
			return b.searchAnswer(raw, picked)
		}
		return b.compareAnswer(raw, candidates)
	case len(candidates) > 1:
		return b.compareAnswer(raw, candidates[:min(len(candidates), 5)])
	case rd.outOfRange >= 0 && rd.short:
		// "what is 999": the number is the question. In a longer text a
		// large number is more often a vendor's own error code
		// ("DiscordAPIError[10008]"), which is not ours to call invalid,
		// unless the text asks what it is (above).
		return b.numberAnswer(raw, rd.outOfRange)
	}
	return b.notFoundAnswer(raw, truncate(strings.Join(toks, " "), 100), mergeRanked(r.codes, b.nearestNames(rd.key)))
}

// weighsAlternatives reports whether a text that asks for no status weighs
// two things that are not codes against each other ("REST or GraphQL for
// a new ticketing app, what would you pick?", "is JWT better than session
// cookies?", "cursor or offset pagination, which scales better?"): a
// status does not answer that. A text that names a code by its name ("is
// gone better than not found here?") is left to the situation.
func (b *Bot) weighsAlternatives(raw string, toks []string) bool {
	weighs := false
	for i, t := range toks {
		switch {
		case len(t) == 3 && isDigits(t):
			return false // "is 302 correct or is there something better?"
		case t == "or" || t == "vs" || t == "versus" || t == "than" && i > 0 && (toks[i-1] == "better" || toks[i-1] == "worse"):
			weighs = true
		}
	}
	// "which is better, X or Y", and a short question that opens on the
	// choice: "jwt or session cookies for a react native app?", "should
	// timestamps be ISO strings or epoch numbers?".
	prefers := slices.ContainsFunc(toks, func(t string) bool { return preferWords[t] })
	// (Not where "or" joins two states of one thing: "expired or revoked
	// token?", "missing or invalid key?" tell a situation.)
	or := slices.Index(toks, "or")
	states := or > 0 && or+1 < len(toks) && (isState(toks[or-1]) || isState(toks[or+1]))
	opens := len(toks) <= 14 && strings.HasSuffix(strings.TrimSpace(raw), "?") && !states &&
		(choiceOpeners[toks[0]] || or > 0 && or <= 3)
	if !weighs || asksForStatus(toks) || !prefers && !opens {
		return false
	}
	for i := range toks {
		for n := 1; n <= 3 && i+n <= len(toks); n++ {
			if _, ok := b.idx.names[strings.Join(withoutStopwords(toks[i:i+n]), " ")]; ok && !stopwords[toks[i]] {
				return false
			}
		}
	}
	return true
}

// isState reports whether w tells a state a thing is in: a participle
// ("expired", "revoked") or one of stateWords.
func isState(w string) bool {
	return len(w) > 4 && strings.HasSuffix(w, "ed") || stateWords[w]
}

// stateWords tell what is wrong with a thing: "missing or invalid".
var stateWords = wordSet("invalid", "missing", "wrong", "bad", "empty", "malformed", "unknown", "duplicate", "broken",
	"stale", "locked", "gone", "full", "late", "early", "big", "large", "long", "slow", "down", "absent", "corrupt")

// choiceOpeners open a yes-no or either-or question.
var choiceOpeners = wordSet("should", "do", "does", "is", "are", "can", "shall")

// preferWords ask which of two things is better.
var preferWords = wordSet("better", "best", "pick", "prefer", "preferred", "choose", "recommend", "scales", "faster",
	"cleaner", "simpler", "easier", "worse")

// reportsNoResponse reports whether raw is a client's report that it got
// no response at all (a connection error the catalogue lists, not a
// proxy's log of its upstream), rather than a question about one. The
// words of the error itself do not make it a question.
func (b *Bot) reportsNoResponse(raw string) bool {
	rest, failed := b.idx.signatures.connectionFailed(raw)
	return failed && !isQuestion(rest, tokenize(rest, nil))
}

// setTo reports whether toks[i] is a value a timeout or limit is set to:
// "bumped proxy_read_timeout to 300s".
func setTo(toks []string, i int) bool {
	return i >= 2 && toks[i-1] == "to" && (afterSeconds[toks[i-2]] || beforeSeconds[toks[i-2]])
}

// verbSubjects, before "500s", make it a verb: "right now it 500s",
// "the export just 500s".
var verbSubjects = wordSet("it", "that", "this", "just", "still", "sometimes", "always", "randomly", "occasionally", "now",
	"currently")

// afterSeconds, after "100s", make it a duration, not a class: "a 100s
// timeout", "a 30s limit".
var afterSeconds = wordSet("timeout", "timeouts", "limit", "delay", "ttl", "idle", "window")

// beforeSeconds, before "100s", make it a duration, not a class.
var beforeSeconds = wordSet("waiting", "waited", "wait", "waits", "after", "for", "within", "every", "took", "takes", "than", "over", "under", "about", "around",
	"at", "timeout", "ttl", "interval", "past", "beyond")

// afterTimes, after "10x", make it a multiplier or a rate: "10x their
// quota", "50x per second".
var afterTimes = wordSet("their", "the", "our", "its", "his", "her", "my", "your", "more", "less", "faster", "slower",
	"bigger", "larger", "higher", "lower", "as", "what", "normal", "usual", "traffic", "load", "times", "per", "each", "every")

// negatedMask reports whether the mask toks[i] follows "non": "Non-2xx
// responses: 312", "Non-2xx or 3xx responses" count the others.
func negatedMask(toks []string, i int) bool {
	if i >= 2 && (toks[i-1] == "or" || toks[i-1] == "and") {
		if _, _, ok := maskOf(toks[i-2]); ok {
			i -= 2
		}
	}
	return i > 0 && toks[i-1] == "non"
}

// classIn finds a class a query names by number: a mask such as 4xx or
// 41x, a range such as 400-499 or "100 to 199", a plural such as "500s", or "500 series".
func classIn(raw string, toks []string) (class int, mask string, ok bool) {
	for i, t := range toks {
		if i+1 < len(toks) && (t == "class" || t == "with" && i > 0 && leadWords[toks[i-1]]) {
			// "class 2", "starting with 4", "beginning with a five".
			next := toks[i+1]
			if next == "a" && i+2 < len(toks) {
				next = toks[i+2]
			}
			// A digit's name ("a five") only in a text that asks for a
			// listing: "starting with a one-line summary" is not 1xx.
			if n := digitWord(next); n >= 1 && n <= 5 && (isDigits(next) || slices.ContainsFunc(toks, func(t string) bool { return listCues[t] })) {
				return n, "", true
			}
		}
		if cl, mask, ok := maskOf(t); ok && !(mask != "" && i+1 < len(toks) && afterTimes[toks[i+1]]) && !negatedMask(toks, i) {
			return cl, mask, true
		}
		if len(t) == 4 && t[3] == 's' && (i == 0 || !beforeSeconds[toks[i-1]] && !verbSubjects[toks[i-1]] && !setTo(toks, i)) && (i+1 == len(toks) || !afterSeconds[toks[i+1]]) {
			// "500s" means the class; "404s" is a plural of a code; "gave
			// up waiting 100s" and "a 100s timeout" are seconds.
			if n, ok := number(t[:3]); ok && n%100 == 0 && n >= 100 && n <= 500 {
				return n / 100, "", true
			}
		}
		// ("100-level codes" is a class; "a 400 level course" is not.)
		if i+1 < len(toks) && (classSuffix[toks[i+1]] || toks[i+1] == "level" && strings.Contains(raw, t+"-level")) && !approximate(raw, toks, i) {
			// "500 series", "4-something", "2 hundreds": a class; but
			// "~300 group claims" is a count.
			if n, ok := number(t); ok && (n >= 1 && n <= 5 || n%100 == 0 && n >= 100 && n <= 500) {
				return max(n/100, n%10), "", true
			}
			// "the five hundreds", "the whole five-hundred family"; but "five
			// hundred customers" is a count.
			if n := digitWord(t); n >= 1 && n <= 5 && (toks[i+1] == "hundreds" ||
				toks[i+1] == "hundred" && i+2 < len(toks) && (classSuffix[toks[i+2]] || listCues[toks[i+2]])) {
				return n, "", true
			}
		}
		if i+1 < len(toks) {
			// "400-499", "the 100 to 199 range".
			lo, ok1 := number(t)
			j := i + 1
			if toks[j] == "to" && j+1 < len(toks) {
				j++
			}
			hi, ok2 := number(toks[j])
			_, unit := byteUnits[toks[max(0, i-1)]]
			bytes := i > 0 && unit // "bytes 100 to 199"
			if ok1 && ok2 && lo%100 == 0 && lo >= 100 && lo <= 500 && hi == lo+99 && !bytes && (j > i+1 || strings.Contains(raw, t+"-"+toks[j])) {
				return lo / 100, "", true
			}
		}
	}
	return 0, "", false
}

// approximate reports whether the number toks[i] is given as an
// approximate count: "~300", or after one of countWords, as in "around
// 300" or "over 300".
func approximate(raw string, toks []string, i int) bool {
	return strings.Contains(raw, "~"+toks[i]) || i > 0 && countWords[toks[i-1]]
}

// spelledCode returns the code a text spells out: digit by digit ("four
// oh four", "five zero three"), as a digit and a number of tens ("four
// twenty-nine", "four eighteen"), with the letter O for zero ("4O4",
// "5oo"), or, in a short text, in hundreds ("five hundred and three");
// else 0. ("Four hundred" in a longer text, "one hundred" and "over two
// hundred" are more often counts.)
func spelledCode(toks []string) int {
	for i, t := range toks {
		if n := withLetterO(t); n != 0 {
			return n
		}
		d1 := spokenDigit(t)
		if d1 < 1 || d1 > 5 || i+1 >= len(toks) {
			continue
		}
		rest := toks[i+1:]
		if rest[0] == "hundred" && len(toks) <= 6 && d1 > 1 && (i == 0 || !countWords[toks[i-1]]) {
			rest = rest[1:]
			if len(rest) > 0 && rest[0] == "and" {
				rest = rest[1:]
			}
			if len(rest) == 0 {
				return d1 * 100
			}
			if tens, ok := spokenTens(rest); ok {
				return d1*100 + tens
			}
			if d := spokenDigit(rest[0]); d >= 1 {
				return d1*100 + d
			}
			continue
		}
		if tens, ok := spokenTens(rest); ok {
			return d1*100 + tens
		}
		if len(rest) >= 2 {
			if d2, d3 := spokenDigit(rest[0]), spokenDigit(rest[1]); d2 >= 0 && d3 >= 0 {
				return d1*100 + d2*10 + d3
			}
		}
	}
	return 0
}

// withLetterO reads a code typed with the letter O for a zero ("4o4",
// "5oo"), or returns 0.
func withLetterO(t string) int {
	if len(t) != 3 || t[0] < '1' || t[0] > '5' || !strings.Contains(t, "o") {
		return 0
	}
	n := 0
	for i := range 3 {
		switch c := t[i]; {
		case c == 'o':
			n *= 10
		case isDigit(c):
			n = n*10 + int(c-'0')
		default:
			return 0
		}
	}
	return n
}

// spokenTens reads the number 10-99 that toks open with ("twenty nine",
// "eighteen", "fifty"), or reports false.
func spokenTens(toks []string) (int, bool) {
	if n, ok := teens[toks[0]]; ok {
		return n, true
	}
	n, ok := tensWords[toks[0]]
	if !ok {
		return 0, false
	}
	if len(toks) > 1 {
		if d := spokenDigit(toks[1]); d >= 1 {
			return n + d, true
		}
	}
	return n, true
}

// teens and tensWords name the numbers 10-19 and the tens.
var (
	teens = map[string]int{"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
		"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
	tensWords = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
		"eighty": 80, "ninety": 90}
)

// spokenDigit returns the digit a word names ("oh" is zero), or -1.
func spokenDigit(w string) int {
	switch w {
	case "zero", "oh", "o":
		return 0
	case "one":
		return 1
	case "two":
		return 2
	case "three":
		return 3
	case "four":
		return 4
	case "five":
		return 5
	case "six":
		return 6
	case "seven":
		return 7
	case "eight":
		return 8
	case "nine":
		return 9
	}
	return -1
}

// digitWord reads "4" or "four" as 4 (and "oh" as 0, as spokenDigit
// does); -1 for anything else.
func digitWord(w string) int {
	if len(w) == 1 && isDigit(w[0]) {
		return int(w[0] - '0')
	}
	return spokenDigit(w)
}

// leadWords before "with" and a digit name a class by its first digit:
// "starting with 4", "codes that begin with a five".
var leadWords = wordSet("start", "starts", "starting", "started", "begin", "begins", "beginning", "lead", "leading")

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
			return b.compareAnswer(raw, cs[:min(len(cs), maxCompared)])
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
	// "compare X and Y", and "how do X and Y differ".
	lead := len(toks) > 0 && compareLeads[toks[0]] || slices.ContainsFunc(toks, func(t string) bool { return t == "differ" || t == "different" })
	start := 0
	for start < len(toks) && (compareLeads[toks[start]] || stopwords[toks[start]] && toks[start] != "and" && toks[start] != "or") {
		lead = lead || compareLeads[toks[start]]
		start++
	}
	if cs := b.namedInTurn(toks[start:], lead); len(cs) > 2 {
		return b.compareAnswer(raw, cs[:min(len(cs), maxCompared)])
	}
	for i := start + 1; i < len(toks)-1; i++ {
		t := toks[i]
		// "how is service unavailable different from internal server error"
		// "is 'not found' the same as 'gone'?"
		differ := t == "from" && i-1 > start && (toks[i-1] == "different" || toks[i-1] == "differ" || toks[i-1] == "differs") ||
			t == "from" && lead && i > start || // "what separates 409 from 412 for concurrent edits"
			t == "as" && i-1 > start && toks[i-1] == "same" ||
			(t == "with" || t == "to") && i-1 > start && toks[i-1] == "compared" // "locked compared with failed dependency"
		if !compareWords[t] && !(lead && (t == "and" || t == "with" || t == "to" || t == "or")) && t != "or" && !differ {
			continue
		}
		if t == "or" && !lead && describesSituation(toks) {
			// "should I return 404 or 403 when a user guesses another
			// clinic's record?": a choice the situation may decide.
			continue
		}
		end := i
		if differ {
			end = i - 1
		}
		left, right := b.named(toks[start:end]), b.namedBefore(toks[i+1:])
		if right == nil && asksDifference(toks) {
			// "not found vs gone for deleted articles, how do they
			// differ?": the name, then what the comparison is for.
			right = b.namedPrefix(toks[i+1:])
		}
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

// namedInTurn returns the codes toks name one after another between
// comparison words ("302 vs 303 vs 307 side by side", "413 from 414 and
// 431" after "what separates"), or nil unless every part names a
// different code.
func (b *Bot) namedInTurn(toks []string, lead bool) []*catalog.Code {
	joins := func(t string) bool { return compareWords[t] || lead && listJoiners[t] }
	if len(toks) > maxCompared*maxNameWords || !slices.ContainsFunc(toks, joins) {
		return nil
	}
	var cs []*catalog.Code
	from, parts := 0, 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && !joins(toks[i]) {
			continue
		}
		part := toks[from:i]
		if i == len(toks) {
			part = trimAsking(part)
		}
		named := b.namesInRun(part)
		if named == nil {
			return nil
		}
		for _, c := range named {
			if slices.Contains(cs, c) {
				return nil
			}
			cs = append(cs, c)
		}
		from, parts = i+1, parts+1
	}
	return cs
}

// namesInRun returns the code toks name, or the codes of the exact names
// they hold one after another (the commas of "bad gateway, gateway
// timeout" are gone), or nil.
func (b *Bot) namesInRun(toks []string) []*catalog.Code {
	if len(toks) == 0 || len(toks) > 2*maxNameWords {
		return nil
	}
	if len(toks) == 1 || !isDigits(toks[0]) {
		if c := b.named(toks); c != nil {
			return []*catalog.Code{c}
		}
	}
	return b.splitNames(toks)
}

// exactNames is namesInRun without typo correction.
func (b *Bot) exactNames(toks []string) []*catalog.Code {
	if c := b.exactName(toks); c != nil {
		return []*catalog.Code{c}
	}
	return b.splitNames(toks)
}

// splitNames returns the codes of an exact name at the start of toks and
// the exact names after it, or nil.
func (b *Bot) splitNames(toks []string) []*catalog.Code {
	for k := 1; k < len(toks) && k <= maxNameWords; k++ {
		if c := b.exactName(toks[:k]); c != nil {
			if rest := b.exactNames(toks[k:]); rest != nil {
				return append([]*catalog.Code{c}, rest...)
			}
		}
	}
	return nil
}

// exactName returns the code toks are the number or the exact name of.
func (b *Bot) exactName(toks []string) *catalog.Code {
	if len(toks) == 1 && len(toks[0]) == 3 {
		if n, ok := number(toks[0]); ok {
			return b.cat.Code(n)
		}
	}
	words := withoutStopwords(toks)
	if len(words) == 0 || len(words) != len(toks) {
		return nil
	}
	if cs, ok := b.idx.names[strings.Join(words, " ")]; ok {
		return cs[0]
	}
	return nil
}

// maxCompared is the most codes a comparison shows; maxNameWords the most
// words of a name (named reads no more).
const maxCompared, maxNameWords = 5, 6

// listJoiners join the codes of a comparison a lead word began: "compare
// 301, 302 and 307", "what separates 413 from 414 and 431".
var listJoiners = wordSet("and", "or", "with", "to", "from")

// namedBefore is named for the right side of a comparison, which may end
// with words that ask about it: "Conflict vs Unprocessable Content, how are
// they different?".
func (b *Bot) namedBefore(toks []string) *catalog.Code { return b.named(trimAsking(toks)) }

// namedPrefix returns the code the longest opening of toks names, up to a
// name's length: "gone for deleted articles" names 410; or nil.
func (b *Bot) namedPrefix(toks []string) *catalog.Code {
	for n := min(len(toks), maxNameWords); n > 0; n-- {
		if stopwords[toks[n-1]] {
			continue
		}
		if c := b.named(toks[:n]); c != nil {
			return c
		}
	}
	return nil
}

// asksDifference reports whether a text asks how things differ: "how do
// they differ", "what's the difference", "what separates them".
func asksDifference(toks []string) bool {
	return slices.ContainsFunc(toks, func(t string) bool {
		return t == "differ" || t == "differs" || t == "difference" || t == "differences" || t == "diff" ||
			t == "separates" || t == "distinguishes"
	})
}

// trimAsking drops the words that ask about a comparison from its end.
func trimAsking(toks []string) []string {
	end := len(toks)
	for end > 1 && (stopwords[toks[end-1]] || compareTrailers[toks[end-1]] || compareLeads[toks[end-1]] || comparisonCues[toks[end-1]] ||
		chatter[toks[end-1]]) {
		end--
	}
	return toks[:end]
}

// compareTrailers may end a comparison's question: "... how are they
// different", "... what's the diff".
var compareTrailers = wordSet("how", "what", "whats", "which", "why", "when", "they", "them", "diff", "exactly",
	"explain", "please", "pls", "actual", "real", "lol", "lmao")

// isComparison reports whether a text that names several codes asks to
// compare them: "406 vs 415, I always mix them up", "difference between 403
// and 404 when hiding things", "202 or 204?". With "or" and "instead" the
// text must say little else; otherwise it describes a situation and asks
// which of the codes fits it.
func isComparison(toks []string, situationWords int) bool {
	for i, t := range toks {
		if t == "same" && (i+1 == len(toks) || toks[i+1] != "as" && toks[i+1] != "thing") {
			continue // "the same email signed up twice" compares nothing
		}
		if compareLeads[t] && t != "between" || comparisonCues[t] {
			return true
		}
		if t == "both" && i > 0 && bothVerbs[toks[i-1]] {
			return true // "502 or 504 for a slow upstream? show both"
		}
	}
	for _, t := range toks {
		switch {
		case compareWords[t] || t == "between":
			// "401 vs 403?" compares; "a player equips an item they
			// don't own, we argued 401 vs 403" asks which fits.
			return situationWords <= situationsCompared
		case t == "or" || t == "instead":
			return situationWords <= 2
		}
	}
	return false
}

// bothVerbs, before "both", ask for the codes side by side.
var bothVerbs = wordSet("explain", "show", "describe", "compare", "list", "give")

// situationsCompared is the most situation words a text may tell and
// still ask for a comparison with "vs" or "between": beyond it, the text
// asks which of the two its situation calls for.
const situationsCompared = 4

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
	sent, other := s.Code, s.Alt
	if other != 0 && saysAny(raw, s.AltWhen) {
		// "only SessionAuthentication is configured": the configuration
		// that sends the other status.
		sent, other = other, sent
	}
	ranked := []*catalog.Code{b.cat.Code(sent)}
	var split string
	if other != 0 {
		ranked = append(ranked, b.cat.Code(other))
		if sp, ok := b.cat.Split(sent, other); ok {
			split = sp.Note
		}
	}
	why := fmt.Sprintf("%s sends %d for %s", s.Source, sent, s.Match)
	if s.Note != "" {
		why += " (" + strings.TrimSuffix(s.Note, ".") + ")"
	}
	if s.Internal != 0 && asksOwnCode(raw) {
		// "which code do I catch with error_page for this page?": the
		// server's own code, which the client never sees.
		ranked = mergeRanked([]*catalog.Code{b.cat.Code(s.Internal)}, ranked)
		why = fmt.Sprintf("%s's own code for %s is %d, which its logs and error handlers see; the client gets %d",
			s.Source, s.Match, s.Internal, s.Code)
	}
	a := b.codeAnswer(raw, KindSearch, ranked)
	a.setWhy(why, split)
	return a
}

// saysAny reports whether raw holds one of phrases, in any case.
func saysAny(raw string, phrases []string) bool {
	if len(phrases) == 0 {
		return false
	}
	lower := strings.ToLower(raw)
	return slices.ContainsFunc(phrases, func(p string) bool { return strings.Contains(lower, p) })
}

// asksOwnCode reports whether a text asks for a server's own code rather
// than the one its client gets: nginx's error_page directive catches it,
// and people call it "internal".
func asksOwnCode(raw string) bool {
	return strings.Contains(strings.ToLower(raw), "error_page") ||
		slices.Contains(tokenize(raw, nil), "internal")
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

// askedAbout returns the index of the one number hits ask the meaning of,
// or -1 when none is, or several are.
func askedAbout(hits []numberHit) int {
	found := -1
	for i, h := range hits {
		if h.asked {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// isMultiplier reports whether w is a number of times, "10x" or "50x": as
// a class mask it was read before; as a word it tells nothing of a
// situation.
func isMultiplier(w string) bool {
	return len(w) > 1 && w[len(w)-1] == 'x' && isDigits(w[:len(w)-1])
}

// sentNow reports whether toks tell code n, wherever they name it, only as
// what a server sends or a client gets now: "we return 400", "it goes out
// as 500", "i get 403"; not as one of two to choose from ("return 401 or
// 403?"), nor in a text that asks what a code means.
func sentNow(toks []string, n int) bool {
	num, sent := strconv.Itoa(n), false
	for i, t := range toks {
		if meaningWords[t] {
			return false
		}
		if t != num {
			continue
		}
		if i+1 < len(toks) && (choiceWords[toks[i+1]] || compareWords[toks[i+1]]) || i > 0 && choiceWords[toks[i-1]] {
			return false
		}
		if !sentBy(toks, i, nowVerbs) {
			return false
		}
		sent = true
	}
	return sent
}

// sentBy reports whether a verb of verbs sends the number toks[i]: one of
// them stands at most three words before it, with only sendFillers
// between ("returns a 500", "got back a 451").
func sentBy(toks []string, i int, verbs map[string]bool) bool { return senderAt(toks, i, verbs) >= 0 }

// senderAt returns the index of the verb of verbs that sends the number
// toks[i], as sentBy finds it, or -1.
func senderAt(toks []string, i int, verbs map[string]bool) int {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if verbs[toks[j]] {
			return j
		}
		if !sendFillers[toks[j]] {
			return -1
		}
	}
	return -1
}

// asksWhichStatus reports whether a text asks which status to send, by
// more than the verb that tells what is sent now: "we throw 500 because
// the parser crashes, which one is correct?", "what should it return";
// not "our app returned 503 during the deploy, what is wrong with it?".
func asksWhichStatus(toks []string) bool {
	return slices.ContainsFunc(toks, func(t string) bool { return statusNouns[t] || t == "which" }) ||
		asksWhatShould(toks) || asksWhatIsReceived(toks)
}

// choiceWords join two codes to choose from: "401 or 403".
var choiceWords = wordSet("or", "and", "nor")

// nowVerbs, before a code, tell it as what is sent or got.
var nowVerbs = wordSet("return", "returns", "returned", "returning", "send", "sends", "sent", "sending", "answer", "answers",
	"answered", "reply", "replies", "replied", "throw", "throws", "threw", "get", "gets", "got", "getting", "give", "gives",
	"gave", "respond", "responds", "responded", "as", "said", "says")

// pointsBack reports whether a text asks about a code it told, pointing
// back at it: "what's that code", "what does that status mean for us?",
// "what is this response telling me".
func pointsBack(toks []string) bool {
	what := func(t string) bool { return t == "what" || t == "whats" }
	for i := 1; i+1 < len(toks); i++ {
		if (toks[i] != "that" && toks[i] != "this") || !statusNouns[toks[i+1]] && toks[i+1] != "number" && toks[i+1] != "one" {
			continue
		}
		if what(toks[i-1]) || i >= 2 && what(toks[i-2]) && pointVerbs[toks[i-1]] {
			return true
		}
	}
	return false
}

// pointVerbs stand between "what" and the code pointed at: "what does
// that status mean", "what is this code".
var pointVerbs = wordSet("is", "was", "does", "did", "do")

// sentOnce reports whether a text tells, in the past tense, that the code
// n was sent: "our app returned 503", "I called the API and got 451".
func sentOnce(toks []string, n int) bool {
	num := strconv.Itoa(n)
	for i, t := range toks {
		if t == num && sentBy(toks, i, pastSendVerbs) {
			return true
		}
	}
	return false
}

// asksWhatItMeans reports whether toks ask what a thing told is: "what is
// it", "what's that status", "what does that code mean".
func asksWhatItMeans(toks []string) bool {
	for i, t := range toks {
		if t != "what" && t != "whats" {
			continue
		}
		for _, u := range toks[i+1 : min(len(toks), i+4)] {
			if u == "it" || u == "that" || u == "this" || u == "mean" || u == "means" {
				return true
			}
		}
	}
	return false
}

// sentByUs reports whether toks tell code n as what the asker's side
// sends: "we send 404 for ...", "i send 401", "our rate limiter sends 503".
func sentByUs(toks []string, n int) bool {
	num := strconv.Itoa(n)
	for i, t := range toks {
		if t != num {
			continue
		}
		if j := senderAt(toks, i, ourSendVerbs); j >= 0 {
			return slices.ContainsFunc(toks[max(0, j-3):j], func(u string) bool { return firstPerson[u] })
		}
	}
	return false
}

// ourSendVerbs tell what a side sends; firstPerson, before them, make it
// the asker's.
var (
	ourSendVerbs = wordSet("send", "sends", "sent", "sending", "return", "returns", "returned", "returning", "respond",
		"responds", "answer", "answers", "reply", "replies", "throw", "throws", "give", "gives")
	firstPerson = wordSet("we", "i", "our", "my", "us")
)

// pastSendVerbs tell that a code was sent.
var pastSendVerbs = wordSet("returned", "sent", "answered", "replied", "threw", "got", "gave", "responded")

// asksCorrection reports whether toks ask what a status should be, or
// whether one is right: "what should it return?", "which one is correct?".
func asksCorrection(toks []string) bool {
	return asksWhatShould(toks) || asksRightCode(toks) || slices.ContainsFunc(toks, func(t string) bool { return checkWords[t] || anotherWords[t] })
}

// onlyCompares reports whether a text asks how the codes hits names differ
// and says nothing else: besides the numbers, the codes' own names and
// words of comparing or asking ("\"413 Payload Too Large\" vs \"431\",
// what's the diff").
func (b *Bot) onlyCompares(toks []string, hits []numberHit) bool {
	names := map[string]bool{}
	for _, h := range hits {
		c := b.cat.Code(h.n)
		if c == nil {
			return false
		}
		for _, n := range append([]string{c.Phrase}, c.Aliases...) {
			for _, w := range tokenize(n, nil) {
				names[w] = true
			}
		}
	}
	differ := false
	for _, t := range toks {
		switch {
		case differWords[t]:
			differ = true
		case isDigits(t) || names[t] || stopwords[t] || compareTrailers[t] || chatter[t]:
		default:
			return false
		}
	}
	return differ
}
