package bot

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/statusbot/statusbot/catalog"
)

// MaxExplainLen is how much of a text Explain reads, in bytes; the rest is
// cut, and the answer says so.
const MaxExplainLen = 4096

// reportsFigures reports whether a text states figures and asks nothing:
// three numbers or more, and no question mark.
func reportsFigures(text string) bool {
	var buf [64]lexeme
	n := 0
	for _, l := range lex(text, buf[:0]) {
		if l.kind == lexNumber {
			n++
		}
	}
	return n >= 3 && !strings.Contains(text, "?")
}

// Count is how many lines of an explained text name one code.
type Count struct {
	Code  int `json:"code"`
	Count int `json:"count"`
}

// Explain explains every HTTP status a text states or implies, as when
// someone pastes a log excerpt, an error or curl -i output and asks what it
// means. It reads the text line by line with the same rules as Answer:
// numbers in status positions (a status line, an access log's status
// field, "returned 404"), library constants, framework errors and log
// messages, and names in quotes. One status gets the usual code answer;
// several get a compact list with how often each appears; a response head
// (a status line and headers) also gets its related headers interpreted.
func (b *Bot) Explain(text string) *Answer {
	truncated := len(text) > MaxExplainLen
	if truncated {
		text = truncate(text, MaxExplainLen)
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	query := truncate(text, MaxQueryLen)

	var counts []Count
	add := func(code int) {
		for i := range counts {
			if counts[i].Code == code {
				counts[i].Count++
				return
			}
		}
		counts = append(counts, Count{Code: code, Count: 1})
	}
	head := parseHead(text)
	// A response (curl -i, dev tools) is read by its status lines: its
	// body's words are not statuses of their own. Otherwise, line by line.
	for line := range strings.Lines(text) {
		if code, ok := statusLine(strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "<"))); ok && head != nil && b.cat.Code(code) != nil {
			add(code)
		}
	}
	for line := range strings.Lines(text) {
		if head != nil {
			break
		}
		var seen []int
		for _, c := range b.statusesIn(line) {
			if !slices.Contains(seen, c) {
				seen = append(seen, c)
				add(c)
			}
		}
	}
	if len(counts) == 0 && len(text) <= MaxQueryLen && !reportsFigures(text) {
		// No line names a status: the whole text may still describe one
		// ("the upload fails because the file is too big"); not a log
		// line of figures, whose words tell no situation ("deploy took
		// 503ms, 404 files copied, version 1.4.2, pid 2231").
		if a := b.resolve(text); (a.Kind == KindStatus || a.Kind == KindSearch) && len(a.Codes) > 0 {
			a.Kind = KindExplain
			a.Codes = a.Codes[:1]
			a.Counts = []Count{{Code: a.Codes[0], Count: 1}}
			return a
		}
	}
	// Most frequent first; between equals, the first seen.
	slices.SortStableFunc(counts, func(x, y Count) int { return y.Count - x.Count })

	var a *Answer
	switch len(counts) {
	case 0:
		a = &Answer{
			Result:  Result{Query: query, Kind: KindExplain},
			Title:   "No HTTP status in this message",
			Text:    "I found no status line, status code, error name or log line I know in it. Ask me directly instead: a number (404), a name (not found), or a situation (user not logged in).",
			Private: true,
		}
	case 1:
		a = b.codeAnswer(query, KindExplain, []*catalog.Code{b.cat.Code(counts[0].Code)})
		a.Codes = []int{counts[0].Code}
	default:
		a = b.countsAnswer(query, counts)
	}
	a.Counts = counts
	if head != nil && len(counts) > 0 && head.code == counts[0].Code {
		if f, ok := b.headerField(head); ok {
			a.Fields = append([]Field{f}, a.Fields...)
		}
	}
	if truncated {
		a.Truncated = true
		a.Text = joinParas(a.Text, fmt.Sprintf("I read only the first %d KB of this message.", MaxExplainLen/1024))
	}
	return a
}

// countsAnswer lists several codes found in a text, most frequent first.
func (b *Bot) countsAnswer(query string, counts []Count) *Answer {
	a := &Answer{
		Result: Result{Query: query, Kind: KindExplain},
		Title:  fmt.Sprintf("%d HTTP statuses in this message", len(counts)),
		Text:   "Each line is a status the message states or implies, with how many of its lines show it. Pick one for the full answer.",
		Tone:   ToneNeutral,
	}
	var ranked []*catalog.Code
	for _, c := range counts {
		code := b.cat.Code(c.Code)
		ranked = append(ranked, code)
		a.Codes = append(a.Codes, c.Code)
		a.Items = append(a.Items, Item{Code: c.Code, Label: codeLabel(code), Detail: fmt.Sprintf("%s: %s", times(c.Count), code.Summary)})
	}
	a.Suggestions, a.Choices = choicesOf(ranked)
	return a
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// statusesIn returns the catalogued codes one line of a pasted text states
// or implies, in the order found.
func (b *Bot) statusesIn(line string) []int {
	line = strings.TrimSpace(line)
	if line == "" {
		return nil
	}
	var out []int
	var buf [32]string
	toks := tokenizeWith(line, buf[:0], b.idx.known)
	hits := statusNumbers(line, len(toks) <= shortQuery, b.idx.namedBy)
	if slices.ContainsFunc(hits, func(h numberHit) bool { return h.certain }) {
		// A status line or a log's status field says it all.
		hits = slices.DeleteFunc(hits, func(h numberHit) bool { return !h.certain })
	}
	for _, h := range hits {
		if b.cat.Code(h.n) != nil && (h.strong || h.certain || len(toks) <= shortQuery) {
			out = append(out, h.n)
		}
	}
	if len(out) > 0 {
		return out
	}
	var lbuf [64]lexeme
	ids := identifiers(line, lex(line, lbuf[:0]))
	if ms := b.idx.signatures.find(ids, tokenize(line, nil)); len(ms) > 0 {
		return []int{ms[0].sig.Code}
	}
	for _, id := range ids {
		if n := b.idx.constantCode(id); n != 0 {
			return []int{n}
		}
		if n := b.idx.namedError(id); n != 0 {
			return []int{n}
		}
	}
	for _, c := range b.quotedNames(line) {
		out = append(out, c.Code)
	}
	return out
}

// maxExplainedHeaders is the most header lines an answer explains.
const maxExplainedHeaders = 8

// maxHeaderValue is the most of a header's value an answer quotes.
const maxHeaderValue = 100

// headerField is the "In this response" fact: each header of the response
// that the catalogue relates to its code, with its value interpreted.
func (b *Bot) headerField(h *responseHead) (Field, bool) {
	c := b.cat.Code(h.code)
	if c == nil {
		return Field{}, false
	}
	var lines, seen []string
	for _, hv := range h.headers {
		rel, ok := relatedHeader(c, hv.name)
		if !ok || slices.Contains(seen, rel.Name) || len(lines) == maxExplainedHeaders {
			continue
		}
		seen = append(seen, rel.Name)
		value := quoteValue(hv.value)
		meaning := interpretHeader(h, c, hv.name, hv.value)
		if meaning == "" {
			meaning = rel.Note
		}
		line := hv.name + ": " + value
		if meaning != "" {
			line += " (" + meaning + ")"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return Field{}, false
	}
	return Field{Name: "In this response", Value: strings.Join(lines, "\n")}, true
}

// relatedHeader finds name among the headers the catalogue relates to c.
func relatedHeader(c *catalog.Code, name string) (catalog.Header, bool) {
	for _, h := range c.Headers {
		if strings.EqualFold(h.Name, name) {
			return h, true
		}
	}
	return catalog.Header{}, false
}

// quoteValue makes a header value, which is untrusted text, short and
// printable; adapters escape it for their markup.
func quoteValue(v string) string {
	v = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, v)
	if len(v) > maxHeaderValue {
		v = truncate(v, maxHeaderValue) + "…"
	}
	return v
}
