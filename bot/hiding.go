package bot

import "slices"

// A server that wishes to hide that a resource exists from someone not
// allowed to see it may answer 404 instead of 403 (RFC 9110, 15.5.4).
// A text that says so ("we don't want to reveal that the account exists",
// "so they can't even tell the order exists", "without leaking that the
// feature exists") asks for that 404; one that is fine with revealing it
// ("we don't mind admitting the file exists") does not.

// hidesExistence reports whether a text asks to hide that something
// exists: a word of revealing, negated or avoided shortly before it, and
// "exists" shortly after it.
func hidesExistence(toks []string) bool {
	for i, t := range toks {
		if !revealWords[t] {
			continue
		}
		exists := slices.ContainsFunc(toks[i+1:min(len(toks), i+1+existWindow)], func(u string) bool { return existWords[u] })
		if !exists {
			continue
		}
		before := toks[max(0, i-hideWindow):i]
		if slices.ContainsFunc(before, func(u string) bool { return admitWords[u] }) {
			return false // "we don't mind revealing", "fine admitting"
		}
		if slices.ContainsFunc(before, func(u string) bool { return negations[u] || hideWords[u] }) {
			return true
		}
	}
	return false
}

// Windows: how many words after a word of revealing "exists" may come, and
// how many before it the negation.
const (
	existWindow = 6
	hideWindow  = 4
)

// revealWords tell of letting someone know.
var revealWords = wordSet("reveal", "revealing", "confirm", "confirming", "admit", "admitting", "leak", "leaking",
	"disclose", "disclosing", "expose", "exposing", "tell", "know", "acknowledge", "acknowledging", "betray", "hint")

// existWords say that a thing exists.
var existWords = wordSet("exists", "exist", "existed", "existence")

// hideWords, before a word of revealing, avoid it: "without revealing",
// "avoid leaking", "can't even tell".
var hideWords = wordSet("without", "avoid", "avoids", "avoiding", "cant", "cannot", "mustnt", "shouldnt", "zero")

// admitWords, before a word of revealing, allow it.
var admitWords = wordSet("fine", "mind", "ok", "okay", "happy", "allowed")
