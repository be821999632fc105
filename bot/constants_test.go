package bot_test

import (
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
)

// TestConstantVersions checks a library name that only some versions have is
// shown with those versions, and one that all have is shown plain.
func TestConstantVersions(t *testing.T) {
	a := newBot(t).AnswerCode(413)
	var got string
	for _, f := range a.Fields {
		if f.Name == "In code" {
			got = f.Value
		}
	}
	for _, want := range []string{
		"HttpStatus.CONTENT_TOO_LARGE (Spring HttpStatus, since 7.0)",
		"HttpStatus.PAYLOAD_TOO_LARGE (Spring HttpStatus),",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("AnswerCode(413) In code = %q, want it to contain %q", got, want)
		}
	}
}

// TestConstantsInAnyCase: a library's constant names its code however it
// is written, in lower case as one word too.
func TestConstantsInAnyCase(t *testing.T) {
	b := newBot(t)
	for q, want := range map[string]int{
		"StatusNoContent":              204,
		"statusnocontent":              204,
		"HTTPSTATUS.GONE":              410,
		"sc_not_found":                 404,
		"HttpStatus.TOO_MANY_REQUESTS": 429,
		"http.Redirect(w, r, u, http.StatusPermanentRedirect)": 308,
	} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != want || a.Kind != bot.KindStatus {
			t.Errorf("%q: %s %v, want %d", q, a.Kind, a.Codes, want)
		}
	}
}
