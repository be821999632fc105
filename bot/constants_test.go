package bot_test

import (
	"strings"
	"testing"
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
