package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func load(t *testing.T) *Catalog {
	t.Helper()
	cat, err := Load()
	if err != nil {
		t.Fatalf("Load() error: %v", err)
	}
	return cat
}

func mustCode(t *testing.T, cat *Catalog, n int) *Code {
	t.Helper()
	c := cat.Code(n)
	if c == nil {
		t.Fatalf("Code(%d) = nil, want a catalogued code", n)
	}
	return c
}

func hasHeader(c *Code, name string) bool {
	for _, h := range c.Headers {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

func hasConstant(c *Code, library, name string) bool {
	return slices.Contains(c.Constants, Constant{Library: library, Name: name})
}

func hasConstantNote(c *Code, library, name, note string) bool {
	return slices.Contains(c.Constants, Constant{Library: library, Name: name, Note: note})
}

// TestIANACodes checks every assigned code of the IANA registry is catalogued as
// official, with the reasons.json phrase.
func TestIANACodes(t *testing.T) {
	cat := load(t)
	phrases, _ := reasons(t)
	rows := ianaAssigned(t)
	if len(rows) != 64 {
		t.Fatalf("iana.csv has %d assigned rows, want 64", len(rows))
	}
	for _, row := range rows {
		t.Run(fmt.Sprint(row.Code), func(t *testing.T) {
			c := mustCode(t, cat, row.Code)
			if !c.Official {
				t.Errorf("Code(%d).Official = false, want true", row.Code)
			}
			want, ok := phrases[row.Code]
			if !ok {
				t.Fatalf("reasons.json has no phrase for %d", row.Code)
			}
			if c.Phrase != want {
				t.Errorf("Code(%d).Phrase = %q, want %q", row.Code, c.Phrase, want)
			}
		})
	}
	// Nothing else may claim to be official.
	for _, c := range cat.Codes() {
		if c.Official && !slices.ContainsFunc(rows, func(r ianaRow) bool { return r.Code == c.Code }) {
			t.Errorf("Code(%d).Official = true, but IANA has not registered it", c.Code)
		}
	}
}

// TestSeedCodes checks the codes the bot was first specified with.
func TestSeedCodes(t *testing.T) {
	cat := load(t)
	var seed []int
	add := func(from, to int) {
		for n := from; n <= to; n++ {
			seed = append(seed, n)
		}
	}
	add(100, 103)
	add(200, 208)
	add(226, 226)
	add(300, 308)
	add(400, 418)
	add(421, 426)
	seed = append(seed, 428, 429, 431, 451)
	add(500, 508)
	seed = append(seed, 510, 511)
	for _, n := range seed {
		if cat.Code(n) == nil {
			t.Errorf("Code(%d) = nil, want a catalogued code", n)
		}
	}
}

// TestSpecCitations checks each registered code cites the section that
// rfc_sections.json gives, with a link to it.
func TestSpecCitations(t *testing.T) {
	cat := load(t)
	for n, want := range rfcSections(t) {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := mustCode(t, cat, n)
			if got := c.Spec.String(); got != want {
				t.Errorf("Code(%d).Spec = %q, want %q", n, got, want)
			}
			var wantURL string
			if rfc, ok := strings.CutPrefix(c.Spec.Name, "RFC "); ok {
				wantURL = "https://www.rfc-editor.org/rfc/rfc" + rfc + "#section-" + c.Spec.Section
			} else {
				wantURL = "https://datatracker.ietf.org/doc/" + c.Spec.Name
			}
			if c.Spec.URL != wantURL {
				t.Errorf("Code(%d).Spec.URL = %q, want %q", n, c.Spec.URL, wantURL)
			}
		})
	}
}

// TestRelatedHeaders checks every header field an RFC ties to a code appears on
// that code. The class-wide 3xx entries (Location, Retry-After) are optional for
// any one redirect; the redirects that require Location have their own entries.
func TestRelatedHeaders(t *testing.T) {
	cat := load(t)
	for n, names := range relatedHeaders(t) {
		if n == 0 {
			continue
		}
		c := mustCode(t, cat, n)
		for _, name := range names {
			if !hasHeader(c, name) {
				t.Errorf("Code(%d).Headers lacks %s (related_headers.json)", n, name)
			}
		}
	}
}

// TestUnofficialCodes checks every unofficial code of reasons.json is present
// with its vendor: as its own unofficial entry, as a further meaning ("also")
// of an official code, or, for the reserved 306 and 418, as an alias.
func TestUnofficialCodes(t *testing.T) {
	cat := load(t)
	_, unofficial := reasons(t)
	for n, ref := range unofficial {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := mustCode(t, cat, n)
			metas := append([]refUnofficial{ref}, ref.Also...)
			for _, m := range metas {
				switch {
				case !c.Official && c.Phrase == m.Reason:
					if !vendorMatches(c.Vendor, m.Vendor) {
						t.Errorf("Code(%d).Vendor = %q, want it to name %q", n, c.Vendor, vendorName(m.Vendor))
					}
				case slices.ContainsFunc(c.Also, func(a Meaning) bool { return a.Phrase == m.Reason }):
					i := slices.IndexFunc(c.Also, func(a Meaning) bool { return a.Phrase == m.Reason })
					if !vendorMatches(c.Also[i].Vendor, m.Vendor) {
						t.Errorf("Code(%d).Also[%d].Vendor = %q, want it to name %q", n, i, c.Also[i].Vendor, vendorName(m.Vendor))
					}
				case c.Has(FlagUnused) && slices.ContainsFunc(c.Aliases, func(a string) bool { return strings.EqualFold(a, m.Reason) }):
					// A reserved code's folk name: no vendor to name.
				default:
					t.Errorf("Code(%d) has no meaning %q (%s)", n, m.Reason, m.Vendor)
				}
			}
		})
	}
}

// TestFolklore checks the codes and meanings sourced only by folklore are
// marked, unofficial, and say so first thing. 218 (Wikipedia only; no Apache
// source mentions it), 598 and 599 (status tables, no proxy documents them)
// and Pantheon's 530 (Wikipedia only; Pantheon's "Errors and Server
// Responses" page lists no 530) are. 527 is not: Railgun was a real
// Cloudflare product whose error the secondary sources attribute to
// Cloudflare's own, since retired, documentation.
func TestFolklore(t *testing.T) {
	cat := load(t)
	var codes []int
	for _, c := range cat.Codes() {
		if c.Folklore {
			codes = append(codes, c.Code)
			if c.Official || !strings.HasPrefix(c.Summary, "Folklore code") {
				t.Errorf("Code(%d) is folklore: want it unofficial, its summary starting %q; got official %v, %q", c.Code, "Folklore code", c.Official, c.Summary)
			}
		}
		for _, m := range c.Also {
			if m.Folklore != (c.Code == 530 && m.Vendor == "Pantheon") {
				t.Errorf("Code(%d) meaning %q by %s has Folklore = %v", c.Code, m.Phrase, m.Vendor, m.Folklore)
			}
			if m.Folklore && !strings.Contains(m.Summary, "not found in") {
				t.Errorf("Code(%d) folklore meaning %q: summary %q does not say the vendor's documentation lacks it", c.Code, m.Phrase, m.Summary)
			}
		}
	}
	if want := []int{218, 598, 599}; !slices.Equal(codes, want) {
		t.Errorf("folklore codes = %v, want %v", codes, want)
	}
}

// TestDescriptivePhrases checks the vendor codes whose vendor defines no
// reason phrase: AWS's troubleshooting page heads its sections "HTTP 460",
// "HTTP 463" and "HTTP 464" (but "HTTP 561: Unauthorized"), and nginx's
// return directive calls 444 only "the non-standard code 444". Their answers
// must say the phrase is descriptive.
func TestDescriptivePhrases(t *testing.T) {
	cat := load(t)
	var codes []int
	for _, c := range cat.Codes() {
		if !c.DescriptivePhrase {
			continue
		}
		codes = append(codes, c.Code)
		if c.Official || !strings.Contains(c.Explanation, "is descriptive") {
			t.Errorf("Code(%d) has a descriptive phrase: want it unofficial, its explanation saying the phrase is descriptive; got official %v, %q", c.Code, c.Official, c.Explanation)
		}
	}
	if want := []int{444, 460, 463, 464}; !slices.Equal(codes, want) {
		t.Errorf("codes with a descriptive phrase = %v, want %v", codes, want)
	}
}

// vendorName is the leading name of a reference vendor, e.g. "Twitter" for
// "Twitter (API v1 Search/Trends rate limiting)".
func vendorName(ref string) string {
	if i := strings.IndexAny(ref, "(/"); i > 0 {
		ref = ref[:i]
	}
	return strings.TrimSpace(ref)
}

func vendorMatches(got, ref string) bool {
	return strings.Contains(strings.ToLower(got), strings.ToLower(vendorName(ref)))
}

// TestRenamedPhrases checks codes renamed by RFC 9110 (and folk names of
// reserved codes) keep their old names as aliases, with the current phrase as
// the phrase.
func TestRenamedPhrases(t *testing.T) {
	cat := load(t)
	tests := []struct {
		code    int
		phrase  string
		aliases []string
	}{
		{302, "Found", []string{"Moved Temporarily"}},
		{306, "(Unused)", []string{"Switch Proxy"}},
		{408, "Request Timeout", []string{"Request Time-out"}}, // RFC 2616 6.1.1
		{413, "Content Too Large", []string{"Payload Too Large", "Request Entity Too Large"}},
		{414, "URI Too Long", []string{"Request-URI Too Long", "Request-URI Too Large"}},
		{416, "Range Not Satisfiable", []string{"Requested Range Not Satisfiable"}},
		{418, "(Unused)", []string{"I'm a teapot"}},
		{422, "Unprocessable Content", []string{"Unprocessable Entity"}},
		{504, "Gateway Timeout", []string{"Gateway Time-out"}}, // RFC 2616 6.1.1
		{506, "Variant Also Negotiates", []string{"Variant Also Negotiable"}},
	}
	for _, tt := range tests {
		c := mustCode(t, cat, tt.code)
		if c.Phrase != tt.phrase {
			t.Errorf("Code(%d).Phrase = %q, want %q", tt.code, c.Phrase, tt.phrase)
		}
		for _, a := range tt.aliases {
			if !slices.Contains(c.Aliases, a) {
				t.Errorf("Code(%d).Aliases = %q, want it to contain %q", tt.code, c.Aliases, a)
			}
		}
	}
}

// TestGoConstants checks the Go net/http constant names against status.go: every
// Go constant is on its code, and no catalogued Go constant is made up.
func TestGoConstants(t *testing.T) {
	cat := load(t)
	want := goConstants(t)
	if len(want) != 62 {
		t.Fatalf("go_nethttp.txt has %d constants, want 62", len(want))
	}
	for n, name := range want {
		if c := mustCode(t, cat, n); !hasConstant(c, "Go net/http", "http."+name) {
			t.Errorf("Code(%d).Constants lacks Go net/http http.%s", n, name)
		}
	}
	for _, c := range cat.Codes() {
		for _, k := range c.Constants {
			if k.Library == "Go net/http" && k.Name != "http."+want[c.Code] {
				t.Errorf("Code(%d) has Go constant %s, status.go names it http.%s", c.Code, k.Name, want[c.Code])
			}
		}
	}
}

// TestPythonConstants checks the Python http.HTTPStatus names against CPython
// 3.11, the names every Python 3 release since 3.5 has (3.13 added aliases).
func TestPythonConstants(t *testing.T) {
	cat := load(t)
	want := pythonConstants(t)
	for n, name := range want {
		if c := mustCode(t, cat, n); !hasConstant(c, "Python http", "HTTPStatus."+name) {
			t.Errorf("Code(%d).Constants lacks Python http HTTPStatus.%s", n, name)
		}
	}
	for _, c := range cat.Codes() {
		for _, k := range c.Constants {
			if k.Library == "Python http" && k.Name != "HTTPStatus."+want[c.Code] {
				t.Errorf("Code(%d) has Python constant %s, CPython names it HTTPStatus.%s", c.Code, k.Name, want[c.Code])
			}
		}
	}
}

// springVersions are the Spring HttpStatus names that not every current Spring
// release has, with the note that says which do. From HttpStatus.java in
// spring-projects/spring-framework: EARLY_HINTS appears at v6.0.5 (absent at
// v6.0.4); between v6.2.x and v7.0.0, 7.0 adds CONTENT_TOO_LARGE,
// MISDIRECTED_REQUEST and UNPROCESSABLE_CONTENT and removes CHECKPOINT,
// MOVED_TEMPORARILY, USE_PROXY, REQUEST_ENTITY_TOO_LARGE, REQUEST_URI_TOO_LONG,
// INSUFFICIENT_SPACE_ON_RESOURCE, METHOD_FAILURE and DESTINATION_LOCKED.
var springVersions = map[string]struct {
	code int
	note string
}{
	"EARLY_HINTS":                    {103, "since 6.0.5"},
	"CONTENT_TOO_LARGE":              {413, "since 7.0"},
	"MISDIRECTED_REQUEST":            {421, "since 7.0"},
	"UNPROCESSABLE_CONTENT":          {422, "since 7.0"},
	"CHECKPOINT":                     {103, "removed in 7.0"},
	"MOVED_TEMPORARILY":              {302, "removed in 7.0"},
	"USE_PROXY":                      {305, "removed in 7.0"},
	"REQUEST_ENTITY_TOO_LARGE":       {413, "removed in 7.0"},
	"REQUEST_URI_TOO_LONG":           {414, "removed in 7.0"},
	"INSUFFICIENT_SPACE_ON_RESOURCE": {419, "removed in 7.0"},
	"METHOD_FAILURE":                 {420, "removed in 7.0"},
	"DESTINATION_LOCKED":             {421, "removed in 7.0"},
}

// TestSpringConstants checks every Spring HttpStatus name says which versions
// have it, and that the names Spring added since 6.0 are listed.
func TestSpringConstants(t *testing.T) {
	cat := load(t)
	for _, c := range cat.Codes() {
		for _, k := range c.Constants {
			if k.Library != "Spring HttpStatus" {
				if strings.HasPrefix(k.Library, "Spring") {
					t.Errorf("Code(%d) constant %s has library %q, want \"Spring HttpStatus\" with the version in Note", c.Code, k.Name, k.Library)
				}
				continue
			}
			v, ok := springVersions[strings.TrimPrefix(k.Name, "HttpStatus.")]
			switch {
			case ok && v.code != c.Code:
				t.Errorf("Code(%d) has Spring %s, which is %d", c.Code, k.Name, v.code)
			case k.Note != v.note:
				t.Errorf("Code(%d) Spring %s note = %q, want %q", c.Code, k.Name, k.Note, v.note)
			}
		}
	}
	for name, v := range springVersions {
		if strings.HasPrefix(v.note, "since") && !hasConstantNote(mustCode(t, cat, v.code), "Spring HttpStatus", "HttpStatus."+name, v.note) {
			t.Errorf("Code(%d).Constants lacks Spring HttpStatus.%s (%s)", v.code, name, v.note)
		}
	}
	// 420 Method Failure is not a constant of its own code but a further
	// meaning; it must say it is gone in 7.0 too.
	c := mustCode(t, cat, 420)
	i := slices.IndexFunc(c.Also, func(m Meaning) bool { return strings.HasPrefix(m.Vendor, "Spring") })
	if i < 0 || !strings.Contains(c.Also[i].Vendor+" "+c.Also[i].Summary, "7.0") || !strings.Contains(c.Explanation, "7.0") {
		t.Errorf("Code(420): the Spring Method Failure meaning and the explanation must say Spring 7.0 removed it")
	}
}

// TestFlags checks the flags of every official code, and which vendor
// codes are log-only: a server's record that no client receives, as each
// vendor's documentation says.
func TestFlags(t *testing.T) {
	cat := load(t)
	want := map[int][]Flag{
		102: {FlagWebDAV, FlagDeprecated},
		104: {FlagExperimental},
		207: {FlagWebDAV},
		208: {FlagWebDAV},
		305: {FlagDeprecated},
		306: {FlagUnused},
		418: {FlagUnused},
		423: {FlagWebDAV},
		424: {FlagWebDAV},
		507: {FlagWebDAV},
		508: {FlagWebDAV},
		510: {FlagObsoleted},
		// nginx logs 444 and 499 but sends nothing, and sends 400 for 494-497;
		// AWS's ALB records 460 after the client has gone.
		444: {FlagLogOnly},
		460: {FlagLogOnly},
		494: {FlagLogOnly},
		495: {FlagLogOnly},
		496: {FlagLogOnly},
		497: {FlagLogOnly},
		499: {FlagLogOnly},
	}
	for _, c := range cat.Codes() {
		got := slices.Clone(c.Flags)
		w := slices.Clone(want[c.Code])
		slices.Sort(got)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("Code(%d).Flags = %v, want %v", c.Code, c.Flags, want[c.Code])
		}
	}
}

// TestClasses checks the five classes and the names people use for them.
func TestClasses(t *testing.T) {
	cat := load(t)
	tests := []struct {
		n       int
		name    string
		aliases []string
	}{
		{1, "Informational responses", []string{"informational"}},
		{2, "Successful responses", []string{"success", "successful"}},
		{3, "Redirection messages", []string{"redirects", "redirection"}},
		{4, "Client error responses", []string{"client errors", "client error"}},
		{5, "Server error responses", []string{"server errors", "server error"}},
	}
	if got := len(cat.Classes()); got != 5 {
		t.Fatalf("len(Classes()) = %d, want 5", got)
	}
	for _, tt := range tests {
		cl := cat.Class(tt.n)
		if cl == nil {
			t.Fatalf("Class(%d) = nil", tt.n)
		}
		if cl.Name != tt.name {
			t.Errorf("Class(%d).Name = %q, want %q", tt.n, cl.Name, tt.name)
		}
		if cl.Description == "" {
			t.Errorf("Class(%d).Description is empty", tt.n)
		}
		for _, a := range tt.aliases {
			if !slices.Contains(cl.Aliases, a) {
				t.Errorf("Class(%d).Aliases = %q, want it to contain %q", tt.n, cl.Aliases, a)
			}
		}
		for _, c := range cl.Codes() {
			if c.Code/100 != tt.n || c.Class() != cl {
				t.Errorf("Class(%d).Codes() holds %d", tt.n, c.Code)
			}
		}
	}
}
