package bot

import (
	"slices"
	"testing"
)

func TestFormatDirTerm(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // the words read, in order
	}{
		// Sent: the nearest word of direction sends or takes it.
		{"a vendor posts XML to us although we speak JSON only", []string{"formatsent"}},
		{"the mobile app uploads HEIC and the endpoint only takes PNG", []string{"formatsent", "formatsent"}},
		{"a Content-Type of text/plain on a JSON-only route", []string{"formatsent", "formatsent"}},
		// Wanted: the Accept header, asking, producing.
		{"Accept: text/csv but we only produce JSON", []string{"formatwanted", "formatwanted"}},
		{"the app asks for the report as PDF, we have HTML only", []string{"formatwanted"}},
		// "wants" runs the way its subject does.
		{"the client sent YAML to an endpoint that wants JSON", []string{"formatsent", "formatsent"}},
		{"the client wants XML back but the API is JSON only", []string{"formatwanted"}},
		// Broken, not a mismatch: neither.
		{"the body is not valid JSON", nil},
		{"malformed XML that the API only half reads", nil},
		// No mismatch said: the body's format is only named.
		{"an empty JSON body", nil},
		{"json body rejected", nil},
		// The Content-Type header and its value are one format named.
		{"an empty body with Content-Type: application/json", nil},
		{"sent XML with content type set to XML", nil},
	} {
		toks := joinIdioms(tokenize(c.text, nil))
		var got []string
		for i := range toks {
			if w := formatDirTerm(toks, i); w != "" {
				got = append(got, w)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("formatDirTerm in %q = %q, want %q", c.text, got, c.want)
		}
	}
}
