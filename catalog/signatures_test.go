package catalog

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// signatureFile is signatures.json as the catalogue reads it.
type signatureFile = signaturesFile

func readSignatures(t *testing.T) signatureFile {
	t.Helper()
	data, err := os.ReadFile("signatures.json")
	if err != nil {
		t.Fatalf("read signatures.json: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f signatureFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("decode signatures.json: %v", err)
	}
	if dec.More() {
		t.Fatal("signatures.json: data after the top-level object")
	}
	return f
}

// matchWords splits a match the way pasted text is compared: camelCase,
// snake_case and punctuation become lower-case words.
func matchWords(s string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return strings.Join(words, " ")
}

func TestMatchWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HttpRequestMethodNotSupportedException", "http request method not supported exception"},
		{"invalid_client", "invalid client"},
		{"URITooLongError", "uri too long error"},
		{"rpc error: code = NotFound", "rpc error code not found"},
		{"ActiveRecord::RecordNotFound", "active record record not found"},
		{"Http404", "http404"},
		{"<Code>AccessDenied</Code>", "code access denied code"},
	}
	for _, tt := range tests {
		if got := matchWords(tt.in); got != tt.want {
			t.Errorf("matchWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSignatures(t *testing.T) {
	cat := load(t)
	f := readSignatures(t)
	if len(f.Signatures) < 350 {
		t.Errorf("%d signatures, want at least 350", len(f.Signatures))
	}
	seen := map[string]string{}
	for _, s := range f.Signatures {
		w := matchWords(s.Match)
		if w == "" {
			t.Errorf("signature %+v: match has no words", s)
			continue
		}
		if prev, dup := seen[w]; dup {
			t.Errorf("match %q reads the same as %q (%q)", s.Match, prev, w)
		}
		seen[w] = s.Match
		if !strings.Contains(w, " ") && !isIdentifier(s.Match) {
			t.Errorf("match %q is a single plain word; too likely in an ordinary question", s.Match)
		}
		if cat.Code(s.Code) == nil {
			t.Errorf("match %q: code %d is not catalogued", s.Match, s.Code)
		}
		if s.Alt != 0 && (cat.Code(s.Alt) == nil || s.Alt == s.Code) {
			t.Errorf("match %q: alt %d is not a catalogued code other than %d", s.Match, s.Alt, s.Code)
		}
		if len(s.AltWhen) > 0 && s.Alt == 0 {
			t.Errorf("match %q: alt_when without an alt", s.Match)
		}
		for _, w := range s.AltWhen {
			if w != strings.ToLower(w) || strings.TrimSpace(w) != w || w == "" {
				t.Errorf("match %q: alt_when %q is not lower case and trimmed", s.Match, w)
			}
		}
		if c := cat.Code(s.Internal); s.Internal != 0 && (c == nil || !c.Has(FlagLogOnly) || !strings.Contains(s.Note, strconv.Itoa(s.Internal))) {
			t.Errorf("match %q: internal %d is not a log-only code its note names", s.Match, s.Internal)
		}
		if s.Source == "" {
			t.Errorf("match %q: no source", s.Match)
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("match %q: url %q is not https", s.Match, s.URL)
		}
		if n := utf8.RuneCountInString(s.Note); n > 160 {
			t.Errorf("match %q: note is %d characters, want at most 160", s.Match, n)
		}
	}
}

// isIdentifier reports whether a one-word match is an identifier (Http404,
// AH01630, DEADLINE_EXCEEDED) rather than an English word.
func isIdentifier(s string) bool {
	for i, r := range s {
		if unicode.IsDigit(r) || r == '_' || (i > 0 && unicode.IsUpper(r)) {
			return true
		}
	}
	return false
}

func TestSignatureLibraries(t *testing.T) {
	cat := load(t)
	f := readSignatures(t)
	inCodes := map[string]bool{}
	for _, c := range cat.Codes() {
		for _, k := range c.Constants {
			inCodes[k.Library] = true
		}
	}
	if len(f.Libraries) == 0 {
		t.Fatal("no libraries")
	}
	for _, l := range f.Libraries {
		if inCodes[l.Library] {
			t.Errorf("library %q is already in codes.json", l.Library)
		}
		if !strings.HasPrefix(l.URL, "https://") {
			t.Errorf("library %q: url %q is not https", l.Library, l.URL)
		}
		if len(l.Constants) == 0 {
			t.Errorf("library %q: no constants", l.Library)
		}
		for name, code := range l.Constants {
			if cat.Code(code) == nil {
				t.Errorf("library %q: %s = %d is not a catalogued code", l.Library, name, code)
			}
		}
	}
}

// TestNoStatusSignatures: every signature of a failure before any response
// carries no status, is sourced, and is not also a signature with a status.
func TestNoStatusSignatures(t *testing.T) {
	cat := load(t)
	f := readSignatures(t)
	if got := len(cat.NoStatusSignatures()); got != len(f.NoStatus) || got < 30 {
		t.Fatalf("%d no-status signatures loaded, %d in the file; want them all, at least 30", got, len(f.NoStatus))
	}
	withStatus := map[string]string{}
	for _, s := range f.Signatures {
		withStatus[strings.ToLower(s.Match)] = s.Match
	}
	seen := map[string]bool{}
	for _, s := range f.NoStatus {
		m := strings.ToLower(s.Match)
		switch {
		case len(strings.TrimSpace(m)) < 5:
			t.Errorf("no-status match %q is too short to be distinctive", s.Match)
		case seen[m]:
			t.Errorf("no-status match %q is listed twice", s.Match)
		case withStatus[m] != "":
			t.Errorf("no-status match %q is also a signature with a status", s.Match)
		}
		seen[m] = true
		if s.Code != NoStatus || s.Alt != 0 || s.Quotes {
			t.Errorf("no-status match %q: code %d, alt %d, quotes %v; want none", s.Match, s.Code, s.Alt, s.Quotes)
		}
		if s.Source == "" || !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("no-status match %q: source %q, url %q; want both, the url https", s.Match, s.Source, s.URL)
		}
		if n := utf8.RuneCountInString(s.Note); n > 160 {
			t.Errorf("no-status match %q: note is %d characters, want at most 160", s.Match, n)
		}
	}
}
