package catalog

// Loaders for the reference facts in testdata/ (see testdata/README). They read
// only files inside the repository.

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func openTestdata(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("open testdata: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return b
}

// ianaRow is one assigned row of the IANA registry.
type ianaRow struct {
	Code        int
	Description string
	Reference   string
}

// ianaAssigned returns the registry's assigned codes: every row whose value is
// a single number (ranges are the "Unassigned" rows).
func ianaAssigned(t *testing.T) []ianaRow {
	t.Helper()
	r := csv.NewReader(openTestdata(t, "iana.csv"))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("iana.csv: %v", err)
	}
	var rows []ianaRow
	for _, rec := range recs[1:] {
		if len(rec) != 3 {
			t.Fatalf("iana.csv: row %q has %d fields", rec, len(rec))
		}
		n, err := strconv.Atoi(rec[0])
		if err != nil || rec[1] == "Unassigned" {
			continue
		}
		rows = append(rows, ianaRow{Code: n, Description: rec[1], Reference: rec[2]})
	}
	return rows
}

// refUnofficial is one vendor meaning in reasons.json's "unofficial" section.
type refUnofficial struct {
	Reason string          `json:"reason"`
	Vendor string          `json:"vendor"`
	Source string          `json:"source"`
	Also   []refUnofficial `json:"also"`
	AKA    []string        `json:"aka"`
}

// reasons returns the canonical phrase of each registered code and the
// unofficial codes, keyed by number.
func reasons(t *testing.T) (map[int]string, map[int]refUnofficial) {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(readTestdata(t, "reasons.json"), &raw); err != nil {
		t.Fatalf("reasons.json: %v", err)
	}
	phrases := map[int]string{}
	unofficial := map[int]refUnofficial{}
	for k, v := range raw {
		if k == "unofficial" {
			var u map[string]refUnofficial
			if err := json.Unmarshal(v, &u); err != nil {
				t.Fatalf("reasons.json unofficial: %v", err)
			}
			for ks, e := range u {
				unofficial[atoi(t, ks)] = e
			}
			continue
		}
		n, err := strconv.Atoi(k)
		if err != nil {
			continue // _meta
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			t.Fatalf("reasons.json %s: %v", k, err)
		}
		phrases[n] = s
	}
	return phrases, unofficial
}

// rfcSections returns the citation ("RFC 9110, Section 15.5.20") of each code.
func rfcSections(t *testing.T) map[int]string {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(readTestdata(t, "rfc_sections.json"), &raw); err != nil {
		t.Fatalf("rfc_sections.json: %v", err)
	}
	out := map[int]string{}
	for k, v := range raw {
		n, err := strconv.Atoi(k)
		if err != nil {
			continue // metadata keys start with "_"
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			t.Fatalf("rfc_sections.json %s: %v", k, err)
		}
		out[n] = s
	}
	return out
}

// relatedHeaders returns, per code, the header field names an RFC ties to it.
// Entries such as "Link (rel=\"blocked-by\")" and "Date, Cache-Control, ETag"
// are reduced to bare field names. The class-wide "3xx" entry is returned under
// key 0.
func relatedHeaders(t *testing.T) map[int][]string {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(readTestdata(t, "related_headers.json"), &raw); err != nil {
		t.Fatalf("related_headers.json: %v", err)
	}
	out := map[int][]string{}
	for k, v := range raw {
		n, err := strconv.Atoi(k)
		switch {
		case k == "3xx":
			n = 0
		case err != nil:
			continue // _meta
		}
		var entries []struct {
			Header string `json:"header"`
		}
		if err := json.Unmarshal(v, &entries); err != nil {
			t.Fatalf("related_headers.json %s: %v", k, err)
		}
		for _, e := range entries {
			for _, name := range headerFieldNames(e.Header) {
				if !slices.Contains(out[n], name) {
					out[n] = append(out[n], name)
				}
			}
		}
	}
	return out
}

// headerFieldNames reduces a reference header entry to field names.
func headerFieldNames(s string) []string {
	if i := strings.Index(s, " ("); i >= 0 {
		s = s[:i]
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var goConstLine = regexp.MustCompile(`^(Status\w+|_)\s*=\s*(\d{3})\b`)

// goConstants returns Go's exported net/http status constant name per code.
func goConstants(t *testing.T) map[int]string {
	t.Helper()
	out := map[int]string{}
	sc := bufio.NewScanner(openTestdata(t, "go_nethttp.txt"))
	for sc.Scan() {
		m := goConstLine.FindStringSubmatch(sc.Text())
		if m == nil || m[1] == "_" {
			continue
		}
		out[atoi(t, m[2])] = m[1]
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("go_nethttp.txt: %v", err)
	}
	return out
}

// pythonConstants returns CPython 3.11's http.HTTPStatus member name per code.
func pythonConstants(t *testing.T) map[int]string {
	t.Helper()
	out := map[int]string{}
	sc := bufio.NewScanner(openTestdata(t, "python_httpstatus.txt"))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			t.Fatalf("python_httpstatus.txt: bad line %q", line)
		}
		out[atoi(t, f[0])] = f[1]
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("python_httpstatus.txt: %v", err)
	}
	return out
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
