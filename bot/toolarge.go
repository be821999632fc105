package bot

// "Too large" statuses turn on what is too large, which "too big",
// "exceeds" or "over the limit" alone do not tell: the body (413), the
// header fields (431, and nginx's 494), the URL (414). Where a text says
// something is too large, or counts cookies or headers by the dozen, the
// part it names in the same few words is read as one more word,
// "bodytoolarge", "headertoolarge" or "uritoolong", in the catalogue and in
// the question alike.

// sizeTerms are the words for what is too large, one for each part.
var sizeTerms = []string{"bodytoolarge", "headertoolarge", "uritoolong"}

// partTerms name, for each word naming a part of a request, the word for
// that part being too large.
var partTerms = func() map[string]string {
	m := map[string]string{}
	for term, ws := range map[string][]string{
		"bodytoolarge": {"body", "bodies", "payload", "payloads", "upload", "uploads", "entity", "content",
			"contentlength", "file", "files", "attachment", "attachments", "video", "image", "photo", "pdf",
			"blob"},
		"headertoolarge": {"header", "headers", "cookie", "cookies", "cookieheader", "authorization",
			"authorizationheader", "token", "jwt"},
		"uritoolong": {"url", "urls", "uri", "uris", "querystring", "path"},
	} {
		for _, w := range ws {
			m[w] = term
		}
	}
	return m
}()

// sizeWords say that something is too large, once idioms are joined: "too
// big" is "toolarge", "too long" is "toolong".
var sizeWords = wordSet("toolarge", "toolong", "exceed", "exceeds", "exceeded", "exceeding", "overflow",
	"overflows", "overflowed", "oversized", "bigger", "larger", "longer")

// sizeBefore are the size words that may come before the part they are
// about: "too large body", "too long header line", "oversized headers".
var sizeBefore = wordSet("toolarge", "toolong", "oversized")

// countedParts are parts that are too large by their number: "40 cookies",
// "dozens of cookies", "too many custom headers".
var countedParts = wordSet("cookies", "headers", "querystring")

// dozenWords count a part by the dozen; so does a number of two digits or
// more.
var dozenWords = wordSet("dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "toomany")

// otherSide are words that make a part the response's, not the request's:
// "upstream sent too big header", "the response headers are too large".
var otherSide = wordSet("upstream", "upstreams", "response", "responses")

// Windows: how many words before a size word the part is looked for, and
// after one of sizeBefore; how many words before a counted part its count.
const (
	partWindow   = 6
	partAhead    = 3
	countWindow  = 3
	minimumCount = 10
)

// sizeTerm returns the word for what is too large when toks[i], a text's
// words with idioms joined, says something is: the nearest part named
// before it in the same clause, or just after "too large", as in "the
// cookie header is too large" ("headertoolarge"); or a counted part, as in
// "60 tracking cookies". Otherwise "".
func sizeTerm(toks []string, i int) string {
	if countedParts[toks[i]] && counted(toks, i) {
		return partAt(toks, i)
	}
	if !sizeWords[toks[i]] || i > 0 && negations[toks[i-1]] {
		return ""
	}
	for j := i - 1; j >= 0 && j >= i-partWindow && !clauseBreaks[toks[j]]; j-- {
		if otherSide[toks[j]] {
			return ""
		}
		if t := partAt(toks, j); t != "" {
			return t
		}
	}
	if !sizeBefore[toks[i]] {
		return ""
	}
	for j := i + 1; j < len(toks) && j <= i+partAhead; j++ {
		if t := partAt(toks, j); t != "" {
			return t
		}
	}
	return ""
}

// partAt returns the word for the part toks[j] names being too large, or
// "" if it names none, or one said not to be the issue ("not the body") or
// to be the response's ("response headers"). The request line is the URL's.
func partAt(toks []string, j int) string {
	t := partTerms[toks[j]]
	if toks[j] == "line" && j > 0 && toks[j-1] == "request" {
		t = "uritoolong"
	}
	if t == "" {
		return ""
	}
	for k := j - 1; k >= 0 && k >= j-2; k-- {
		if negations[toks[k]] || otherSide[toks[k]] {
			return ""
		}
	}
	return t
}

// counted tells whether the words just before the part toks[i] count it
// by the dozen: "40 cookies", "dozens of cookies", "too many custom
// headers".
func counted(toks []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-countWindow; j-- {
		if dozenWords[toks[j]] || isDigits(toks[j]) && atLeast(toks[j], minimumCount) {
			return true
		}
	}
	return false
}

// atLeast tells whether the digits n are a number of at least least.
func atLeast(n string, least int) bool {
	v := 0
	for i := 0; i < len(n) && v < least; i++ {
		v = v*10 + int(n[i]-'0')
	}
	return v >= least
}
