package bot

import "slices"

// On a 301 or a 302 a client may turn a POST into a GET; on a 307 or a 308
// it may not (RFC 9110, 15.4.2 to 15.4.9; RFC 7538). A text that asks for
// a redirect and says the method or the body must survive the hop ("some
// partners POST to the old URL and must keep posting", "the body
// disappears after the 301", "old sensors switch to GET") asks for 307 or
// 308: 308 where the move is for good, 307 where it is for a while.

// keepsMethod reports whether a text says a request's method or body must
// survive a redirect, or that it did not.
func keepsMethod(toks []string) bool {
	for i, t := range toks {
		switch {
		case keepVerbs[t] && slices.ContainsFunc(toks[i+1:min(len(toks), i+5)], isMethodPart):
			return true // "keeps the method", "preserve the POST body", "keep posting"
		case lossVerbs[t] && slices.ContainsFunc(toks[max(0, i-4):min(len(toks), i+4)], isMethodPart):
			return true // "the body disappears", "lose their data on the way"
		case t == "getmethod" && i >= 2 && (toks[i-1] == "to" || toks[i-1] == "into") &&
			slices.ContainsFunc(toks[max(0, i-4):i-1], func(u string) bool { return becomeVerbs[u] }) &&
			slices.ContainsFunc(toks[max(0, i-8):i-1], func(u string) bool { return negations[u] || u == "without" || u == "stop" || u == "prevent" }):
			// "without the POST turning into a GET"; but "which redirect
			// makes the browser switch to GET?" asks for 303.
			return true
		}
	}
	return false
}

// isMethodPart reports whether t names what a redirect may change: the
// method or the body of a request that has one.
func isMethodPart(t string) bool {
	return methodParts[t] || t == "postmethod" || t == "putmethod" || t == "patchmethod"
}

var (
	// keepVerbs keep something across the hop.
	keepVerbs = wordSet("keep", "keeps", "kept", "keeping", "preserve", "preserves", "preserved", "preserving",
		"retain", "retains", "retained", "maintain", "maintains", "stay", "stays", "remain", "remains", "intact")
	// lossVerbs tell that something did not survive it.
	lossVerbs = wordSet("lose", "loses", "lost", "losing", "disappear", "disappears", "disappeared", "dropped",
		"vanish", "vanishes", "vanished", "empty", "stripped")
	// methodParts are the method and the body of a request.
	methodParts = wordSet("method", "methods", "verb", "body", "bodies", "payload", "data", "posting", "posts",
		"post", "form", "forms", "reposts", "replay")
	// becomeVerbs turn one method into another.
	becomeVerbs = wordSet("switch", "switches", "switched", "turn", "turns", "turned", "become", "becomes",
		"became", "change", "changes", "changed", "convert", "converts", "converted", "downgrade", "downgrades",
		"turning", "switching", "becoming", "changing", "converting")
	// redirectCodes are the redirects that differ by permanence and by
	// whether the method may change.
	redirectCodes = map[int]bool{301: true, 302: true, 307: true, 308: true}
)

// methodKeepingRedirect returns the redirect a text that keeps the method
// asks for, given the redirect retrieval found first: 307 where the text
// says the move is temporary, or says nothing and retrieval found a
// temporary one; 308 otherwise. A word of permanence negated ("isn't
// permanent", "not for a while") says the other.
func methodKeepingRedirect(joined []string, first int) int {
	lasting := 0 // words for a permanent move less words for a temporary one
	for i, t := range joined {
		v := 0
		switch t {
		case "permanently", "permanent", "perm": // "perm redirect, keep POST"
			v = 1
		case "temporarily", "temporary", "temp":
			v = -1
		}
		if v != 0 && slices.ContainsFunc(joined[max(0, i-2):i], func(u string) bool { return negations[u] }) {
			v = -v
		}
		lasting += v
	}
	switch {
	case lasting < 0:
		return 307
	case lasting > 0:
		return 308
	case first == 302 || first == 307:
		return 307
	}
	return 308
}
