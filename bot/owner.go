package bot

import "strings"

// A thing that is there may still be someone else's, which decides
// between hiding it (404), refusing it (403) and a clash with the
// caller's own (409): "order 77 belongs to user 2", "a lock owned by a
// different principal", "someone else's comment". Where a text says the
// thing belongs to another owner, that is read as one more word,
// "otherowner", in the catalogue and in the question alike; "belongs to
// them", the caller's own, is not.

// otherOwner is the word for a thing that belongs to someone else.
const otherOwner = "otherowner"

// ownedWords are the words the reading starts at: a word of owning, or
// one that makes the next word someone else's, "another user's" being
// "another users".
var ownedWords = wordSet("belongs", "belong", "belonging", "owned", "another", "elses")

// owners name who else a thing may belong to: "another", "a different
// user", "tenant globex", "household 91".
var owners = wordSet("another", "other", "different", "user", "tenant", "account", "customer",
	"org", "organisation", "organization", "team", "household", "workspace", "company", "merchant",
	"member", "person", "principal", "someone", "somebody", "host", "seller", "owner")

// callers are the one asking: "belongs to them" is the caller's own.
var callers = wordSet("them", "they", "their", "theirs", "you", "your", "yours", "me", "my", "mine",
	"us", "our", "ours", "caller", "callers", "requester", "themselves", "same", "own")

// ownerWindow is how many words after "belongs to" the owner is looked
// for: "belongs to tenant globex", "owned by a different principal".
const ownerWindow = 3

// ownerTerm returns "otherowner" when toks[i], a text's words with idioms
// joined, says with the words after it that the thing belongs to another
// owner; or "".
func ownerTerm(toks []string, i int) string {
	switch toks[i] {
	case "elses": // "someone else's comment"
		return otherOwner
	case "another": // "another tenant's project", not "another try"
		if i+1 < len(toks) && owners[strings.TrimSuffix(toks[i+1], "s")] && strings.HasSuffix(toks[i+1], "s") {
			return otherOwner
		}
		return ""
	}
	if !ownedWords[toks[i]] || i+2 >= len(toks) || toks[i+1] != "to" && toks[i+1] != "by" {
		return ""
	}
	if (toks[i+2] == "a" || toks[i+2] == "an") && (i+3 >= len(toks) || toks[i+3] != "different") {
		return "" // "each lock belongs to a household": whose it is in general
	}
	for j := i + 2; j < len(toks) && j <= i+1+ownerWindow; j++ {
		switch {
		case callers[toks[j]]:
			return ""
		case owners[toks[j]]:
			return otherOwner
		}
	}
	return ""
}
