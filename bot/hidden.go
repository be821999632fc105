package bot

// Hiding that a thing exists ("we pretend the paper isn't there", "we
// don't even want to confirm that record exists", "blocked users
// shouldn't learn the profile exists") is the 404 a server sends in place
// of a 403, in words that are each of other stories too. A verb of hiding,
// or of telling that is denied, with the thing's existence in the next few
// words, is read as one more word, "hiddenexistence", in the catalogue and
// in the question alike.

// hideVerbs hide a thing by themselves: "hide that it exists".
var hideVerbs = wordSet("hide", "hides", "hiding", "hidden", "conceal", "conceals", "concealing", "pretend",
	"pretends", "pretending", "secret")

// tellVerbs hide it when denied: "not reveal it exists", "can't even
// tell it exists".
var tellVerbs = wordSet("reveal", "revealing", "admit", "confirm", "learn", "know", "tell", "leak", "leaking",
	"disclose", "disclosing", "acknowledge", "show")

// existenceWords are a thing's existence: "it exists", "isn't there",
// "its existence".
var existenceWords = wordSet("exists", "exist", "existence", "existed", "there")

// hiddenWindow is how many words after the verb the existence is looked
// for, and how many before a telling verb its negation.
const hiddenWindow = 6

// hiddenTerm returns "hiddenexistence" when toks[i] hides, or denies
// telling, that a thing exists. Otherwise "".
func hiddenTerm(toks []string, i int) string {
	t := toks[i]
	if !hideVerbs[t] && !tellVerbs[t] {
		return ""
	}
	if tellVerbs[t] {
		denied := false
		for _, u := range toks[max(0, i-4):i] {
			if negations[u] || apostropheNot[u] || u == "rather" || u == "without" {
				denied = true
			}
		}
		if !denied {
			return ""
		}
	}
	for _, u := range toks[i+1 : min(len(toks), i+1+hiddenWindow)] {
		if existenceWords[u] {
			return "hiddenexistence"
		}
	}
	return ""
}
