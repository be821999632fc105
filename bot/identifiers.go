package bot

import (
	"slices"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

// Pasted text names statuses in code as much as in words: library constants
// ("HttpStatus.UNPROCESSABLE_ENTITY", "SC_NOT_FOUND",
// "StatusServiceUnavailable"), exception classes
// ("ActiveRecord::RecordNotFound"), error codes ("invalid_token") and log
// messages ("upstream timed out"). This file recognises them.

// squash lower-cases s and keeps only its letters and digits, so that
// "TOO_MANY_REQUESTS", "TooManyRequests" and "too-many-requests" meet.
func squash(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b = append(b, c)
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		}
	}
	return string(b)
}

// lastSegment is the part of a qualified name after its last ".", "::" or
// "\": "HttpStatus.NOT_FOUND" -> "NOT_FOUND".
func lastSegment(s string) string {
	if i := strings.LastIndexAny(s, ".:\\"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// constantPrefixes are what libraries put before a status's name:
// "StatusNotFound", "SC_NOT_FOUND", "HTTP_404_NOT_FOUND", "Status404NotFound".
var constantPrefixes = []string{"httpstatuscode", "httpstatus", "statuscodes", "statuscode", "status", "sc", "http"}

// constantKey is the squashed name of a constant, without its library's
// prefix and number: "http.StatusTooManyRequests" -> "toomanyrequests".
func constantKey(name string) string {
	k := squash(lastSegment(name))
	for _, p := range constantPrefixes {
		if rest, ok := strings.CutPrefix(k, p); ok && rest != "" {
			k = rest
			break
		}
	}
	k = strings.TrimLeft(k, "0123456789")
	return k
}

// addConstant records a library's name for code. A key two codes share is
// ambiguous and answers neither.
func (idx *index) addConstant(name string, code int) {
	k := constantKey(name)
	if len(k) < 2 {
		return
	}
	if old, ok := idx.constants[k]; ok && old != code {
		idx.constants[k] = -1
		return
	}
	idx.constants[k] = code
}

// identifier is a run of the text that reads as a name in code: it joins
// words with "_", ".", "::" or "\", or writes them in camelCase.
type identifier struct {
	text string
}

// identifiers finds the code-like names in s.
func identifiers(s string, lx []lexeme) []identifier {
	var out []identifier
	for i := 0; i < len(lx); {
		j := i
		for j+1 < len(lx) && lx[j].end == lx[j+1].start && joinsIdentifier(lx[j+1], lx[j]) {
			j++
		}
		run := s[lx[i].start:lx[j].end]
		symbol := strings.HasPrefix(run, ":") && !strings.HasPrefix(run, "::") && j > i // a Ruby symbol, ":forbidden"
		// Quotes and brackets before a name are not part of it:
		// `{"code":"PGRST116"}`, "(AADSTS50058)".
		run = strings.Trim(run, ".:\\/\"'`([{<")
		if symbol || looksLikeIdentifier(run) {
			out = append(out, identifier{text: run})
		}
		i = j + 1
	}
	return out
}

// joinsIdentifier reports whether l continues an identifier after prev.
func joinsIdentifier(l, prev lexeme) bool {
	switch l.kind {
	case lexWord, lexNumber:
		return true
	}
	switch l.text {
	case ".", ":", "\\", "=":
		return prev.kind != lexPunct || prev.text == ":"
	}
	return false
}

// looksLikeIdentifier reports whether run is written as code: with an
// underscore, a qualifier, a lower-to-upper case change inside a word, or
// as an error number (capitals, then digits: "AH01630", "AADSTS7000215"),
// or a capitalised word and a code ("Http404", "Resolver404").
func looksLikeIdentifier(run string) bool {
	if len(run) < 4 {
		return false
	}
	if strings.ContainsAny(run, "_.:\\=") {
		return true
	}
	if letters := strings.TrimRight(run, "0123456789"); len(letters) >= 2 && len(run)-len(letters) >= 3 &&
		(strings.Trim(letters, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" || 'A' <= letters[0] && letters[0] <= 'Z') {
		return true // "AH01630"; a class named with its code, "Http404"
	}
	for i := 1; i < len(run); i++ {
		if isLower(run[i-1]) && 'A' <= run[i] && run[i] <= 'Z' {
			return true
		}
	}
	return false
}

// constantCode is the code a library constant names, or 0.
func (idx *index) constantCode(id identifier) int {
	if n, ok := idx.constants[constantKey(id.text)]; ok && n > 0 {
		return n
	}
	return 0
}

// errorSuffixes end the names of error classes that frameworks name after
// the status they send: "ConflictException", "PayloadTooLargeError",
// "TooManyRequestsHttpException".
var errorSuffixes = []string{"httpexception", "exception", "error", "fault"}

// namedError is the code an error class is named after, or 0: NestJS's
// ConflictException, http-errors' PayloadTooLargeError, Symfony's
// TooManyRequestsHttpException.
func (idx *index) namedError(id identifier) int {
	k := constantKey(id.text)
	for _, suf := range errorSuffixes {
		if rest, ok := strings.CutSuffix(k, suf); ok && len(rest) >= 4 {
			if n, ok := idx.nameKeys[rest]; ok && n > 0 {
				return n
			}
		}
	}
	return 0
}

// signatureIndex finds catalogued error signatures in a text.
type signatureIndex struct {
	sigs    []catalog.Signature
	idents  map[string]int     // squashed identifier -> signature
	phrases map[string][]sigPh // first word -> word sequences
	// quoting is whether some signature quotes another status after its
	// words; see catalog.Signature.Quotes.
	quoting bool
	// noStatus are the catalogue's failures before any response, in
	// lower case: "econnrefused", "net::err_name_not_resolved".
	noStatus []string
	// software are the words that name the signatures' sources: "rails",
	// "django", "nginx".
	software map[string]bool
}

// namesSoftware reports whether toks name a piece of software whose errors
// the catalogue knows: what it sends by default may not be what the
// situation alone would get.
func (si *signatureIndex) namesSoftware(toks []string) bool {
	return slices.ContainsFunc(toks, func(t string) bool { return si.software[t] })
}

// namesOther reports whether toks name software in words other than those
// of the message match: "Malformed Lambda proxy response" names no
// software by its own "lambda".
func (si *signatureIndex) namesOther(toks []string, match string) bool {
	own := tokenize(match, nil)
	return slices.ContainsFunc(toks, func(t string) bool { return si.software[t] && !slices.Contains(own, t) })
}

type sigPh struct {
	words []string
	sig   int
}

// newSignatureIndex indexes sigs: one-word identifiers by their squashed
// form, messages by their words; and the failures that carry no status,
// noStatus, by their lower-case text.
func newSignatureIndex(sigs, noStatus []catalog.Signature) *signatureIndex {
	si := &signatureIndex{sigs: sigs, idents: map[string]int{}, phrases: map[string][]sigPh{}, software: map[string]bool{}}
	for _, s := range noStatus {
		si.noStatus = append(si.noStatus, strings.ToLower(s.Match))
	}
	seen := map[string]bool{} // sources, a few dozen for all the signatures
	for i, s := range sigs {
		if !seen[s.Source] {
			seen[s.Source] = true
			for _, w := range sourceWords(s.Source) {
				si.software[w] = true
			}
			if ws := strings.Fields(s.Source); len(ws) == 3 {
				// The acronym of a three-word name, whatever its case:
				// "drf" for Django REST framework, "ror" for Ruby on Rails.
				si.software[strings.ToLower(string([]byte{ws[0][0], ws[1][0], ws[2][0]}))] = true
			}
		}
		m := strings.TrimSpace(s.Match)
		if isIdentifierText(m) {
			// A qualified name ("werkzeug.exceptions.NotFound") is matched
			// whole, so that its last part alone ("NotFound", which many
			// libraries use) is not taken for it.
			si.idents[squash(m)] = i
			continue
		}
		si.add(tokenize(m, nil), i)
		si.quoting = si.quoting || s.Quotes
	}
	return si
}

// quotesStatus reports whether the words toks hold a signature that quotes
// another status than the one sent ("auth request unexpected status:
// 302"): the numbers in such a text are not its status.
func (si *signatureIndex) quotesStatus(toks []string) bool {
	for _, m := range si.find(nil, toks) {
		if m.sig.Quotes {
			return true
		}
	}
	return false
}

// connectionFailed reports whether a pasted text is a client's report that
// it never got a response, which carries no status; not a proxy's log of
// its upstream failing, which does ("while connecting to upstream": 502).
// rest is the text without the report's words, which do not make it a
// question ("No such host is known").
func (si *signatureIndex) connectionFailed(raw string) (rest string, ok bool) {
	lower := strings.ToLower(raw)
	if strings.Contains(lower, "upstream") || strings.Contains(lower, "reverse_proxy") || strings.Contains(lower, "reverse proxy") {
		return raw, false // a proxy's log of its backend failing: "(caddy reverse_proxy)"
	}
	at, longest := -1, ""
	for _, e := range si.noStatus {
		if i := strings.Index(lower, e); i >= 0 && len(e) > len(longest) {
			at, longest = i, e // the longest: "no such host is known", not "no such host"
		}
	}
	switch {
	case at < 0:
		return raw, false
	case len(lower) != len(raw):
		return raw, true
	}
	return raw[:at] + " " + raw[at+len(longest):], true
}

// isIdentifierText reports whether a signature is written as one name in
// code ("ActiveRecord::RecordNotFound", "invalid_grant", "code=H13"), not as
// words or markup ("upstream timed out", "<Code>AccessDenied</Code>").
func isIdentifierText(m string) bool {
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !(isLetterByte(c) || isDigit(c) || strings.IndexByte("_.:\\=-", c) >= 0) {
			return false
		}
	}
	return m != ""
}

func (si *signatureIndex) add(words []string, i int) {
	if len(words) == 0 {
		return
	}
	si.phrases[words[0]] = append(si.phrases[words[0]], sigPh{words: words, sig: i})
}

// sigMatch is a signature found in a text.
type sigMatch struct {
	sig    *catalog.Signature
	weight int  // how many words it covers: longer matches are more specific
	count  int  // how often it occurs
	named  bool // the text names the software it comes from
	ident  bool // found by an identifier ("PermissionDenied"), not by a phrase
}

// find returns the signatures in the text whose identifiers are ids and
// whose words are toks, most specific first.
func (si *signatureIndex) find(ids []identifier, toks []string) []sigMatch {
	var out []sigMatch
	addMatch := func(i, weight int, ident bool) {
		for k := range out {
			if out[k].sig == &si.sigs[i] {
				out[k].count++
				out[k].weight = max(out[k].weight, weight)
				out[k].ident = out[k].ident || ident
				return
			}
		}
		out = append(out, sigMatch{sig: &si.sigs[i], weight: weight, count: 1, ident: ident})
	}
	for _, id := range ids {
		// The whole name, then without its leading qualifiers:
		// "org.springframework.web.HttpRequestMethodNotSupportedException"
		// finds "HttpRequestMethodNotSupportedException".
		for rest := id.text; rest != ""; {
			if i, ok := si.idents[squash(rest)]; ok {
				addMatch(i, 3, true)
				break
			}
			j := strings.IndexAny(rest, ".:\\")
			if j < 0 {
				break
			}
			rest = strings.TrimLeft(rest[j:], ".:\\")
		}
	}
	for p, t := range toks {
		for _, ph := range si.phrases[t] {
			if p+len(ph.words) <= len(toks) && slicesEqual(toks[p:p+len(ph.words)], ph.words) {
				addMatch(ph.sig, 2*len(ph.words), false)
			}
		}
	}
	// Those of the software the text names first ("our rails app:
	// ActiveRecord::RecordNotUnique (PG::UniqueViolation: duplicate key
	// value ...)" is Rails' 500, not PostgREST's 409 for the same
	// message); then the most specific; between equals, the first found:
	// names before phrases, each in the order the text has them. (An
	// exception's name weighs less than a phrase of two words on purpose:
	// Kestrel's generic BadHttpRequestException, 400, is refined by its
	// message, "Request body too large", 413.)
	for k := range out {
		out[k].named = namesSource(out[k].sig.Source, toks)
	}
	before := func(a, b sigMatch) bool {
		if a.named != b.named {
			return a.named
		}
		return a.weight > b.weight
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && before(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// namesSource reports whether toks name a signature's source: one of its
// sourceWords, or the initials of a name of three words or more ("drf" for
// Django REST framework).
func namesSource(source string, toks []string) bool {
	if slices.ContainsFunc(sourceWords(source), func(w string) bool { return slices.Contains(toks, w) }) {
		return true
	}
	words := strings.Fields(source)
	if len(words) < 3 {
		return false
	}
	initials := make([]byte, len(words))
	for i, w := range words {
		initials[i] = w[0] | 0x20
	}
	return slices.Contains(toks, string(initials))
}

// identified reports whether a signature's source has a word that names
// it, as "Amazon API Gateway" has none of its own.
func identified(source string) bool { return len(sourceWords(source)) > 0 }

// sourceWords are the words of a signature's source that name it:
// "rails" of "Ruby on Rails", "postgrest"; not "framework" or "api".
func sourceWords(source string) []string {
	return slices.DeleteFunc(brandWords(source), func(w string) bool { return genericSourceWords[w] || isDigits(w) })
}

// genericSourceWords are words of sources' names that name no one piece of
// software.
var genericSourceWords = wordSet("api", "apis", "http", "https", "framework", "mapping", "errors", "error",
	"net", "core", "rest", "web", "server", "auth", "security", "gateway", "storage", "common", "cloud",
	"functions", "manager", "registry", "distribution", "body", "router", "rfc", "oauth", "amazon", "aws",
	"google", "microsoft", "azure", "token", "usage", "bearer", "grant", "device", "authorization",
	"dynamic", "client", "registration", "revocation", "connect", "openid", "runtime", "service", "services",
	"logs", "load", "balancer", "application", "module", "incoming", "webhooks", "the", "and", "for", "with")

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// quotedNames returns the codes whose name a text quotes, as error pages
// and bodies do: `"Method Not Allowed"`, `{"message":"Unauthorized"}`,
// `"Too many requests, please try again later."`. A one-word name must be
// the whole quote, and the code's own phrase or alias: another vendor's
// one-word phrase is more often the plain word ("the "redirect" flag" is
// not IIS's 451 Redirect). A longer name may start the quote.
func (b *Bot) quotedNames(raw string) []*catalog.Code {
	var out []*catalog.Code
	for i := 0; i < len(raw); i++ {
		q := raw[i]
		if q != '"' && q != '\'' && q != '`' || q == '\'' && inWord(raw, i) {
			continue // (an apostrophe, as in "I'll", opens no quote)
		}
		end := strings.IndexByte(raw[i+1:], q)
		for q == '\'' && end >= 0 && inWord(raw, i+1+end) {
			// nor closes one: "'loop detected', don't", "'it's'".
			next := strings.IndexByte(raw[i+2+end:], q)
			if next < 0 {
				end = -1
				break
			}
			end += next + 1
		}
		if end < 0 {
			break
		}
		span := raw[i+1 : i+1+end]
		i += end + 1
		if len(span) == 0 || len(span) > 100 {
			continue
		}
		words := slices.DeleteFunc(withoutStopwords(tokenize(span, nil)), isDigits)
		for n := len(words); n >= 1; n-- {
			if n == 1 && (len(words) > 1 || len(words[0]) < 5 || words[0] == "found") {
				break
			}
			if cs, ok := b.idx.names[strings.Join(words[:n], " ")]; ok && !slices.Contains(out, cs[0]) && (n > 1 || ownName(cs[0], words[0])) {
				out = append(out, cs[0])
				break
			}
		}
	}
	return out
}

// inWord reports whether raw[i] stands between two letters, as an
// apostrophe does in "I'll" and "don't".
func inWord(raw string, i int) bool {
	return i > 0 && i+1 < len(raw) && isLetterByte(raw[i-1]) && isLetterByte(raw[i+1])
}

// ownName reports whether word is the whole of c's phrase or of one of its
// aliases, in lower case.
func ownName(c *catalog.Code, word string) bool {
	for _, n := range append([]string{c.Phrase}, c.Aliases...) {
		if strings.EqualFold(n, word) {
			return true
		}
	}
	return false
}

// vendorCodes are the codes of the vendors a question names.
func (idx *index) vendorCodes(toks []string) []int {
	var out []int
	for _, t := range toks {
		out = append(out, idx.brands[t]...)
	}
	return out
}
