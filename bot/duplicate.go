package bot

// A duplicate ("the same pallet id posted twice", "a microchip number
// that's already on record") is what 409 (or 422, where experts split)
// answers, but a story of one is mostly its own domain words, so
// retrieval ranks 409 first without the confidence to answer. The words
// that tell of a duplicate give it.

// tellsDuplicate reports whether a text tells of something sent or made
// again: "twice", "already", "duplicate". A text about code or data
// ("a SQL query to find duplicate emails") is about no request.
func tellsDuplicate(toks []string) bool {
	dup := false
	for _, t := range toks {
		switch {
		case codingWords[t]:
			return false
		case duplicateWords[t]:
			dup = true
		}
	}
	return dup
}

// duplicateWords tell of something sent or made again.
var duplicateWords = wordSet("twice", "thrice", "duplicate", "duplicates", "duplicated", "dup", "dupe", "already",
	"unique", "uniqueness", "resubmitted", "resent", "reposted")

// codingWords put a text in code or data, not in an exchange of requests:
// "remove duplicates from an array", "a query that returns the rows".
var codingWords = wordSet("sql", "query", "queries", "python", "excel", "spreadsheet", "regex", "function",
	"functions", "script", "column", "columns", "rows", "array", "arrays", "dataframe", "pandas", "loop")
