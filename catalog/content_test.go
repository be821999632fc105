package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Length limits of the texts. The renderers put them into Discord embed fields
// (1024 characters) and Slack sections (3000).
const (
	maxSummary     = 200
	maxExplanation = 700
	maxNote        = 600 // one comparison note
	maxHeaderNote  = 100
	maxKeyword     = 40
	discordField   = 1024
)

// normalize folds a name or keyword the way the query resolver does: lower
// case, apostrophes dropped, any other punctuation a single space.
func normalize(s string) string {
	var sb strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’':
		case ('a' <= r && r <= 'z') || ('0' <= r && r <= '9'):
			sb.WriteRune(r)
			space = false
		case !space:
			sb.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(sb.String())
}

var sentenceEnd = regexp.MustCompile(`[.!?](\s|$)`)

func sentences(s string) int { return len(sentenceEnd.FindAllString(s, -1)) }

// plainText reports why s is not plain single-paragraph text, or "".
func plainText(s string) string {
	if s != strings.TrimSpace(s) {
		return "leading or trailing space"
	}
	if strings.Contains(s, "  ") {
		return "double space"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("control character %q", r)
		}
	}
	// Markers that Discord or Slack would pair up into formatting. A single
	// asterisk, as in "bytes */47022", stays literal.
	for _, m := range []string{"`", "**", "__", "~~", "](", "<", ">", "|"} {
		if strings.Contains(s, m) {
			return fmt.Sprintf("markdown-like %q", m)
		}
	}
	if strings.Count(s, "*") > 1 {
		return "several asterisks"
	}
	return ""
}

func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && !strings.ContainsAny(s, " \t")
}

// TestNoUnknownFields checks codes.json has no misspelt keys, which
// encoding/json would otherwise drop silently.
func TestNoUnknownFields(t *testing.T) {
	dec := json.NewDecoder(bytes.NewReader(codesJSON))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("codes.json: %v", err)
	}
}

// TestEntriesComplete checks every code has all its texts, within their limits.
func TestEntriesComplete(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		t.Run(fmt.Sprint(c.Code), func(t *testing.T) {
			if c.Phrase == "" {
				t.Errorf("Code(%d).Phrase is empty", c.Code)
			}
			checkText(t, c.Code, "Summary", c.Summary, maxSummary, 1, 1)
			checkText(t, c.Code, "Explanation", c.Explanation, maxExplanation, 2, 4)
			if c.Popularity < 1 || c.Popularity > 100 {
				t.Errorf("Code(%d).Popularity = %d, want 1-100", c.Code, c.Popularity)
			}
			if c.Official {
				if c.Spec.Name == "" || !httpsURL(c.Spec.URL) {
					t.Errorf("Code(%d).Spec = %+v, want a name and an https link", c.Code, c.Spec)
				}
				if c.Vendor != "" || c.Source != "" {
					t.Errorf("Code(%d) is official but has vendor %q, source %q", c.Code, c.Vendor, c.Source)
				}
				if c.MDN != "" && !strings.HasPrefix(c.MDN, "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/"+strconv.Itoa(c.Code)) {
					t.Errorf("Code(%d).MDN = %q, want the MDN page of %d", c.Code, c.MDN, c.Code)
				}
			} else {
				if c.Vendor == "" || !httpsURL(c.Source) {
					t.Errorf("Code(%d) is unofficial: vendor %q, source %q; want a vendor and an https source", c.Code, c.Vendor, c.Source)
				}
				if c.Spec != (Spec{}) || c.MDN != "" || slices.ContainsFunc(c.Flags, func(f Flag) bool { return f != FlagLogOnly }) {
					t.Errorf("Code(%d) is unofficial but has spec %+v, MDN %q, flags %v", c.Code, c.Spec, c.MDN, c.Flags)
				}
			}
			for _, f := range c.Flags {
				if !slices.Contains([]Flag{FlagDeprecated, FlagUnused, FlagExperimental, FlagWebDAV, FlagObsoleted, FlagLogOnly}, f) {
					t.Errorf("Code(%d) has unknown flag %q", c.Code, f)
				}
			}
			for i, m := range c.Also {
				if m.Phrase == "" || m.Vendor == "" || !httpsURL(m.Source) {
					t.Errorf("Code(%d).Also[%d] = %+v, want phrase, vendor and https source", c.Code, i, m)
				}
				checkText(t, c.Code, fmt.Sprintf("Also[%d].Summary", i), m.Summary, maxSummary, 1, 1)
			}
		})
	}
}

func checkText(t *testing.T, code int, field, s string, max, minSentences, maxSentences int) {
	t.Helper()
	switch n := len([]rune(s)); {
	case n == 0:
		t.Errorf("Code(%d).%s is empty", code, field)
		return
	case n > max:
		t.Errorf("Code(%d).%s has %d characters, want at most %d", code, field, n, max)
	}
	if why := plainText(s); why != "" {
		t.Errorf("Code(%d).%s is not plain text (%s): %q", code, field, why, s)
	}
	if n := sentences(s); n < minSentences || n > maxSentences {
		t.Errorf("Code(%d).%s has %d sentences, want %d-%d: %q", code, field, n, minSentences, maxSentences, s)
	}
}

// genericKeywords would match nearly every question, so no code may use them.
var genericKeywords = []string{
	"a", "an", "the", "http", "https", "request", "response", "server", "client", "error",
	"errors", "code", "status", "status code", "page", "web", "website", "api", "problem",
	"issue", "fail", "failed", "failure", "not", "ok", "help",
}

// sharedKeywords may sit on more than one code because they truly fit each.
var sharedKeywords = map[string][]int{
	"webdav":         {102, 207, 208, 423, 424, 507, 508},
	"depth infinity": {208, 508},
	"lost update":    {412, 428},
}

// TestKeywords checks the free-text search words are distinctive and clean.
func TestKeywords(t *testing.T) {
	cat := load(t)
	names := map[string][]int{} // normalized phrase or alias -> codes
	for _, c := range cat.Codes() {
		names[normalize(c.Phrase)] = append(names[normalize(c.Phrase)], c.Code)
		for _, a := range c.Aliases {
			names[normalize(a)] = append(names[normalize(a)], c.Code)
		}
	}
	owners := map[string][]int{}
	for _, c := range cat.Codes() {
		if len(c.Keywords) == 0 && !c.Has(FlagUnused) {
			t.Errorf("Code(%d) has no keywords", c.Code)
		}
		seen := map[string]bool{}
		for _, k := range c.Keywords {
			n := normalize(k)
			switch {
			case k != strings.ToLower(strings.TrimSpace(k)):
				t.Errorf("Code(%d) keyword %q is not trimmed lower case", c.Code, k)
			case n == "" || len(k) > maxKeyword:
				t.Errorf("Code(%d) keyword %q is empty or longer than %d", c.Code, k, maxKeyword)
			case slices.Contains(genericKeywords, n):
				t.Errorf("Code(%d) keyword %q is too generic", c.Code, k)
			case seen[n]:
				t.Errorf("Code(%d) keyword %q is repeated", c.Code, k)
			}
			if _, err := strconv.Atoi(strings.ReplaceAll(n, " ", "")); err == nil {
				t.Errorf("Code(%d) keyword %q is only a number", c.Code, k)
			}
			// A keyword equal to another code's name would pull name lookups
			// towards this code.
			if others := names[n]; len(others) > 0 && !slices.Contains(others, c.Code) {
				t.Errorf("Code(%d) keyword %q is the name of %v", c.Code, k, others)
			}
			seen[n] = true
			owners[n] = append(owners[n], c.Code)
		}
	}
	for k, codes := range owners {
		if len(codes) > 1 && !slices.Equal(codes, sharedKeywords[k]) {
			t.Errorf("keyword %q is on codes %v; list it in sharedKeywords only if it fits each", k, codes)
		}
	}
}

// TestAliases checks former and folk names.
func TestAliases(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		seen := map[string]bool{normalize(c.Phrase): true}
		for _, a := range c.Aliases {
			if a == "" || seen[normalize(a)] {
				t.Errorf("Code(%d) alias %q is empty or repeats the phrase or another alias", c.Code, a)
			}
			seen[normalize(a)] = true
			for _, o := range cat.Codes() {
				if o != c && normalize(o.Phrase) == normalize(a) {
					t.Errorf("Code(%d) alias %q is the phrase of %d", c.Code, a, o.Code)
				}
			}
		}
	}
}

// TestSeeAlso checks cross-references point at other catalogued codes.
func TestSeeAlso(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		if n := len(c.SeeAlso); n < 1 || n > 4 {
			t.Errorf("Code(%d).SeeAlso = %v, want 1-4 codes", c.Code, c.SeeAlso)
		}
		for i, n := range c.SeeAlso {
			switch {
			case n == c.Code:
				t.Errorf("Code(%d).SeeAlso refers to itself", c.Code)
			case cat.Code(n) == nil:
				t.Errorf("Code(%d).SeeAlso refers to %d, which is not catalogued", c.Code, n)
			case slices.Contains(c.SeeAlso[:i], n):
				t.Errorf("Code(%d).SeeAlso repeats %d", c.Code, n)
			}
		}
	}
}

var headerToken = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*$`)

// TestHeaderEntries checks header names are bare field names with a short note.
func TestHeaderEntries(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		var names []string
		for _, h := range c.Headers {
			if !headerToken.MatchString(h.Name) {
				t.Errorf("Code(%d) header name %q is not a field name", c.Code, h.Name)
			}
			if slices.Contains(names, strings.ToLower(h.Name)) {
				t.Errorf("Code(%d) repeats header %s", c.Code, h.Name)
			}
			names = append(names, strings.ToLower(h.Name))
			if h.Note == "" || len(h.Note) > maxHeaderNote || plainText(h.Note) != "" {
				t.Errorf("Code(%d) header %s note %q: want plain text of 1-%d characters", c.Code, h.Name, h.Note, maxHeaderNote)
			}
		}
	}
}

// TestExpectedHeaders checks the headers each code's RFC ties to it, beyond
// related_headers.json.
func TestExpectedHeaders(t *testing.T) {
	cat := load(t)
	want := map[int][]string{
		101: {"Upgrade"},
		103: {"Link"},
		201: {"Location"},
		206: {"Content-Range"},
		300: {"Location"},
		301: {"Location"},
		302: {"Location"},
		303: {"Location"},
		304: {"ETag", "Cache-Control", "Vary"},
		307: {"Location"},
		308: {"Location"},
		401: {"WWW-Authenticate"},
		405: {"Allow"},
		407: {"Proxy-Authenticate"},
		413: {"Retry-After"},
		415: {"Accept", "Accept-Encoding"},
		416: {"Content-Range"},
		426: {"Upgrade"},
		429: {"Retry-After"},
		451: {"Link"},
		503: {"Retry-After"},
	}
	for n, names := range want {
		c := mustCode(t, cat, n)
		for _, name := range names {
			if !hasHeader(c, name) {
				t.Errorf("Code(%d).Headers lacks %s", n, name)
			}
		}
	}
}

// TestConstantEntries checks constant names are unique and complete.
func TestConstantEntries(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		for i, k := range c.Constants {
			if k.Library == "" || k.Name == "" || strings.ContainsAny(k.Name, " ()") {
				t.Errorf("Code(%d).Constants[%d] = %+v, want a library and a bare name", c.Code, i, k)
			}
			if slices.Contains(c.Constants[:i], k) {
				t.Errorf("Code(%d) repeats constant %+v", c.Code, k)
			}
		}
	}
	// Python 3.13 added RFC 9110 names; the old ones remain.
	for n, name := range map[int]string{413: "CONTENT_TOO_LARGE", 414: "URI_TOO_LONG", 416: "RANGE_NOT_SATISFIABLE", 422: "UNPROCESSABLE_CONTENT"} {
		if !hasConstant(mustCode(t, cat, n), "Python http (3.13+)", "HTTPStatus."+name) {
			t.Errorf("Code(%d).Constants lacks Python 3.13 HTTPStatus.%s", n, name)
		}
	}
}

// TestFieldsFit checks the lists the renderers join into one embed field stay
// within Discord's 1024 characters, the tightest platform limit.
func TestFieldsFit(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		var hs, ks []string
		for _, h := range c.Headers {
			hs = append(hs, h.Name+" ("+h.Note+")")
		}
		for _, k := range c.Constants {
			ks = append(ks, k.Name+" ("+k.Library+", "+k.Note+")")
		}
		fields := map[string]string{
			"headers":   strings.Join(hs, ", "),
			"constants": strings.Join(ks, ", "),
			"aliases":   strings.Join(c.Aliases, ", "),
			"text":      c.Summary + "\n\n" + c.Explanation,
		}
		for _, m := range c.Also {
			fields["also "+m.Vendor] = m.Phrase + ": " + m.Summary
		}
		for name, v := range fields {
			if n := len([]rune(v)); n > discordField {
				t.Errorf("Code(%d) %s field has %d characters, want at most %d", c.Code, name, n, discordField)
			}
		}
	}
}

// TestEntryFacts checks statements a review found wrong or missing: each row
// is a fact from the cited source that the entry must state, and the wrong
// claim it must no longer make.
func TestEntryFacts(t *testing.T) {
	cat := load(t)
	tests := []struct {
		code    int
		source  string
		want    []string // in the summary or explanation
		notWant []string
	}{
		{417, "RFC 9110 Section 10.1.1: a server that can decide from the method, target URI and headers sends that final status",
			[]string{"401", "405", "413"}, []string{"would reject the request anyway"}},
		{494, "nginx ngx_http_request.c: a too long request line is finalized with 414, too large headers with 494",
			[]string{"header", "414"}, []string{"request line or headers"}},
		{306, "IETF announcement of draft-cohen-http-305-306-responses-00, dated 06/16/1997",
			[]string{"June 1997"}, []string{"1996"}},
		{418, "RFC 9110 Section 15.5.19: the code cannot be assigned to other applications currently, and can be re-assigned if needed",
			[]string{"cannot currently be assigned to other uses"}, []string{"cannot be reused"}},
		{500, "RFC 9110 Section 15.6.1: an unexpected condition on the server, which some input may trigger",
			[]string{"particular input"}, []string{"The fault is not in the request"}},
		{101, "RFC 9113 Section 8.6: HTTP/2 does not support 101; RFC 9114 likewise for HTTP/3; RFC 8441 extended CONNECT",
			[]string{"HTTP/2", "no 101", "extended CONNECT"}, nil},
		{208, "RFC 5842 Section 7.1: 208 SHOULD NOT be used unless the client has signaled support in the DAV request header",
			[]string{"DAV request header", "508"}, nil},
		{506, "Apache httpd mod_negotiation.c: HTTP_VARIANT_ALSO_VARIES when a chosen variant is a type map or negotiates transparently",
			[]string{"Apache", "mod_negotiation", "type map"}, []string{"almost never seen"}},
		{530, "Cloudflare docs error-530, error-1016 (Origin DNS error) and error-1033 (Argo Tunnel error: ensure cloudflared is running)",
			[]string{"1016", "1033", "cloudflared"}, nil},
		{412, "RFC 9110 Section 13.1.2: If-None-Match: * is false when a current representation exists, and then 412",
			[]string{"If-None-Match: *"}, nil},
	}
	for _, tt := range tests {
		c := mustCode(t, cat, tt.code)
		checkSays(t, fmt.Sprintf("Code(%d)", tt.code), c.Summary+" "+c.Explanation, tt.source, tt.want, tt.notWant)
	}
}

// checkSays reports which of want the text lacks and which of notWant it
// still holds; source is where the fact comes from.
func checkSays(t *testing.T, what, text, source string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not say %q (%s): %q", what, w, source, text)
		}
	}
	for _, w := range notWant {
		if strings.Contains(text, w) {
			t.Errorf("%s still says %q, contrary to %s", what, w, source)
		}
	}
}

// TestComparisonFacts checks curated notes a review found too absolute or
// contradicting an entry, and the notes it asked for.
func TestComparisonFacts(t *testing.T) {
	cat := load(t)
	tests := []struct {
		codes   []int
		source  string
		want    []string // in the notes
		notWant []string
	}{
		{[]int{403, 404}, "RFC 9110 Section 15.5.4: a server may send 404 to hide that a forbidden resource exists",
			[]string{"403 refuses access and usually implies the resource exists"}, []string{"admits the resource exists"}},
		{[]int{400, 422}, "RFC 9110 Section 15.5.1 and the 400 entry: 400 covers any client error",
			[]string{"400 is the general client-error code"}, []string{"400 means the server could not parse"}},
		{[]int{500, 502, 503, 504}, "a 500 bug can depend on the input, and a lighter request can avoid a 504",
			[]string{"usually will not help"}, []string{"changing the request will not help"}},
		{[]int{412, 428}, "RFC 9110 Section 13.1.2: If-None-Match: * prevents a PUT from modifying an existing representation",
			[]string{"If-None-Match: *"}, nil},
	}
	for _, tt := range tests {
		i := slices.IndexFunc(cat.comparisons, func(c Comparison) bool { return slices.Equal(c.Codes, tt.codes) })
		if i < 0 {
			t.Errorf("no comparison entry for exactly %v", tt.codes)
			continue
		}
		checkSays(t, fmt.Sprintf("comparison %v", tt.codes), strings.Join(cat.comparisons[i].Notes, " "), tt.source, tt.want, tt.notWant)
	}
}

// heuristicallyCacheable are the codes RFC 9110 Section 15.1 defines as
// heuristically cacheable: "Responses with status codes that are defined as
// heuristically cacheable (e.g., 200, 203, 204, 206, 300, 301, 308, 404, 405,
// 410, 414, and 501 in this specification) can be reused by a cache with
// heuristic expiration unless otherwise indicated by the method definition or
// explicit cache controls". For 206, Section 15.3.7 names only cache controls.
var heuristicallyCacheable = []int{200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}

// TestHeuristicCacheability checks every heuristically cacheable code says so
// in the same words, with the RFC's condition, and no other code claims it.
func TestHeuristicCacheability(t *testing.T) {
	cat := load(t)
	const claim = "heuristically cacheable, so caches may reuse it without an explicit lifetime, unless "
	for _, c := range cat.Codes() {
		text := c.Summary + " " + c.Explanation
		if !slices.Contains(heuristicallyCacheable, c.Code) {
			if strings.Contains(text, "heuristically cacheable") || strings.Contains(text, "cacheable by default") {
				t.Errorf("Code(%d) claims to be cacheable by default; RFC 9110 Section 15.1 does not list it", c.Code)
			}
			continue
		}
		condition := "the method or headers say otherwise."
		if c.Code == 206 {
			condition = "its headers say otherwise."
		}
		if !strings.Contains(c.Explanation, claim+condition) {
			t.Errorf("Code(%d).Explanation = %q, want it to say it is %q", c.Code, c.Explanation, claim+condition)
		}
	}
	for _, cmp := range cat.comparisons {
		for _, note := range cmp.Notes {
			if strings.Contains(note, "cacheable by default") {
				t.Errorf("comparison %v says %q; say heuristically cacheable, as the codes do", cmp.Codes, note)
			}
		}
	}
}

// TestComparisons checks the curated notes: the common confusions are covered,
// every code exists, every note speaks to every code of its entry, and no
// pair-specific entry is hidden behind an earlier group entry.
func TestComparisons(t *testing.T) {
	cat := load(t)
	for i, cmp := range cat.comparisons {
		if len(cmp.Codes) < 2 || len(cmp.Notes) == 0 {
			t.Errorf("comparison %d %v: want at least 2 codes and a note", i, cmp.Codes)
		}
		for j, n := range cmp.Codes {
			if cat.Code(n) == nil {
				t.Errorf("comparison %d %v: %d is not catalogued", i, cmp.Codes, n)
			}
			if slices.Contains(cmp.Codes[:j], n) {
				t.Errorf("comparison %d %v repeats %d", i, cmp.Codes, n)
			}
		}
		for _, note := range cmp.Notes {
			if n := len([]rune(note)); n > maxNote || plainText(note) != "" {
				t.Errorf("comparison %v note is not plain text within %d characters: %q", cmp.Codes, maxNote, note)
			}
			if n := sentences(note); n < 1 || n > 3 {
				t.Errorf("comparison %v note has %d sentences, want 1-3: %q", cmp.Codes, n, note)
			}
			for _, n := range cmp.Codes {
				if !strings.Contains(note, strconv.Itoa(n)) {
					t.Errorf("comparison %v note does not mention %d: %q", cmp.Codes, n, note)
				}
			}
		}
		if len(cmp.Codes) == 2 {
			got, _ := cat.Comparison(cmp.Codes[1], cmp.Codes[0])
			if !slices.Equal(got.Codes, cmp.Codes) {
				t.Errorf("Comparison(%d, %d) = %v, want the pair entry %v (an earlier entry hides it)", cmp.Codes[1], cmp.Codes[0], got.Codes, cmp.Codes)
			}
		}
	}
	groups := [][]int{
		{301, 302, 303, 307, 308}, {401, 403}, {403, 404}, {404, 410}, {400, 422},
		{405, 501}, {200, 204}, {429, 503}, {500, 502, 503, 504}, {408, 504}, {412, 428},
		{401, 511}, {404, 405},
	}
	for _, g := range groups {
		for i, a := range g {
			for _, b := range g[i+1:] {
				if _, ok := cat.Comparison(a, b); !ok {
					t.Errorf("Comparison(%d, %d) found nothing, want a curated note", a, b)
				}
			}
		}
	}
}

// BenchmarkLoad measures parsing and indexing the embedded catalogue, which the
// bot does once at start-up.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
