package bot

import "strings"

// "Not found" stories turn on whether the thing asked for is there at
// all, which their words alone do not tell: "there's no widget 7", "a
// file name that isn't in the folder", "a lookup that finds nobody" say
// nothing that names a status, and "no" and "not" are everywhere. Where a
// text says, in the same few words, that no such thing is there, that is
// read as one more word, "resourceabsent", in the catalogue and in the
// question alike.

// resourceAbsent is the word for a thing asked for that is not there.
const resourceAbsent = "resourceabsent"

// absenceWords are the words the reading starts at: a negation,
// "nonexistent", or "nothing" or "nobody" after a verb of finding.
var absenceWords = wordSet("no", "not", "isnt", "wasnt", "arent", "werent", "never", "nonexistent",
	"nobody", "nothing")

// madeWords, after "never", say a thing was never made: "an invoice
// number we never issued", "a slug that was never created".
var madeWords = wordSet("created", "issued", "registered", "generated", "made", "released", "existed",
	"uploaded", "assigned", "added", "inserted", "stored", "saved", "defined", "published", "written",
	"configured", "provisioned", "enrolled", "imported")

// findWords, before "nothing", "nobody" or "no", say a lookup came back
// empty: "finds nobody", "matches no page".
var findWords = wordSet("find", "finds", "found", "finding", "match", "matches", "matched", "matching")

// stillThere, after "nothing" or "no", say what was found is a change or
// a quality of something that is there: "finds nothing changed", "finds
// no valid session".
var stillThere = wordSet("is", "was", "changed", "new", "newer", "different", "difference", "modified",
	"valid", "ready", "else")

// searchWords put an empty lookup out of the running: a search or a
// filter with no hits still succeeds.
var searchWords = wordSet("search", "searches", "searched", "searching", "filter", "filters", "filtered",
	"results", "hits")

// places name where a thing is kept: "not in the database", "isn't in
// the folder", "not on the server".
var places = wordSet("folder", "folders", "directory", "directories", "dir", "database", "databases", "db",
	"table", "bucket", "namespace", "catalogue", "catalog", "system", "disk", "server",
	"store", "storage", "repository", "repo", "inventory", "collection", "index", "registry", "fleet",
	"archive", "library", "list")

// idFillers may stand between a thing and its identifier: "no user with
// id 42", "no order number 5".
var idFillers = wordSet("with", "id", "number", "called", "named", "no")

// absenceWindow is how many words after a negation the thing, or the
// place, it denies is looked for.
const absenceWindow = 3

// searchWindow is how many words before an empty lookup a search or a
// filter is looked for: a clause, as far back as actorTerm looks.
const searchWindow = actorWindow

// absenceTerm returns "resourceabsent" when toks[i], a text's words with
// idioms joined, says with the words around it that the thing asked for
// is not there: "no widget 7", "never created", "finds nobody", "isn't in
// the folder", "nonexistent"; or "".
func absenceTerm(toks []string, i int) string {
	if absent(toks, i) {
		return resourceAbsent
	}
	return ""
}

// absent tells whether toks[i] and the words around it say that the
// thing asked for is not there.
func absent(toks []string, i int) bool {
	switch w := toks[i]; w {
	case "nonexistent":
		// "doesn't exist yet" is a thing about to be made.
		return i+1 >= len(toks) || toks[i+1] != "yet"
	case "never":
		// "a bin that was never set up"
		return i+1 < len(toks) && madeWords[toks[i+1]] ||
			i+2 < len(toks) && toks[i+1] == "been" && madeWords[toks[i+2]] ||
			i+2 < len(toks) && toks[i+1] == "set" && toks[i+2] == "up"
	case "nobody", "nothing":
		return i > 0 && findWords[toks[i-1]] && found(toks, i)
	case "no":
		if i > 0 && findWords[toks[i-1]] {
			// "matches no page", but "matched no rows" is an empty list.
			return found(toks, i) && i+1 < len(toks) && !strings.HasSuffix(toks[i+1], "s")
		}
		return namedThing(toks, i+1)
	case "not", "isnt", "wasnt", "arent", "werent":
		return placeAfter(toks, i)
	}
	return false
}

// namedThing tells whether toks[j] is a thing followed by its
// identifier: "widget 7", "user with id 42"; not "details 3 or 4 times".
func namedThing(toks []string, j int) bool {
	if j >= len(toks) || stopwords[toks[j]] || !isAlpha(toks[j]) || strings.HasSuffix(toks[j], "s") {
		return false
	}
	for k := j + 1; k < len(toks) && k <= j+absenceWindow; k++ {
		if hasDigit(toks[k]) {
			return true
		}
		if (toks[k] == "that" || toks[k] == "this" || toks[k] == "such") && k+1 < len(toks) && idNouns[toks[k+1]] {
			return true // "no branch with that number"
		}
		if !idFillers[toks[k]] {
			return false
		}
	}
	return false
}

// idNouns name an identifier a text points back at: "no branch with that
// number", "no user with this id".
var idNouns = wordSet("id", "number", "name", "code", "key", "slug", "sku", "handle", "username", "email")

// placeAfter tells whether the negation toks[i] is followed by "in" or
// "on" and a place, and not by "nolonger": "isn't in the folder", but not
// "not in the catalogue anymore", which is gone rather than absent.
func placeAfter(toks []string, i int) bool {
	if i+1 >= len(toks) || toks[i+1] != "in" && toks[i+1] != "on" {
		return false
	}
	for j := i + 2; j < len(toks) && j <= i+1+absenceWindow; j++ {
		if places[toks[j]] {
			return j+1 >= len(toks) || toks[j+1] != "nolonger"
		}
	}
	return false
}

// found tells whether a lookup that found nothing, toks[i], is one for a
// thing: no search or filter is named in the words before it, in the same
// clause, and no change or quality of a thing that is there after it.
func found(toks []string, i int) bool {
	if i+1 < len(toks) && stillThere[toks[i+1]] {
		return false
	}
	for j := i - 1; j >= 0 && j >= i-searchWindow && !clauseBreaks[toks[j]]; j-- {
		if searchWords[toks[j]] {
			return false
		}
	}
	return true
}

// isAlpha tells whether s is a word of lower-case letters only.
func isAlpha(s string) bool {
	for i := range len(s) {
		if !isLower(s[i]) {
			return false
		}
	}
	return s != ""
}

// hasDigit tells whether s holds a digit, as an identifier does: "7",
// "x9kq", "inv2024".
func hasDigit(s string) bool {
	for i := range len(s) {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}
