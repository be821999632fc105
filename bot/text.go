package bot

import (
	"unicode"
	"unicode/utf8"
)

// tokenize lower-cases s and splits it into words of letters and digits.
// Apostrophes join ("I'm" -> "im"), "**" reads as "xx" ("4**" -> "4xx"), and
// the version after "HTTP/" in a pasted status line is skipped, so that
// "HTTP/1.1 502 Bad Gateway" yields [http 502 bad gateway]. Invalid UTF-8,
// control, zero-width and bidi characters all act as separators.
func tokenize(s string, dst []string) []string { return tokenizeInterned(s, dst, nil) }

// tokenizeInterned is tokenize sharing one string per distinct word through
// intern (when not nil), so that building the index allocates each word once.
func tokenizeInterned(s string, dst []string, intern map[string]string) []string {
	var buf [64]byte
	word := buf[:0]
	flush := func() {
		if len(word) == 0 {
			return
		}
		if intern == nil {
			dst = append(dst, string(word))
		} else if w, ok := intern[string(word)]; ok {
			dst = append(dst, w)
		} else {
			w := string(word)
			intern[w] = w
			dst = append(dst, w)
		}
		word = word[:0]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				word = append(word, c)
			case 'A' <= c && c <= 'Z':
				word = append(word, c+'a'-'A')
			case c == '\'':
				// join: "i'm" -> "im"
			case c == '*' && i+1 < len(s) && s[i+1] == '*' && len(word) == 1:
				word = append(word, 'x', 'x')
				i++
			case c == '/' && len(word) == 0 && len(dst) > 0 && dst[len(dst)-1] == "http" && i+1 < len(s) && isDigit(s[i+1]):
				// HTTP/1.1: skip the protocol version.
				i++
				for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
					i++
				}
				continue
			default:
				flush()
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError || r == '’' || r == 'ʼ':
			if r == utf8.RuneError {
				flush()
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = utf8.AppendRune(word, unicode.ToLower(r))
		default:
			flush()
		}
		if len(word) > 48 {
			flush() // no real word is this long; keep tokens small
		}
	}
	flush()
	return dst
}

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
}

// stem strips common English suffixes so that "limited", "limits" and
// "limiting" meet at "limit". It is deliberately crude: both the catalogue
// and the query go through it.
func stem(w string) string {
	if len(w) <= 4 {
		return w
	}
	switch {
	case hasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case hasSuffix(w, "ing") && len(w) > 5:
		w = w[:len(w)-3]
	case hasSuffix(w, "ed"):
		w = w[:len(w)-2]
	case hasSuffix(w, "s") && !hasSuffix(w, "ss") && !hasSuffix(w, "us") && !hasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	if len(w) > 4 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }

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
