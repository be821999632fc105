package bot

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// tokenize lower-cases s and splits it into words of letters and digits.
// Apostrophes join ("I'm" -> "im"), "**" reads as "xx" ("4**" -> "4xx"), and
// the version after "HTTP/" in a pasted status line is skipped, so that
// "HTTP/1.1 502 Bad Gateway" yields [http 502 bad gateway]. Invalid UTF-8,
// control, zero-width and bidi characters all act as separators.
func tokenize(s string, dst []string) []string { return tokenizeWith(s, dst, nil) }

// tokenizeWith is tokenize that, when known is not nil, splits identifiers
// written in camelCase ("StatusServiceUnavailable", "RecordNotFound") into
// their words, unless known reports the joined word as one the catalogue
// uses ("WebDAV").
func tokenizeWith(s string, dst []string, known func(string) bool) []string {
	var buf [64]byte
	scanWords(s, known, buf[:0], func(w []byte) { dst = append(dst, string(w)) })
	return dst
}

// scanWords calls emit with each word of s, lower case, as tokenizeWith
// reads them. The slice is only valid during the call. The words are built
// in scratch, which it returns, grown if need be, for the next call: a
// caller that reads many texts allocates no buffer for each.
func scanWords(s string, known func(string) bool, scratch []byte, emit func(w []byte)) []byte {
	word := scratch[:0]
	var bounds [8]int // camelCase boundaries within word
	nb := 0
	lastHTTP := false // the last word was "http": "HTTP/1.1" skips its version
	i := 0            // the byte being read; a word ends just before it
	upper := 0        // upper-case letters in word
	out := func(w []byte) {
		lastHTTP = string(w) == "http"
		emit(w)
	}
	flush := func() {
		if len(word) == 0 {
			return
		}
		if nb > 0 && known != nil && !known(string(word)) {
			from := 0
			for _, b := range bounds[:nb] {
				out(word[from:b])
				from = b
			}
			out(word[from:])
		} else if h := headerWord(word, upper, byteAt(s, i)); h != nil {
			// A header written as a field, "Accept: application/xml",
			// not the verb "we accept JSON": its name, and that it is
			// the header.
			out(word)
			out(h)
		} else if m := methodWord(word, upper); m != nil {
			// The method, not the word: "a GET for a missing product"
			// ("get" the verb is a stopword), "a DELETE on a read-only
			// resource" (not "the page was deleted"), "a POST" (not a
			// blog post).
			out(m)
		} else {
			out(word)
		}
		word, nb, upper = word[:0], 0, 0
	}
	// prev is the class of the previous byte in the word: 'l'ower, 'u'pper, 'd'igit.
	var prev byte
	boundary := func() {
		if len(word) > 0 && nb < len(bounds) {
			bounds[nb] = len(word)
			nb++
		}
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z':
				if prev == 'd' && isDigits(string(word)) && sizeUnits[lowerRun(s, i)] {
					flush() // "2GB" is "2 gb", "300ms" is "300 ms"
				}
				// The rest of a run of lower-case letters at once: most of
				// a text is such runs.
				j := i + 1
				for j < len(s) && j-i < 49-len(word) && 'a' <= s[j] && s[j] <= 'z' {
					j++
				}
				word = append(word, s[i:j]...)
				prev = 'l'
				i = j - 1
			case 'A' <= c && c <= 'Z':
				if prev == 'd' && isDigits(string(word)) && sizeUnits[lowerRun(s, i)] {
					flush()
					prev = 0
				}
				// "statusNot" | "HTTPStatus" (an acronym ends before a
				// capitalised word) | "409Conflict".
				next, after := byteAt(s, i+1), byteAt(s, i+2)
				if prev == 'l' || (prev == 'u' && isLower(next) && isLower(after)) || (prev == 'd' && isLower(next)) {
					boundary()
				}
				word = append(word, c+'a'-'A')
				prev = 'u'
				upper++
			case '0' <= c && c <= '9':
				if prev == 'l' && nb > 0 {
					boundary() // "Status409Conflict"
				}
				if len(word) == 0 && i > 0 && s[i-1] == '-' && (i == 1 || strings.IndexByte("= (:[,", s[i-2]) >= 0) {
					out(negative) // "?page=-3" is a negative number
				}
				word = append(word, c)
				prev = 'd'
			case c == '\'':
				// join: "i'm" -> "im"
			case c == '*' && i+1 < len(s) && s[i+1] == '*' && len(word) == 1:
				word = append(word, 'x', 'x')
				i++
			case c == '/' && len(word) == 0 && lastHTTP && i+1 < len(s) && isDigit(s[i+1]):
				// HTTP/1.1: skip the protocol version.
				i++
				for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
					i++
				}
				continue
			case (c == '?' || c == '&') && paramAt(s, i+1):
				// "?page=-3", "&limit=5000": a query parameter, which is
				// what the catalogue calls it.
				flush()
				out(queryWord)
				out(parameterWord)
				prev = 0
			default:
				flush()
				prev = 0
			}
			i++
			if len(word) > 48 {
				flush() // no real word is this long; keep tokens small
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError || r == '’' || r == 'ʼ':
			if r == utf8.RuneError {
				flush()
				prev = 0
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = utf8.AppendRune(word, unicode.ToLower(r))
			prev = 'l'
		default:
			flush()
			prev = 0
		}
		if len(word) > 48 {
			flush()
		}
	}
	flush()
	return word
}

// negative is the word for a minus sign before a number.
var negative = []byte("negative")

// The words for a "?name=" or "&name=" in a URL.
var queryWord, parameterWord = []byte("query"), []byte("parameter")

// paramAt reports whether s holds a query parameter's name and its "=" at i.
func paramAt(s string, i int) bool {
	j := i
	for j < len(s) && (isLower(s[j]) || s[j] == '_' || 'A' <= s[j] && s[j] <= 'Z' || j > i && isDigit(s[j])) {
		j++
	}
	return j > i && j < len(s) && s[j] == '='
}

// headerWords are header fields written as such, with a colon after them.
var headerWords = map[string][]byte{
	"accept": []byte("acceptheader"), "range": []byte("rangeheader"), "location": []byte("locationheader"),
	"allow": []byte("allowheader"), "expect": []byte("expectheader"), "upgrade": []byte("upgradeheader"),
	"host": []byte("hostheader"), "origin": []byte("originheader"), "cookie": []byte("cookieheader"),
	"authorization": []byte("authorizationheader"),
}

// headerWord is the header word for word when it is written as a header
// field (capitalised, a colon after it), else nil. The cheap tests come
// before the map: this runs for every word indexed.
func headerWord(word []byte, upper int, after byte) []byte {
	if upper == 0 || after != ':' {
		return nil
	}
	return headerWords[string(word)]
}

// methodWord is the method word for word when it is written in capitals.
func methodWord(word []byte, upper int) []byte {
	if upper != len(word) || len(word) < 3 || len(word) > 7 {
		return nil
	}
	return methodWords[string(word)]
}

// methodWords are the words for the methods, written in capitals.
var methodWords = map[string][]byte{
	"get": []byte("getmethod"), "post": []byte("postmethod"), "put": []byte("putmethod"),
	"patch": []byte("patchmethod"), "delete": []byte("deletemethod"), "head": []byte("headmethod"),
	"options": []byte("optionsmethod"),
}

// sizeUnits are units glued to numbers that are read as words of their own:
// "2GB" is "2 gb", the size the catalogue also writes as "2 GB".
var sizeUnits = map[string]bool{
	"b": true, "kb": true, "mb": true, "gb": true, "tb": true, "kib": true, "mib": true, "gib": true,
	"tib": true, "ms": true, "sec": true, "secs": true, "min": true, "mins": true, "h": true, "hrs": true,
	"k": true, "m": true, "bytes": true,
}

// lowerRun is the run of ASCII letters of s at i, lower case (short runs only).
func lowerRun(s string, i int) string {
	var b [8]byte
	n := 0
	for ; i < len(s) && n < len(b); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			return string(b[:n])
		}
		b[n] = c
		n++
	}
	if i < len(s) && isLetterByte(s[i]) {
		return "" // longer than any unit
	}
	return string(b[:n])
}

func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number parses an all-ASCII-digit token of up to six digits.
func number(tok string) (int, bool) {
	if tok == "" || len(tok) > 6 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(tok); i++ {
		if !isDigit(tok[i]) {
			return 0, false
		}
		n = n*10 + int(tok[i]-'0')
	}
	return n, true
}

// isDigits reports whether tok is all ASCII digits (any length).
func isDigits(tok string) bool {
	if tok == "" {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if !isDigit(tok[i]) {
			return false
		}
	}
	return true
}

// stopwords carry no meaning for matching. They are removed from queries and
// from catalogue names alike, so exact-name matching stays consistent.
var stopwords = map[string]bool{
	"what": true, "whats": true, "which": true, "is": true, "are": true, "was": true, "were": true,
	"does": true, "do": true, "did": true, "mean": true, "means": true, "meaning": true, "meant": true,
	"the": true, "a": true, "an": true, "of": true, "http": true, "https": true, "status": true,
	"code": true, "codes": true, "response": true, "explain": true, "tell": true, "me": true,
	"about": true, "please": true, "pls": true, "i": true, "get": true, "getting": true, "got": true,
	"gets": true, "why": true, "my": true, "returned": true, "return": true, "returns": true,
	"when": true, "should": true, "use": true, "it": true, "its": true, "this": true, "that": true,
	"to": true, "for": true, "in": true, "on": true, "with": true, "from": true, "by": true,
	"be": true, "been": true, "can": true, "could": true, "would": true, "will": true, "you": true,
	"your": true, "we": true, "our": true, "there": true, "hey": true, "hi": true, "hello": true,
	"bot": true, "statusbot": true, "and": true, "or": true, "how": true, "am": true,
	"has": true, "have": true, "if": true, "at": true, "as": true, "so": true, "some": true,
	"one": true, "they": true, "them": true, "their": true, "he": true, "she": true, "us": true,
	"into": true, "than": true, "then": true, "just": true, "also": true, "any": true, "all": true,
	"list": true, "show": true, "give": true, "kind": true,
	"type": true, "sort": true, "say": true, "says": true, "saying": true,
	"thats": true, "theres": true, "heres": true, "wheres": true, "whos": true, "hows": true,
}

// stem reduces an English word to its Snowball (Porter2) stem, so that
// "limited", "limits" and "limiting" meet at "limit"; an irregular verb's
// past form first becomes its base ("sent" is "send"). Both the catalogue
// and the query go through it.
func stem(w string) string {
	if base, ok := irregular[w]; ok {
		w = base
	}
	if len(w) <= 3 || !isASCIIWord(w) {
		return w
	}
	env := stemEnvs.Get().(*snowballstem.Env)
	env.SetCurrent(w)
	english.Stem(env)
	s := env.Current()
	stemEnvs.Put(env)
	return s
}

// irregular maps the past forms of common irregular verbs to their base,
// which the stemmer cannot do: a story is told in the past ("the client
// sent half the headers"), a situation in the present ("a client sends").
// Forms that are also words of their own in this domain are left out:
// "found" and "gone" name codes, "left" is what remains, "stuck" is not
// "sticky", "done" is finished, "forbidden" is a name.
var irregular = map[string]string{
	"sent": "send", "spent": "spend", "meant": "mean", "dealt": "deal", "felt": "feel",
	"built": "build", "kept": "keep", "slept": "sleep", "caught": "catch", "taught": "teach",
	"thought": "think", "bought": "buy", "brought": "bring", "sought": "seek",
	"took": "take", "taken": "take", "gave": "give", "given": "give", "came": "come",
	"went": "go", "ran": "run", "began": "begin", "begun": "begin", "wrote": "write",
	"written": "write", "drove": "drive", "driven": "drive", "chose": "choose", "chosen": "choose",
	"froze": "freeze", "frozen": "freeze", "spoke": "speak", "spoken": "speak", "stole": "steal",
	"stolen": "steal", "forgot": "forget", "forgotten": "forget", "hid": "hide", "hidden": "hide",
	"knew": "know", "known": "know", "grew": "grow", "grown": "grow", "threw": "throw",
	"thrown": "throw", "fell": "fall", "fallen": "fall", "held": "hold", "told": "tell",
	"sold": "sell", "paid": "pay", "lost": "lose", "understood": "understand", "hung": "hang",
	"seen": "see", "made": "make", "said": "say", "broke": "break", "broken": "break",
	"shown": "show", "woke": "wake", "woken": "wake", "bitten": "bite", "swore": "swear",
}

// stemEnvs are the stemmer's working states; one is used at a time.
var stemEnvs = sync.Pool{New: func() any { return snowballstem.NewEnv("") }}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// editDistance is the optimal-string-alignment (Damerau-Levenshtein) distance
// between a and b, giving up early once it exceeds max.
func editDistance(a, b string, max int) int {
	if abs(len(a)-len(b)) > max {
		return max + 1
	}
	if len(a) > 32 || len(b) > 32 {
		return max + 1
	}
	var rows [3][33]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// nextWord returns the word after toks[i], or "" at the end.
func nextWord(toks []string, i int) string {
	if i+1 < len(toks) {
		return toks[i+1]
	}
	return ""
}
