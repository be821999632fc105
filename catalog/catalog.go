// Package catalog holds statusbot's knowledge of HTTP status codes: embedded
// data files (the codes, when servers send each, example questions, and the
// errors of common software), loaded and indexed once, with lookups that do
// no I/O at query time.
package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"sync"

	// A drop-in for encoding/json that parses the 1.2 MB of data files in
	// less than half the time, which is a third of the bot's start-up.
	"github.com/segmentio/encoding/json"
)

//go:embed codes.json
var codesJSON []byte

// Flag marks a notable property of a code.
type Flag string

// Flags a code can carry.
const (
	FlagDeprecated   Flag = "deprecated"   // still registered, but its use is discouraged
	FlagUnused       Flag = "unused"       // reserved by the registry, never to be sent
	FlagExperimental Flag = "experimental" // defined by an experimental or temporary registration
	FlagWebDAV       Flag = "webdav"       // defined by the WebDAV family of specifications
	FlagObsoleted    Flag = "obsoleted"    // the defining specification is historic or obsoleted
	FlagLogOnly      Flag = "log-only"     // a server's own record, in its logs: no client receives it
)

// Spec is the document and section that defines a code.
type Spec struct {
	Name    string `json:"name"`    // "RFC 9110"
	Section string `json:"section"` // "15.5.20"; empty when the whole document defines it
	URL     string `json:"url"`     // link to the section
}

// String renders a spec citation such as "RFC 9110, Section 15.5.20".
func (s Spec) String() string {
	if s.Section == "" {
		return s.Name
	}
	return s.Name + ", Section " + s.Section
}

// Header is a response header field that goes with a code.
type Header struct {
	Name string `json:"name"` // "Retry-After"
	Note string `json:"note"` // why it goes with the code, one short clause
}

// Constant is the name a programming library gives a code.
type Constant struct {
	Library string `json:"library"`        // "Go net/http"
	Name    string `json:"name"`           // "http.StatusTooManyRequests"
	Note    string `json:"note,omitempty"` // the versions that have the name, e.g. "since 7.0"; empty if every current one does
}

// Meaning is one vendor's use of an unofficial code.
type Meaning struct {
	Phrase  string `json:"phrase"`
	Vendor  string `json:"vendor"`
	Source  string `json:"source"` // link to the vendor's documentation or source
	Summary string `json:"summary"`
	// Folklore marks a meaning only secondary sources report, never the vendor.
	Folklore bool `json:"folklore,omitempty"`
}

// Code is everything the catalogue knows about one status code.
type Code struct {
	Code        int        `json:"code"`
	Phrase      string     `json:"phrase"`   // current IANA / RFC 9110 reason phrase
	Aliases     []string   `json:"aliases"`  // former and folk names
	Keywords    []string   `json:"keywords"` // words people use when they mean this code
	Official    bool       `json:"official"` // registered with IANA
	Vendor      string     `json:"vendor"`   // for unofficial codes: who uses it
	Source      string     `json:"source"`   // for unofficial codes: where that is documented
	Summary     string     `json:"summary"`  // one sentence
	Explanation string     `json:"explanation"`
	Spec        Spec       `json:"spec"`
	MDN         string     `json:"mdn"`
	Headers     []Header   `json:"headers"`
	Flags       []Flag     `json:"flags"`
	SeeAlso     []int      `json:"see_also"`
	Constants   []Constant `json:"constants"`
	Also        []Meaning  `json:"also"` // further vendors' meanings of the same number
	Popularity  int        `json:"popularity"`
	// Folklore marks a code sourced only by folklore: it answers when asked
	// by number or name, but is never the best answer to a described situation.
	Folklore bool `json:"folklore,omitempty"`
	// DescriptivePhrase marks a vendor code whose vendor defines no reason
	// phrase: Phrase describes the code, it is not the vendor's name for it.
	DescriptivePhrase bool `json:"descriptive_phrase,omitempty"`

	// Situations are when a server sends the code, from situations.json.
	Situations []Situation `json:"-"`
	// Questions are example questions the code answers, from questions.json
	// and asked.json.
	Questions []string `json:"-"`

	class *Class
}

// Class returns the class the code belongs to.
func (c *Code) Class() *Class { return c.class }

// Title is the code and its phrase, e.g. "429 Too Many Requests". A reserved
// code that people know by a folk name reads "418 I'm a teapot (unused)".
func (c *Code) Title() string {
	if c.Has(FlagUnused) && len(c.Aliases) > 0 {
		return fmt.Sprintf("%d %s (unused)", c.Code, c.Aliases[0])
	}
	return fmt.Sprintf("%d %s", c.Code, c.Phrase)
}

// Has reports whether the code carries flag f.
func (c *Code) Has(f Flag) bool { return slices.Contains(c.Flags, f) }

// Class is one of the five classes of status codes.
type Class struct {
	Number      int      `json:"number"`      // 1..5
	Name        string   `json:"name"`        // "Client error responses"
	Description string   `json:"description"` // "the request contains bad syntax or cannot be fulfilled"
	Aliases     []string `json:"aliases"`     // "client errors", "4xx errors"

	codes []*Code
}

// Range is the class's span of codes, e.g. "400-499".
func (c *Class) Range() string { return fmt.Sprintf("%d00-%d99", c.Number, c.Number) }

// Mask is the class written as a mask, e.g. "4xx".
func (c *Class) Mask() string { return fmt.Sprintf("%dxx", c.Number) }

// Codes returns the catalogued codes of the class, in numeric order.
func (c *Class) Codes() []*Code { return c.codes }

// Comparison is a curated note on a commonly confused set of codes.
type Comparison struct {
	Codes []int    `json:"codes"`
	Notes []string `json:"notes"`
}

// Catalog is the loaded, indexed catalogue. It is immutable and safe for
// concurrent use.
type Catalog struct {
	classes     [6]*Class // index 1..5
	byCode      [600]*Code
	codes       []*Code
	comparisons []Comparison
	splits      []Split
	signatures  []Signature
	noStatus    []Signature
	libraries   []Library
}

type file struct {
	Classes     []*Class     `json:"classes"`
	Codes       []*Code      `json:"codes"`
	Comparisons []Comparison `json:"comparisons"`
}

// Load parses and indexes the embedded catalogue: the codes, their
// situations and example questions, and the error signatures of common
// software.
func Load() (*Catalog, error) {
	// Parsing is most of the work, and the files are independent until
	// they are attached to the codes: each is parsed on its own goroutine.
	var (
		wg   sync.WaitGroup
		cat  *Catalog
		sits *situationsFile
		sigs *signaturesFile
		qs   *questionsFile
		asks *questionsFile
		errs [5]error
	)
	wg.Go(func() { cat, errs[0] = parseCatalog(codesJSON, json.DontCopyString) })
	wg.Go(func() { sits, errs[1] = parse[situationsFile]("situations", situationsJSON) })
	wg.Go(func() { sigs, errs[2] = parse[signaturesFile]("signatures", signaturesJSON) })
	wg.Go(func() { qs, errs[3] = parse[questionsFile]("questions", questionsJSON) })
	wg.Go(func() { asks, errs[4] = parse[questionsFile]("asked", askedJSON) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := cat.addSituations(sits); err != nil {
		return nil, err
	}
	if err := cat.addSignatures(sigs); err != nil {
		return nil, err
	}
	if err := cat.addQuestions(qs); err != nil {
		return nil, err
	}
	if err := cat.addQuestions(asks); err != nil {
		return nil, err
	}
	return cat, nil
}

// parse decodes one of the embedded files beside codes.json, named what in
// errors. Its strings point into data, which must never change.
// A file type with a makeRoom method makes room in its slices first.
func parse[T any](what string, data []byte) (*T, error) {
	f := new(T)
	if r, ok := any(f).(interface{ makeRoom(data []byte) }); ok {
		r.makeRoom(data)
	}
	if err := decode(data, f, json.DontCopyString); err != nil {
		return nil, fmt.Errorf("catalog: parse %s: %w", what, err)
	}
	return f, nil
}

// decode is json.Unmarshal with flags. Load passes json.DontCopyString, so
// that strings point into the embedded files instead of being copies: the
// files never change and live as long as the program, and their ten
// thousand strings were most of what loading allocated.
func decode(data []byte, v any, flags json.ParseFlags) error {
	rest, err := json.Parse(data, v, flags)
	if err == nil && len(bytes.TrimSpace(rest)) > 0 {
		err = fmt.Errorf("invalid character %q after top-level value", rest[0])
	}
	return err
}

// entriesWithRoom returns an empty slice of a file's entries with room
// for one for each list in data that follows key (an object's key, with
// its quotes), the i-th entry with room, made by makeList, for as many
// elements as unit occurs between the i-th such list's beginning and the
// next one's, divided by per (how many of unit an element has). The decoder
// decodes each element of a slice into the room it finds, and grows a
// slice that has none from 10 elements by doubling: growing a list for
// each code allocated 480 KB more than the 4,535 situations and 5,465
// questions, at every start-up. Counting costs a fraction of decoding; a
// miscount would only cost room.
func entriesWithRoom[E any](data []byte, key string, unit byte, per int, makeList func(e *E, n int)) []E {
	var at []int // where each list begins
	// The lists are found by their brackets, and the key before them:
	// finding the key itself, which begins with a quote, as most strings
	// and keys do, took five times as long.
	for i := 0; ; {
		k := bytes.IndexByte(data[i:], '[')
		if k < 0 {
			break
		}
		i += k + 1
		before := bytes.TrimRight(data[:i-1], " \t\r\n")
		if colon, ok := bytes.CutSuffix(before, []byte{':'}); ok && bytes.HasSuffix(bytes.TrimRight(colon, " \t\r\n"), []byte(key)) {
			at = append(at, i)
		}
	}
	entries := make([]E, len(at))
	for i, from := range at {
		to := len(data)
		if i+1 < len(at) {
			to = at[i+1]
		}
		makeList(&entries[i], bytes.Count(data[from:to], []byte{unit})/per)
	}
	return entries[:0]
}

// joined returns list with more after it: more itself when list is empty,
// so that loading copies nothing, clipped so that a later append copies
// rather than writes into what the decoder made.
func joined[E any](list, more []E) []E {
	if list == nil {
		return slices.Clip(more)
	}
	return append(list, more...)
}

// Parse parses and indexes a catalogue in the embedded file's format.
func Parse(data []byte) (*Catalog, error) { return parseCatalog(data, 0) }

// parseCatalog is Parse with the decoder's flags.
func parseCatalog(data []byte, flags json.ParseFlags) (*Catalog, error) {
	var f file
	if err := decode(data, &f, flags); err != nil {
		return nil, fmt.Errorf("catalog: parse: %w", err)
	}
	cat := &Catalog{comparisons: f.Comparisons}
	for _, cl := range f.Classes {
		if cl == nil {
			return nil, fmt.Errorf("catalog: null class")
		}
		if cl.Number < 1 || cl.Number > 5 || cat.classes[cl.Number] != nil {
			return nil, fmt.Errorf("catalog: bad or repeated class %d", cl.Number)
		}
		cat.classes[cl.Number] = cl
	}
	// Every class must exist: Class and Classes promise all five, and callers
	// describe any number from 100 to 599 by its class.
	for n := 1; n <= 5; n++ {
		if cat.classes[n] == nil {
			return nil, fmt.Errorf("catalog: class %d missing", n)
		}
	}
	for _, c := range f.Codes {
		if c == nil {
			return nil, fmt.Errorf("catalog: null code")
		}
		if c.Code < 100 || c.Code > 599 {
			return nil, fmt.Errorf("catalog: code %d out of range", c.Code)
		}
		if cat.byCode[c.Code] != nil {
			return nil, fmt.Errorf("catalog: code %d repeated", c.Code)
		}
		cl := cat.classes[c.Code/100]
		if cl == nil {
			return nil, fmt.Errorf("catalog: code %d: class %d missing", c.Code, c.Code/100)
		}
		c.class = cl
		cat.byCode[c.Code] = c
		cat.codes = append(cat.codes, c)
	}
	sort.Slice(cat.codes, func(i, j int) bool { return cat.codes[i].Code < cat.codes[j].Code })
	for _, c := range cat.codes {
		c.class.codes = append(c.class.codes, c)
	}
	return cat, nil
}

// Code returns the catalogued code n, or nil.
func (cat *Catalog) Code(n int) *Code {
	if n < 0 || n >= len(cat.byCode) {
		return nil
	}
	return cat.byCode[n]
}

// Codes returns every catalogued code in numeric order.
func (cat *Catalog) Codes() []*Code { return cat.codes }

// Class returns class n (1..5), or nil.
func (cat *Catalog) Class(n int) *Class {
	if n < 1 || n > 5 {
		return nil
	}
	return cat.classes[n]
}

// Classes returns the five classes in order.
func (cat *Catalog) Classes() []*Class { return cat.classes[1:] }

// Comparison returns the curated notes covering both a and b, if any.
func (cat *Catalog) Comparison(a, b int) (Comparison, bool) {
	for _, cmp := range cat.comparisons {
		if slices.Contains(cmp.Codes, a) && slices.Contains(cmp.Codes, b) {
			return cmp, true
		}
	}
	return Comparison{}, false
}
