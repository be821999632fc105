package bot

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A number is read as a status code only where the text puts it in a status
// position: after "HTTP/1.1", after words such as "status", "code", "error",
// "returned" or "got a", in the status field of an access-log line, before
// the code's own name, or standing alone. A number in a date, a time, an IP
// address, a port, a size, a duration, an errno, a version or a line number
// is not a status code.

// lexeme is a run of the raw text: a word of letters, a number of ASCII
// digits, or one other visible character.
type lexeme struct {
	text       string
	start, end int  // byte offsets in the raw text
	spaceAfter bool // followed by white space (or the end)
	kind       lexKind
}

type lexKind uint8

const (
	lexWord lexKind = iota
	lexNumber
	lexPunct
)

// maxLexemes bounds the work on one text.
const maxLexemes = 4096

// lex splits s into lexemes.
func lex(s string, dst []lexeme) []lexeme {
	for i := 0; i < len(s) && len(dst) < maxLexemes; {
		r, size := utf8.DecodeRuneInString(s[i:])
		start := i
		switch {
		case isDigit(s[i]):
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			dst = append(dst, lexeme{text: s[start:i], start: start, end: i, kind: lexNumber})
		case unicode.IsLetter(r) || r == '_':
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == '\'' && i+1 < len(s) && isLetterByte(s[i+1]) {
					i++ // an apostrophe inside a word: "don't"
					continue
				}
				if !unicode.IsLetter(r) && r != '_' {
					break
				}
				i += size
			}
			dst = append(dst, lexeme{text: s[start:i], start: start, end: i, kind: lexWord})
		case unicode.IsSpace(r) || r == utf8.RuneError || unicode.IsControl(r):
			i += size
			if n := len(dst); n > 0 {
				dst[n-1].spaceAfter = true
			}
			continue
		default:
			i += size
			dst = append(dst, lexeme{text: s[start:i], start: start, end: i, kind: lexPunct})
		}
	}
	if n := len(dst); n > 0 {
		dst[n-1].spaceAfter = true
	}
	return dst
}

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// numberHit is a number the text puts in a status position.
type numberHit struct {
	n       int
	strong  bool // said to be a status ("returned 409", "got a 401", "error 500")
	certain bool // stated as a status ("HTTP/1.1 502", "status 404", an access-log field)
	asked   bool // asked about: "what does 499 mean?", "what is 460?"
}

// statusWords before a number say it is a status: "status 404", "error 500",
// "HTTP 429", "returned 409", "got a 401", "elb_status_code 460".
var statusWords = map[string]bool{
	"status": true, "code": true, "error": true, "err": true, "http": true, "https": true,
	"response": true, "responses": true, "responded": true, "responds": true, "respond": true, "responding": true,
	"return": true, "returns": true, "returned": true, "returning": true,
	"send": true, "sends": true, "sent": true, "sending": true,
	"get": true, "gets": true, "got": true, "getting": true, "gotten": true,
	"receive": true, "receives": true, "received": true, "receiving": true,
	"throw": true, "throws": true, "threw": true, "throwing": true, "thrown": true,
	"raise": true, "raises": true, "raised": true, "raising": true,
	"give": true, "gives": true, "gave": true, "giving": true,
	"answer": true, "answers": true, "answered": true, "answering": true, "reply": true, "replies": true, "replied": true,
	"replying": true, "see": true, "sees": true, "saw": true, "seeing": true, "seen": true,
	"hit": true, "hits": true, "hitting": true, "emit": true, "emits": true, "emitted": true,
	"log": true, "logs": true, "logged": true, "logging": true, "fails": true, "failed": true,
	"statuscode": true, "status_code": true, "elb_status_code": true, "target_status_code": true,
	"http_status": true, "httpstatus": true, "response_code": true, "sc": true,
	// "comes back 401", "sent back a 404", "meaning of 409".
	"back": true, "meaning": true, "definition": true,
	// "the server said 431", "the page says 503", "the tab shows 304"
	// (but see sayWords).
	"said": true, "says": true, "shows": true, "showed": true, "shown": true,
}

// endVerbs, before "with" or "in", tell how a request ended: "batch 3
// ended with 429", "requests end in 504".
var endVerbs = wordSet("end", "ends", "ended", "ending", "finished", "finishes", "finish", "terminated", "completes", "completed")

// sayWords, after one of people, propose a code rather than report one:
// "my teacher said 403", "the PM says 404".
var sayWords = wordSet("said", "says")

// people are who may propose a code.
var people = wordSet("teacher", "lead", "teamlead", "boss", "colleague", "coworker", "friend", "pm", "manager",
	"senior", "junior", "reviewer", "architect", "mentor", "he", "she", "they", "someone", "somebody",
	"everyone", "i", "docs", "spec", "tutorial", "chatgpt", "google")

// statusAfter are words after a number that say it is a status: "404
// error", "502 page", "401 vs 403".
var statusAfter = map[string]bool{
	"error": true, "errors": true, "status": true, "code": true, "codes": true, "response": true,
	"responses": true, "pages": true, "vs": true, "versus": true, "mean": true,
	"means": true, "meaning": true, "instead": true, "reply": true, "http": true,
	"stand": true, "stands": true, // "what does 599 stand for"
	"difference": true, "differences": true, // "200 vs 204 differences?"
}

// unitWords after a number say it counts or measures something.
var unitWords = map[string]bool{
	"ms": true, "msec": true, "millis": true, "milliseconds": true, "s": true, "sec": true, "secs": true,
	"second": true, "seconds": true, "min": true, "mins": true, "minute": true, "minutes": true,
	"h": true, "hr": true, "hrs": true, "hour": true, "hours": true, "day": true, "days": true,
	"week": true, "weeks": true, "month": true, "months": true, "year": true, "years": true,
	"b": true, "kb": true, "mb": true, "gb": true, "tb": true, "kib": true, "mib": true, "gib": true,
	"k": true, "m": true, "byte": true, "bytes": true, "bit": true, "bits": true, "kbps": true, "mbps": true,
	"percent": true, "degrees": true, "degree": true, "fahrenheit": true, "celsius": true, "kelvin": true, "px": true, "rps": true, "rpm": true, "qps": true, "tps": true, "req": true, "reqs": true,
	"listener": true, "listeners": true, // "the 443 listener": a port
	"requests": true, "calls": true, "hits": true, "users": true, "people": true, "customers": true,
	"clients": true, "items": true, "rows": true, "records": true, "lines": true, "times": true, "x": true,
	"chars": true, "characters": true, "words": true, "connections": true, "conns": true,
	"km": true, "kilometres": true, "kilometers": true, "miles": true, "mi": true, "meters": true, "metres": true,
	"kg": true, "kilos": true, "lbs": true, "pounds": true,
	"retries": true, "attempts": true, "tries": true, "pods": true, "nodes": true, "servers": true,
	"instances": true, "replicas": true, "threads": true, "workers": true, "devices": true,
	"files": true, "fields": true, "ips": true, "tokens": true, "keys": true, "products": true,
	"orders": true, "invoices": true, "messages": true, "events": true, "tickets": true,
	"dollars": true, "usd": true, "eur": true, "euros": true, "cents": true, "hz": true, "steps": true,
	"per": true, "each": true, "apps": true, "accounts": true, "tenants": true, "jobs": true,
	"photos": true, "images": true, "videos": true, "emails": true, "entries": true, "objects": true,
	"parameters": true, "params": true, "headers": true, "cookies": true, "redirects": true,
	"hops": true, "ids": true, "elements": true, "more": true, "concurrent": true,
	"documents": true, "docs": true, "endpoints": true, "routes": true, "services": true,
	"sessions": true, "members": true, "seats": true, "tabs": true, "visitors": true,
}

// countWords before a number say it is a count, an id or a version:
// "port 443", "line 155", "version 305", "pid 123".
var countWords = map[string]bool{
	"port": true, "pid": true, "line": true, "version": true, "v": true, "id": true, "issue": true,
	"ticket": true, "pr": true, "order": true, "invoice": true, "room": true, "build": true,
	"release": true, "rfc": true, "errno": true, "exit": true, "signal": true, "uid": true, "gid": true,
	"limit": true, "max": true, "maximum": true, "minimum": true, "size": true, "length": true,
	"top": true, "last": true, "first": true, "over": true, "under": true, "than": true,
	"around": true, "approx": true, "roughly": true, "nearly": true, "almost": true, "least": true,
	"most":   true,
	"chrome": true, "firefox": true, "safari": true, "node": true, "python": true, "java": true,
	"ios": true, "android": true, "windows": true, "section": true, "chapter": true, "step": true,
	"table": true, "column": true, "row": true, "item": true, "user": true, "customer": true,
	"account": true, "tenant": true, "job": true, "number": true,
	"rev": true, "revision": true, "commit": true, "batch": true, "shard": true, "ttl": true,
	"worker": true, "pod": true, "thread": true, "core": true, "cores": true,
}

// statusNumbers returns the numbers s puts in status positions, in order of
// appearance, each once. short says s is a brief query: a number standing
// alone there is a status, as in "409 for a duplicate?"; in a long text only
// a number with a status word beside it is.
//
// named, when not nil, gives the first word of each name of code n, lower
// case: a number followed by its own name is a status ("Completed 401
// Unauthorized in 12ms", "404 Not Found").
func statusNumbers(s string, short bool, named func(n int) []string) []numberHit {
	var buf [64]lexeme
	lx := lex(s, buf[:0])
	logLine, comparing, compared := hasRequestLine(lx), false, false
	alb := albStatusAt(s)
	var hits []numberHit
	for i, l := range lx {
		if l.kind != lexNumber {
			continue
		}
		n, ok := number(l.text)
		if !ok {
			n = 1_000_000 // too many digits to be a code
		}
		v := judge(lx, i)
		if l.start == alb {
			v = certainStatus
		}
		if pluralCode(lx, i) {
			v = max(v, strongStatus) // "lots of 502s since 9am", not "took 502s"
		}
		if v != notStatus && v < certainStatus && named != nil && followedByName(lx, i, named(n)) {
			v = certainStatus
		}
		if v == certainStatus {
			logLine = false // the status field is found: byte counts follow
		}
		if v == neutral && logLine && standalone(lx, i) && n >= 100 && n <= 599 && named != nil && named(n) != nil {
			// In an access-log line (one with a quoted request line), the
			// first code standing alone among the fields is the status:
			// nginx writes it after the request, HAProxy and AWS ALB
			// before; the byte counts that follow come later.
			v, logLine = certainStatus, false
		}
		if v == neutral && !compared && n >= 100 && n <= 599 {
			comparing, compared = comparesCodes(lx), true
		}
		if v == neutral && comparing && n >= 100 && n <= 599 && named != nil && named(n) != nil {
			v = weakStatus // "when is it 400 and when is it 422, how do they differ"
		}
		asked := v != notStatus && asksMeaning(lx, i)
		if asked && v < strongStatus {
			v = strongStatus // "what is this 460 number meaning?"
		}
		switch {
		case v == notStatus:
			continue
		case v == neutral && !short:
			continue
		case v < strongStatus && !short && (n < 100 || n > 599):
			continue
		case v < strongStatus && len(l.text) == 4 && n >= 1900 && n <= 2099 && len(lx) > 1:
			continue // a year: "who won the 2018 world cup"
		}
		if j := indexHit(hits, n); j >= 0 {
			hits[j].strong = hits[j].strong || v >= strongStatus
			hits[j].certain = hits[j].certain || v == certainStatus
			hits[j].asked = hits[j].asked || asked
			continue
		}
		hits = append(hits, numberHit{n: n, strong: v >= strongStatus, certain: v == certainStatus, asked: asked})
	}
	return hits
}

// pluralCode reports whether the number lx[i] is a code made plural, many
// responses of one status ("lots of 502s", "served 41,200 503s"): an "s"
// glued to it after a word that counts or gets things; not a round
// hundred ("the 500s" is the class; see classIn), nor seconds ("took
// 502s", "after 301s").
func pluralCode(lx []lexeme, i int) bool {
	l, next := lx[i], at(lx, i+1)
	if len(l.text) != 3 || next.text != "s" && next.text != "S" || next.start != l.end || !next.spaceAfter && i+2 < len(lx) {
		return false
	}
	n, ok := number(l.text)
	if !ok || n < 100 || n > 599 || n%100 == 0 {
		return false
	}
	j := i - 1
	for j >= 0 && lx[j].kind == lexNumber || j >= 0 && lx[j].text == "," {
		j-- // "41,200 503s"
	}
	return j >= 0 && pluralLeads[strings.ToLower(lx[j].text)]
}

// pluralLeads, before a code made plural, count responses or tell them got.
var pluralLeads = wordSet("of", "many", "lots", "some", "those", "these", "few", "more", "all", "any", "no",
	"get", "gets", "got", "getting", "see", "sees", "saw", "seeing", "served", "serving", "returned", "returning",
	"throwing", "threw", "logged", "logging", "spike", "bunch", "random", "occasional", "sporadic", "intermittent")

// albFields match the fields of an AWS load balancer's access log from the
// client's address to the status: client:port, target:port (or "-"), the
// three processing times (-1 where the target never answered), then
// elb_status_code, whose offset is the first submatch.
var albFields = regexp.MustCompile(`\d+\.\d+\.\d+\.\d+:\d+\s+(?:\d+\.\d+\.\d+\.\d+:\d+|-)\s+-?[\d.]+\s+-?[\d.]+\s+-?[\d.]+\s+(\d{3})\s+(?:\d{3}|-)`)

// albStatusAt returns the byte offset of the status field of an AWS load
// balancer's access log line in s ("... 10.0.2.14:8080 0.001 -1 -1 504 -
// ..."), which need not quote its request line, or -1.
func albStatusAt(s string) int {
	if strings.Count(s, ".") < 4 || !strings.Contains(s, ":") {
		return -1 // (an address and a time at least; the pattern costs microseconds)
	}
	if m := albFields.FindStringSubmatchIndex(s); m != nil {
		return m[2]
	}
	return -1
}

// asksMeaning reports whether the text asks what the number lx[i] means:
// "what does 499 mean exactly?", "what does a 304 mean", "what is 598
// supposed to mean", "what is 460?", "what is this 460 number meaning?",
// "530 cloudflare meaning?"; not "500 means the server failed" or "what is
// the 502 bus".
func asksMeaning(lx []lexeme, i int) bool {
	// A word of meaning shortly after the number, and "what" shortly
	// before it.
	j := wordNear(lx, i, 1, meaningWords, 4)
	what := wordNear(lx, i, -1, whatWords, 4) >= 0
	if j < 0 && what && (strings.EqualFold(at(lx, i-1).text, "does") || strings.EqualFold(at(lx, i-1).text, "do")) {
		// "what does 464 from the load balancer mean?": the verb may wait
		// longer after "what does".
		j = wordNear(lx, i, 1, meaningWords, 7)
	}
	if p := at(lx, i-1).text; hasFolded(meaningWords, p) && strings.EqualFold(at(lx, i-2).text, "what") ||
		strings.EqualFold(p, "of") && strings.EqualFold(at(lx, i-2).text, "meaning") {
		return true // "what means 561", "the meaning of 449"
	}
	meant := j >= 0
	if meant && !what && comparesCodes(lx) {
		return false // "500 vs 503 which means what": the codes compared
	}
	if meant {
		// "what does 499 mean", or a question that ends on the word or
		// asks after it: "530 cloudflare meaning?", "521 from cloudflare
		// means what exactly?".
		return what || at(lx, j+1).text == "?" || strings.EqualFold(at(lx, j+1).text, "what")
	}
	if asksWhatItIs(lx[i+1:]) {
		return true // "cloudflare 523 what's that?", "495 in the logs, what is it?"
	}
	// "what is 460?", "what's 523 exactly?": the question ends soon after.
	if !what {
		return false
	}
	if strings.EqualFold(at(lx, i-1).text, "what") && hasFolded(beWords, at(lx, i+1).text) {
		return true // "tell me what 418 is", "what 304 means"
	}
	if k := wordNear(lx, i, -1, whatWords, 2); k >= 0 && !comparesCodes(lx) && (k == i-1 || hasFolded(copulas, at(lx, k+1).text) || at(lx, k+1).text == "'" || at(lx, k+1).text == "\u2019") {
		// "what is 499 in the nginx logs, we got 3k of them", "what was
		// 420 again": "what is" right before the number asks about it,
		// whatever follows, unless the text compares codes ("what is 401
		// vs 403 again").
		return true
	}
	for k := i + 1; k < len(lx) && k <= i+3; k++ {
		if lx[k].text == "?" {
			return true
		}
		if lx[k].kind != lexWord {
			return false
		}
	}
	return at(lx, i+1).text == ""
}

// wordNear returns the index of the first of set among the span words
// before (step -1) or after (step 1) lx[i], in any case, or -1. It looks
// past apostrophes but not past other punctuation: "what does 500 mean?
// ...", not past a sentence.
func wordNear(lx []lexeme, i, step int, set map[string]bool, span int) int {
	for k, words := i+step, 0; k >= 0 && k < len(lx) && words < span; k += step {
		w := lx[k].text
		if lx[k].kind != lexWord {
			if w == "'" || w == "\u2019" {
				continue
			}
			return -1
		}
		if hasFolded(set, w) {
			return k
		}
		words++
	}
	return -1
}

// asksWhatItIs reports whether lx, the text after a number, soon asks
// what it is, within the same sentence: "what's that?", "what is it
// officially?", "what is this", "what does it stand for".
func asksWhatItIs(lx []lexeme) bool {
	for k := 0; k < len(lx) && k < 20; k++ {
		switch w := lx[k].text; {
		case w == "." && k > 0 && lx[k-1].end == lx[k].start && k+1 < len(lx) && lx[k].end == lx[k+1].start:
			// inside a version or a host: "v3.2.1"
		case w == "." || w == "?" || w == "!":
			return false
		case hasFolded(whatWords, w):
			n := k + 1
			if lw := strings.ToLower(w); lw == "what" || lw == "wat" || lw == "wut" {
				v := at(lx, n).text
				if strings.EqualFold(v, "does") && hasFolded(itWords, at(lx, n+1).text) {
					v := at(lx, n+2).text // "what does it stand for", "what does it say"
					if hasFolded(codeNouns, v) {
						v = at(lx, n+3).text // "what does that status mean"
					}
					return hasFolded(meaningWords, v) || strings.EqualFold(v, "say")
				}
				if hasFolded(itWords, v) && (hasFolded(askBe, at(lx, n+1).text) || hasFolded(meaningWords, at(lx, n+1).text)) {
					return true // "no clue what that is", "not sure what it means"
				}
				if !hasFolded(askBe, v) {
					return false // "no idea what that expectation means"
				}
				n++
			}
			return hasFolded(itWords, at(lx, n).text)
		}
	}
	return false
}

// hasFolded reports whether set holds s in lower case, without allocating
// for a short word: the number checks run on every lone code.
func hasFolded(set map[string]bool, s string) bool {
	var buf [24]byte
	if len(s) > len(buf) {
		return set[strings.ToLower(s)]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return set[string(buf[:len(s)])]
}

// whatWords are "what" and its contractions with "is".
var whatWords = wordSet("what", "whats", "what's", "what\u2019s", "wat", "wut")

// copulas, between "what" and a number, ask what it is: "what is 499",
// "what was 420", "what's 523".
var copulas = wordSet("is", "was", "s")

// beWords, after "what N", ask what it is: "what 418 is".
var beWords = wordSet("is", "means")

// askBe, after "what", ask what the numbers told are: "what is it", "what
// are those".
var askBe = wordSet("is", "s", "are", "were", "was")

// codeNouns, after "what does that", name the number: "what does that
// status mean".
var codeNouns = wordSet("status", "code", "error", "number", "one")

// itWords, after "what is", point back at a number: "what is it".
var itWords = wordSet("it", "that", "this", "those", "these", "they")

// meaningWords, after a number, ask what it means.
var meaningWords = wordSet("mean", "means", "meaning", "stand", "stands", "indicate", "indicates", "signify", "signal")

// comparesCodes reports whether a text asks how things differ ("vs",
// "difference", "how do they differ"): the codes it names are the things.
func comparesCodes(lx []lexeme) bool {
	for _, l := range lx {
		if l.kind == lexWord && differWords[strings.ToLower(l.text)] {
			return true
		}
	}
	return false
}

// differWords ask how things differ, also in the words that writers of
// other first languages reach for ("diferencia entre 409 y 412?").
// Looser cues of a comparison ("side", "between") are left out: "the
// server side", "a proxy in between".
var differWords = wordSet("vs", "versus", "difference", "differences", "diff", "differ", "differs", "compare", "comparing",
	"diferencia", "diferença", "diferenca", "différence", "unterschied", "differenza", "verschil")

// followedByName reports whether the number lx[i] is followed by one of
// names, allowing an opening bracket or quote between: "404 Not Found",
// "401 (Unauthorized)", "'503 Service Unavailable'".
func followedByName(lx []lexeme, i int, names []string) bool {
	j := i + 1
	if j < len(lx) && (lx[j].text == "(" || lx[j].text == "'" || lx[j].text == "\"" ||
		lx[j].text == "," && lx[i].end == lx[j].start && j+1 < len(lx) && lx[j].end == lx[j+1].start) {
		j++ // a CSV field: "400,Bad Request"
	}
	if j >= len(lx) || lx[j].kind != lexWord {
		return false
	}
	for _, n := range names {
		if strings.EqualFold(lx[j].text, n) {
			return true
		}
	}
	return false
}

// hasRequestLine reports whether the lexemes hold a quoted request line,
// as access logs write it: "GET /path HTTP/1.1".
func hasRequestLine(lx []lexeme) bool {
	for i := 0; i+1 < len(lx); i++ {
		if lx[i].text == "\"" && lx[i].end == lx[i+1].start && httpMethods[lx[i+1].text] {
			for j := i + 2; j < len(lx) && j < i+40; j++ {
				if strings.EqualFold(lx[j].text, "http") && j+1 < len(lx) && lx[j+1].text == "/" {
					return true
				}
			}
		}
	}
	return false
}

var httpMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "CONNECT": true, "TRACE": true, "PROPFIND": true}

// standalone reports whether lx[i] stands between spaces, as a log field.
func standalone(lx []lexeme, i int) bool {
	return lx[i].spaceAfter && (i == 0 || lx[i-1].spaceAfter)
}

func indexHit(hits []numberHit, n int) int {
	for i, h := range hits {
		if h.n == n {
			return i
		}
	}
	return -1
}

type verdictNum int

const (
	notStatus verdictNum = iota
	neutral
	weakStatus
	strongStatus
	certainStatus // a status line, a status field: "HTTP/1.1 502", "status=502"
)

// judge decides whether the number lexeme lx[i] is a status code.
func judge(lx []lexeme, i int) verdictNum {
	l := lx[i]
	prev, next := at(lx, i-1), at(lx, i+1)
	prev2, next2 := at(lx, i-2), at(lx, i+2)
	glued := func(a, b lexeme) bool { return a.text != "" && b.text != "" && a.end == b.start }
	if slashPair(lx, i) {
		return weakStatus // "301/308"
	}

	// Attached to letters: "v502", "502ms", "ipv6", "h264", "AH00124"; but
	// "404s" is a plural of a code. (Masks such as "4xx" are read elsewhere.)
	if glued(prev, l) && prev.kind == lexWord {
		return notStatus
	}
	if glued(l, next) && next.kind == lexWord {
		if !strings.EqualFold(next.text, "s") || glued(next, next2) || beforeSeconds[strings.ToLower(prev.text)] ||
			afterSeconds[strings.ToLower(next2.text)] {
			return notStatus // "502ms"; "after 100s" and "a 100s timeout" are durations
		}
		next, next2 = next2, at(lx, i+3) // read on past the plural
	}
	// IIS writes a substatus after a dot: "HTTP Error 404.13", "502.5".
	if next.text == "." && glued(l, next) && glued(next, next2) && next2.kind == lexNumber && strings.EqualFold(prev.text, "error") {
		return certainStatus
	}
	// Part of a run of numbers: a date, a time, an IP address, a version,
	// a decimal, a range, a line number; or marked as an id or an amount.
	if glued(prev, l) && prev.kind == lexPunct {
		switch prev.text {
		case ":":
			if glued(prev2, prev) {
				key := prev2
				if (key.text == "\"" || key.text == "'") && glued(at(lx, i-3), key) {
					key = at(lx, i-3) // JSON: "statusCode":404
				}
				if key.kind == lexWord && isStatusKey(key.text) && len(l.text) == 3 {
					return certainStatus // "status:502", "code:404"; but "OriginStatus":0 is no response
				}
				return notStatus // "10:00", "host:502", "index.js:155"
			}
		case "=":
			if key := at(lx, i-2); glued(key, prev) && key.kind == lexWord && isStatusKey(key.text) {
				return certainStatus // "status=502"
			}
			if q := at(lx, i-2); q.text == "'" || q.text == "\"" {
				if key := at(lx, i-3); key.kind == lexWord && isStatusKey(key.text) {
					return certainStatus // "'status'=502"
				}
			}
			return notStatus // "id=502", "limit=500"
		case "*":
			if prev2.text != "*" {
				return notStatus // nginx's connection number, "*8812"; but "**429**" is bold
			}
		case ".", ",", "/", "-", "#", "$", "£", "€", "~", "+", "@", "^", "v", "x":
			if prev.text == "/" && prev2.kind == lexWord && squidResult(prev2.text) {
				return certainStatus // Squid's access log: "TCP_DENIED/407"
			}
			if prev.text == "-" && !glued(prev2, prev) {
				break // "-404"? a dash before a word gap reads as punctuation
			}
			if prev.text == "," && next.text == "," && glued(l, next) && next2.kind == lexWord {
				break // a CSV field, which its name may make a status: ",404,Not Found,"
			}
			return notStatus
		}
	}
	if glued(l, next) && next.kind == lexPunct {
		switch next.text {
		case ".", ",", "-", ":", "/":
			if glued(next, next2) && (next2.kind == lexNumber || next.text == "/") {
				return notStatus // "502.3", "12,000", "10:00", "155:17", "981/items"
			}
			if next.text == ":" && prev.text == "(" {
				return notStatus // an errno: "(110: Connection timed out)"
			}
			if next.text == "-" && glued(next, next2) && next2.kind == lexWord {
				return neutral // a compound: "100-continue", "404-page"
			}
		case "%", "#", "x", "+":
			return notStatus // "50%", "100x", "100+ seconds": an amount
		}
	}
	// A size, a duration or a count: "500 MB", "100 seconds", "500 requests".
	nw := strings.ToLower(next.text)
	if next.kind == lexWord && unitWords[nw] {
		return notStatus
	}
	// Arithmetic and scores: "500 divided by 4", "200 out of 250"; a count
	// with an adjective before its noun: "429 new signups".
	var pw string // the word before, lower case
	if prev.kind == lexWord {
		pw = strings.ToLower(prev.text)
	}
	if len(l.text) <= 2 && clockWords[pw] {
		return notStatus // a time: "lunch at 1?", "until 11"
	}
	if len(l.text) <= 2 && ordinalNouns[pw] {
		return notStatus // a page or a step: "page 2 of /products"
	}
	if pw != "" && (arithmetic[pw] || pw == "by" && arithmetic[strings.ToLower(prev2.text)] || pw == "of" && strings.EqualFold(prev2.text, "out")) {
		return notStatus // "divided by 4", "out of 250"
	}
	if next.kind == lexWord && (arithmetic[nw] || nw == "out" && strings.EqualFold(next2.text, "of") ||
		countAdjectives[nw] && next2.kind == lexWord && len(next2.text) >= 4 && strings.HasSuffix(strings.ToLower(next2.text), "s")) {
		return notStatus
	}
	// "exit code 137", "exit status 255", "zip code 90210": codes that are
	// not HTTP's.
	if (pw == "code" || pw == "status") && otherCodes[strings.ToLower(prev2.text)] {
		return notStatus
	}
	// An access-log status field: `"GET /x HTTP/1.1" 502 157`, or "HTTP/1.1 502".
	if isHTTPVersionBefore(lx, i) || (prev.text == "\"" && isHTTPVersionBefore(lx, i-1)) {
		return certainStatus
	}
	// "400 instead of 422", "302 rather than 307", "307 over 302": one of a
	// pair of codes ("than" and "over" alone count: "more than 500").
	code := func(l lexeme) bool { return l.kind == lexNumber && len(l.text) == 3 }
	if insteadOf(next.text, next2.text) && code(at(lx, i+3)) || insteadOf(prev2.text, prev.text) && code(at(lx, i-3)) ||
		strings.EqualFold(next.text, "over") && code(next2) || strings.EqualFold(prev.text, "over") && code(prev2) {
		return weakStatus
	}
	// A log line's status after its method and path, as morgan's dev
	// format and many dev servers write it: "GET /assets/app.js 304 2 ms".
	if afterMethodAndPath(lx, i) && len(l.text) == 3 {
		return strongStatus
	}
	// IIS's W3C log ends a line with the status, substatus, Win32 status
	// and time taken: "POST /upload.aspx - 443 - 198.51.100.30 Mozilla/5.0
	// - 404 13 0 31". OkHttp logs a reply as "<-- 307 https://...".
	if iisStatus(lx, i) || okHTTPReply(lx, i) || angularFailure(lx, i) {
		return certainStatus
	}
	// A field of a log written between bars, as Gin and Echo write the
	// status: "| 404 |      38.2µs |".
	if prev.text == "|" && next.text == "|" && len(l.text) == 3 {
		return strongStatus
	}
	// "what is 598", "what's 460 in the ALB logs": a code asked about
	// ("what is the 502 bus" is not).
	if whatWords[pw] && pw != "what" || pw == "is" && strings.EqualFold(prev2.text, "what") {
		return strongStatus
	}
	// A word before it: "status 404", "returned a 409", "a status of 502".
	keyed := false
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		x := lx[j]
		w := strings.ToLower(x.text)
		if x.kind == lexWord {
			if isStatusKey(w) && (w != "code" || keyed) {
				return certainStatus // "status 404"; a label, code="500"
			}
			if sayWords[w] && j > 0 && hasFolded(people, lx[j-1].text) {
				return neutral // "my teacher said 403": a proposal, not a status seen
			}
			if statusWords[w] || endVerbs[w] || w == "code" || strings.HasSuffix(w, "error") || strings.HasSuffix(w, "exception") {
				return strongStatus
			}
			if w == "in" && j > 0 && endVerbs[strings.ToLower(lx[j-1].text)] {
				return strongStatus // "0.4% of requests end in 504"
			}
			if w == "than" && j > 0 && otherWords[strings.ToLower(lx[j-1].text)] {
				return weakStatus // "something else than the 200 it sends": not "more than 200"
			}
			if countWords[w] {
				return notStatus
			}
			if !fillers[w] {
				break
			}
			continue
		}
		if w == "=" && x.end == at(lx, j+1).start {
			keyed = true // code="500": Prometheus's label
			continue
		}
		if x.kind == lexNumber || !strings.Contains(":(`*\"'[", w) {
			break // ("[" for Dio's "Http status error [502]")
		}
	}
	if next.kind == lexWord && statusAfter[nw] {
		return strongStatus
	}
	// "101 and 426", "404 or 410": one of a pair of numbers.
	if (nw == "and" || nw == "or") && code(next2) || (nw == "and" || nw == "or") && strings.EqualFold(next2.text, "when") && code(at(lx, i+3)) {
		return weakStatus // "when do I get 502 and when 504"
	}
	if strings.EqualFold(prev.text, "when") && (strings.EqualFold(prev2.text, "and") || strings.EqualFold(prev2.text, "or")) && code(at(lx, i-3)) {
		return weakStatus
	}
	// Most plural nouns after a number count things: "404 tests", "200 more";
	// but "what's" and "thats" are not plurals ("502 vs 504 what's the diff").
	if next.kind == lexWord && len(nw) >= 4 && nw[len(nw)-1] == 's' && !strings.HasSuffix(nw, "ss") && !strings.HasSuffix(nw, "us") && !strings.HasSuffix(nw, "is") && !contractions[nw] && !numberVerbs[nw] && !strings.ContainsAny(nw, "'’") || nw == "more" || nw == "less" || nw == "others" {
		return notStatus
	}
	if pw := strings.ToLower(prev.text); prev.kind == lexWord && weakBefore[pw] {
		return weakStatus
	}
	return neutral
}

// afterMethodAndPath reports whether lx[i] follows, after a space, a path
// ("/assets/app.9f2c1.js") that follows, after a space, a request method in
// capitals ("GET"), as a log line writes them.
//
// An arrow or a dash may stand between the path and the status, and the
// path may be a whole URL: "DELETE /api/items/5531 -> 204 in 97ms",
// "Request finished HTTP/1.1 GET http://localhost:5000/api/health - 200"
// (a dash only after a URL).
func afterMethodAndPath(lx []lexeme, i int) bool {
	j := i - 1
	if j < 0 || !lx[j].spaceAfter {
		return false
	}
	dash := false
	if k := gluedStart(lx, j); isArrow(lx[k : j+1]) {
		if j, dash = k-1, lx[k].text == "-" && k == j; j < 0 {
			return false
		}
	}
	j = gluedStart(lx, j)
	url := lx[j].kind == lexWord && (strings.EqualFold(lx[j].text, "http") || strings.EqualFold(lx[j].text, "https")) &&
		at(lx, j+1).text == ":"
	// (A dash after a bare path is IIS's empty query, before its port:
	// "GET /owa/ - 443".)
	if lx[j].text != "/" && !url || dash && !url || j == 0 {
		return false
	}
	m := lx[j-1]
	if h := gluedStart(lx, j-1); !logMethods[m.text] && h > 0 && isHost(lx[h:j]) {
		m = lx[h-1] // CloudFront's log: "GET d111.cloudfront.net /img/a.webp 301"
	}
	return m.kind == lexWord && logMethods[m.text]
}

// gluedStart returns the index of the first lexeme of the run that lx[j]
// ends, lexemes with no space between them: a path, a URL, a host.
func gluedStart(lx []lexeme, j int) int {
	for j > 0 && !lx[j-1].spaceAfter {
		j--
	}
	return j
}

// isHost reports whether lx, a run of glued lexemes, is a host name:
// words and numbers joined by dots, at least one dot.
func isHost(lx []lexeme) bool {
	if len(lx) < 3 || lx[0].text == "." || lx[len(lx)-1].text == "." {
		return false
	}
	dots := 0
	for _, l := range lx {
		switch {
		case l.text == ".":
			dots++
		case l.kind != lexWord && l.kind != lexNumber && l.text != "-":
			return false
		}
	}
	return dots > 0
}

// okHTTPReply reports whether lx[i] follows OkHttp's logged reply arrow,
// "<-- 307 https://api.example.com/v2/upload (212ms)".
func okHTTPReply(lx []lexeme, i int) bool {
	return i >= 3 && lx[i-3].text == "<" && lx[i-2].text == "-" && lx[i-1].text == "-" &&
		lx[i-3].end == lx[i-2].start && lx[i-2].end == lx[i-1].start
}

// iisStatus reports whether lx[i] is the status of an IIS log line: three
// digits standing alone, followed by exactly three more numbers standing
// alone, at the end of a text that names a request method.
func iisStatus(lx []lexeme, i int) bool {
	if len(lx[i].text) != 3 || len(lx)-i != 4 || !standalone(lx, i) {
		return false
	}
	for _, l := range lx[i+1:] {
		if l.kind != lexNumber || !l.spaceAfter {
			return false
		}
	}
	return slices.ContainsFunc(lx[:i], func(l lexeme) bool { return l.kind == lexWord && logMethods[l.text] })
}

// angularFailure reports whether lx[i] is the status in Angular's
// HttpErrorResponse message: "Http failure response for
// https://host/path: 521 OK".
func angularFailure(lx []lexeme, i int) bool {
	j := i - 1
	if j < 1 || lx[j].text != ":" || lx[j].end == lx[i].start {
		return false
	}
	j = gluedStart(lx, j-1) // back over the URL
	return j >= 3 && strings.EqualFold(lx[j-1].text, "for") && strings.EqualFold(lx[j-2].text, "response") &&
		strings.EqualFold(lx[j-3].text, "failure")
}

// arrows stand between a request and its status in a log line.
var arrows = wordSet("-", "->", "=>", "\u2192", "\u2014", "\u2013", "-->")

// isArrow reports whether the texts of lx run together are one of arrows.
func isArrow(lx []lexeme) bool {
	var buf [8]byte
	n := 0
	for _, l := range lx {
		if n+len(l.text) > len(buf) {
			return false
		}
		n += copy(buf[n:], l.text)
	}
	return arrows[string(buf[:n])]
}

// logMethods are the request methods a log line writes in capitals.
var logMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"HEAD": true, "OPTIONS": true}

// insteadOf reports whether a and b are "instead of", "rather than",
// "better than" or "worse than", in any case.
func insteadOf(a, b string) bool {
	return strings.EqualFold(a, "instead") && strings.EqualFold(b, "of") ||
		(strings.EqualFold(a, "rather") || strings.EqualFold(a, "better") || strings.EqualFold(a, "worse")) && strings.EqualFold(b, "than")
}

// numberVerbs end in "s" but tell what a number does, not what it counts:
// "598 shows up in our metrics", "502 keeps coming back".
var numberVerbs = wordSet("shows", "appears", "pops", "comes", "keeps", "happens", "occurs", "persists")

// contractions end in "s" without being plurals: "whats", "thats".
var contractions = map[string]bool{"whats": true, "thats": true, "heres": true, "theres": true,
	"wheres": true, "whos": true, "hows": true, "lets": true}

// weakBefore are words before a number that make it likelier a status:
// "a 404", "401 or 403", "should it be 409", "the same as 200".
var weakBefore = map[string]bool{
	"a": true, "an": true, "the": true, "vs": true, "versus": true, "or": true, "and": true,
	"between": true, "is": true, "be": true, "as": true, "says": true, "shows": true, "showed": true,
}

// otherWords before "than" make the number after it one to replace, not
// a bound: "other than 200", "something else than the 404".
var otherWords = wordSet("other", "else", "different", "anything")

// ordinalNouns before a number of one or two digits make it a place in
// a sequence: "page 2", "step 3".
var ordinalNouns = wordSet("page", "step", "chapter", "slide", "level", "round", "phase", "row", "item")

// clockWords before a number of one or two digits make it a time of day.
var clockWords = wordSet("at", "around", "until", "till", "til")

// arithmetic after a number makes it a quantity: "500 divided by 4".
var arithmetic = map[string]bool{"divided": true, "times": true, "plus": true, "minus": true, "multiplied": true,
	"squared": true, "percent": true}

// countAdjectives, between a number and a plural noun, make it a count:
// "429 new signups", "301 active users".
var countAdjectives = map[string]bool{"new": true, "active": true, "unique": true, "extra": true, "total": true,
	"more": true, "fewer": true, "daily": true, "paying": true, "happy": true, "open": true, "old": true,
	"custom": true, "separate": true, "different": true, "small": true, "large": true, "big": true, "tiny": true,
	"concurrent": true, "parallel": true, "failed": true, "pending": true, "duplicate": true}

// otherCodes are words before "code" that name a code other than HTTP's.
var otherCodes = map[string]bool{
	"exit": true, "zip": true, "postal": true, "area": true, "promo": true, "country": true,
	"verification": true, "otp": true, "source": true, "qr": true, "discount": true, "coupon": true,
	"return": true, "auth": true, "authorization": true, "invite": true, "access": true, "pin": true,
}

// fillers may stand between a status word and its number: "returned a
// 409", "a status of 502", "respond with 410".
var fillers = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "with": true, "is": true, "was": true, "be": true, "are": true, "were": true,
	"vs": true, "versus": true, "or": true, "and": true, "between": true, "as": true, "like": true,
	"use": true, "using": true, "back": true, "just": true, "always": true, "still": true, "only": true,
	"occurred": true, "occured": true, "happened": true, // "An error occurred (403) when calling"
	"unacceptable": true, // Alamofire: "Response status code was unacceptable: 415."
}

// slashPair reports whether lx[i] is one of two codes written "301/308",
// not part of a date or a path.
func slashPair(lx []lexeme, i int) bool {
	code := func(j int) bool {
		l := at(lx, j)
		n, _ := number(l.text)
		return l.kind == lexNumber && len(l.text) == 3 && n >= 100 && n <= 599
	}
	glued := func(j int) bool { return j >= 0 && j+1 < len(lx) && lx[j].end == lx[j+1].start }
	first := i
	if at(lx, i-1).text == "/" && glued(i-2) && glued(i-1) {
		first = i - 2
	}
	return code(first) && code(first+2) && at(lx, first+1).text == "/" && glued(first) && glued(first+1) &&
		!(glued(first-1) && at(lx, first-1).kind != lexWord) && !(glued(first+2) && at(lx, first+3).text == "/")
}

func at(lx []lexeme, i int) lexeme {
	if i < 0 || i >= len(lx) {
		return lexeme{}
	}
	return lx[i]
}

// isStatusKey reports whether w names a status field: "status",
// "status_code", "elb_status_code", "statusCode", "code", and a status
// named by whose it is, as log fields are: "DownstreamStatus" (Traefik),
// "upstream_status", "backendStatusCode".
func isStatusKey(w string) bool {
	w = strings.ToLower(w)
	return w == "code" || w == "response_code" || w == "http_code" || w == "httpcode" || strings.HasSuffix(w, "status") ||
		strings.HasSuffix(w, "statuscode") || strings.HasSuffix(w, "status_code")
}

// squidResult reports whether w is a result code of Squid's access log,
// which it writes before the status: TCP_MISS, TCP_DENIED, NONE_NONE.
func squidResult(w string) bool {
	return strings.HasPrefix(w, "TCP_") || strings.HasPrefix(w, "UDP_") || strings.HasPrefix(w, "NONE")
}

// isHTTPVersionBefore reports whether the lexemes before lx[i] end with a
// protocol version, "HTTP/1.1" or "HTTP/2".
func isHTTPVersionBefore(lx []lexeme, i int) bool {
	j := i - 1
	if j < 0 || lx[j].kind != lexNumber {
		return false
	}
	// Walk back over "1", ".", "1".
	for j-2 >= 0 && lx[j-1].text == "." && lx[j-2].kind == lexNumber && lx[j-1].start == lx[j-2].end {
		j -= 2
	}
	return j-2 >= 0 && lx[j-1].text == "/" && strings.EqualFold(lx[j-2].text, "http") && lx[j-2].end == lx[j-1].start && lx[j-1].end == lx[j].start
}
