package bot

// deletesWithDependents reports whether a text tells of a deletion refused
// because the thing still has what depends on it ("delete a book that
// still has active loans", "DELETE /pallets/7 while boxes are still on
// it", "the cluster still has running node pools"): the request conflicts
// with the state of the resource, 409 (RFC 9110, 15.5.10).
func deletesWithDependents(toks []string) bool {
	deleting := false
	for i, t := range toks {
		next := nextWord(toks, i)
		switch {
		case deleteWords[t]:
			deleting = true
		case !deleting:
		case t == "still" && holdWords[next],
			dependentStates[t] && isPlural(next),
			t == "still" && i > 0 && toks[i-1] != "it" && (next == "in" || next == "on") && i+2 < len(toks) && toks[i+2] == "it":
			return true
		}
	}
	return false
}

var (
	// deleteWords ask to delete.
	deleteWords = wordSet("delete", "deletes", "deleting", "deletion", "remove", "removes", "removing")
	// holdWords, after "still", tell that a thing holds others.
	holdWords = wordSet("has", "have", "had", "contains", "contain", "holds", "hold", "owns", "got", "references")
	// dependentStates, before a plural, tell of things still in use.
	dependentStates = wordSet("active", "running", "open", "pending", "outstanding", "linked", "attached", "dependent")
)
