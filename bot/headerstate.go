package bot

import "slices"

// The conditional and range statuses turn on the state of a header that
// their words alone do not tell: a PUT with no If-Match is refused with
// 428, one whose If-Match no longer matches with 412; a GET with no Range
// header gets the whole file (200), one with a Range a part of it (206).
// Where a text names such a header and says, in the same few words, that
// it was left out or that it did not match, that state is read as one more
// word, in the catalogue and in the question alike: "conditionabsent",
// "conditionstale" or "rangeabsent".

// headerStates are the words for a header's state.
var headerStates = []string{"conditionabsent", "conditionstale", "rangeabsent"}

// conditionWords name a precondition header, once idioms are joined:
// "If-Match" is "ifmatch".
var conditionWords = wordSet("ifmatch", "ifnonematch", "ifmodifiedsince", "ifunmodifiedsince",
	"etag", "etags", "precondition", "preconditions", "validator", "validators")

// rangeWords name the Range header: "range header" is "range rangeheader";
// or ranges a server may not serve ("doesn't support ranges").
var rangeWords = wordSet("range", "ranges")

// ignoreWords, a few words before the Range header, say the server does
// not act on it, which sends the whole file as a request without one
// would: "ignores the Range header".
var ignoreWords = wordSet("ignore", "ignores", "ignored", "ignoring", "disregard", "disregards", "disregarded")

// serveWords, negated before "ranges", say a server does not serve them:
// "doesn't support ranges", "we don't do ranges".
var serveWords = wordSet("support", "supports", "supported", "do", "does", "handle", "handles", "serve", "serves", "accept", "accepts")

// absentWords, a few words before a header, say it was left out: "no
// If-Match", "without any Range header", "forgot the ETag".
var absentWords = wordSet("no", "without", "missing", "forgot", "forgets", "forgetting", "omits",
	"omit", "omitted", "omitting", "lacks", "lacking", "lack")

// sendWords, after a negation, say a header was left out: "didn't send
// an ETag", "never sets If-Match".
var sendWords = wordSet("send", "sends", "sent", "set", "sets", "include", "includes", "included",
	"carry", "carries", "supply", "supplies", "supplied", "pass", "passes", "add", "adds")

// staleWords, after a precondition header, say it did not hold: "the ETag
// changed", "If-Match no longer matches".
var staleWords = wordSet("stale", "old", "older", "outdated", "mismatched", "wrong", "superseded",
	"mismatch", "mismatches", "differs", "differ", "different", "changed", "nolonger", "failed", "fails", "false")

// staleBefore say so before the header: "a stale ETag", "an outdated
// validator", "a failed precondition".
var staleBefore = wordSet("stale", "old", "older", "outdated", "mismatched", "wrong", "superseded", "failed")

// matchWords, after a negation, say a header did not hold: "doesn't
// match", "does not equal".
var matchWords = wordSet("match", "matches", "matched", "equal", "equals", "hold", "holds", "agree")

// negations turn a word of matching into one of failing, and keep a
// stale word from counting: "has not changed".
var negations = wordSet("not", "doesnt", "didnt", "dont", "isnt", "wasnt", "hasnt", "havent", "never",
	"nothing")

// stateBreaks end the search: what lies beyond them is another event.
var stateBreaks = wordSet("but", "because", "while", "though", "although", "whereas", "so", "then")

// Windows: how many words before and after a header its state is looked
// for; "already exists" may come further after If-None-Match, which makes
// the create-only request fail.
const (
	absentWindow    = 4
	staleWindow     = 6
	duplicateWindow = 14
)

// headerStateTerm returns the word for the state of the header toks[i],
// a text's words with idioms joined, names; or "".
func headerStateTerm(toks []string, i int) string {
	condition := conditionWords[toks[i]]
	if !condition && !rangeWords[toks[i]] {
		return ""
	}
	if disused(toks, i) {
		return "" // "we don't use ETags": no header, nor any state of one
	}
	for j := i - 1; j >= 0 && j >= i-absentWindow && !stateBreaks[toks[j]] && toks[j] != "and"; j-- {
		if absentWords[toks[j]] || negations[toks[j]] && j+1 < i && sendWords[toks[j+1]] {
			if condition {
				return "conditionabsent"
			}
			return "rangeabsent"
		}
		if !condition && (ignoreWords[toks[j]] || negations[toks[j]] && j+1 < i && serveWords[toks[j+1]]) {
			return "rangeabsent"
		}
	}
	if !condition {
		return ""
	}
	if stale(toks, i) {
		return "conditionstale"
	}
	return ""
}

// stale tells whether the words around the precondition header toks[i]
// say it did not hold.
func stale(toks []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-absentWindow+1 && !stateBreaks[toks[j]]; j-- {
		if staleBefore[toks[j]] {
			return true
		}
	}
	if toks[i] == "ifnonematch" && slices.Contains(toks[i+1:min(len(toks), i+duplicateWindow+1)], "duplicate") {
		// "If-None-Match: * so it only creates new keys, and this key
		// already exists": whatever joins them, a thing that exists fails
		// the create-only request.
		return true
	}
	for j := i + 1; j < len(toks) && j <= i+staleWindow && !stateBreaks[toks[j]]; j++ {
		switch w := toks[j]; {
		case staleWords[w] && !negations[toks[j-1]]:
			return true
		case matchWords[w] && negations[toks[j-1]]:
			return true
		}
	}
	// "we send If-Match ... the second save overwrote the first": a write
	// made on a condition, in a story of a lost update, is one whose
	// condition no longer held. (Not the validators of a GET, If-None-Match
	// and If-Modified-Since, which ask for a fresh copy.)
	// Nor where the text says a header is left out ("a PUT without this
	// header at all").
	// Nor a header the text says is demanded ("an API that now requires
	// ETags"), which the writes in the story may lack.
	return writeConditions[toks[i]] && slices.ContainsFunc(toks, func(w string) bool { return lostUpdateWords[w] }) &&
		!slices.ContainsFunc(toks, func(w string) bool { return absentWords[w] && w != "no" }) &&
		!slices.ContainsFunc(toks[max(0, i-3):i], func(w string) bool { return requireWords[w] })
}

// requireWords demand a header.
var requireWords = wordSet("require", "requires", "required", "requiring", "need", "needs", "needed",
	"demand", "demands", "enforce", "enforces", "enforced", "mandatory")

// disused reports whether the precondition header toks[i] is one the
// service does not use: "we don't use ETags", "we never implemented
// If-Match".
func disused(toks []string, i int) bool {
	return conditionWords[toks[i]] && i >= 2 && negations[toks[i-2]] && useWords[toks[i-1]]
}

// useWords, negated before a header, say a service has none.
var useWords = wordSet("use", "used", "have", "had", "support", "supported", "implement", "implemented")

// writeConditions are the headers that make a write conditional.
var writeConditions = wordSet("ifmatch", "ifunmodifiedsince", "etag", "etags")

// lostUpdateWords tell of one write undoing another's.
var lostUpdateWords = wordSet("overwrote", "overwrite", "overwrites", "overwritten", "overwriting",
	"clobber", "clobbered", "clobbers", "wiped", "wipes", "newer", "concurrent", "concurrently",
	"simultaneously", "meantime", "meanwhile")
