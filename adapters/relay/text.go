package relay

import (
	"strings"
	"unicode/utf16"
)

// Ellipsis ends a text an adapter had to shorten.
const Ellipsis = "…"

// Platforms count their text limits in characters, and count them
// differently. Width counts UTF-16 code units, which is never less than the
// number of code points: text within a limit by this count is within it
// whichever way a platform counts.

// RuneWidth is r's width in UTF-16 code units; broken UTF-8, which decodes
// as U+FFFD, is one.
func RuneWidth(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// Width is the width of s in UTF-16 code units.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += RuneWidth(r)
	}
	return n
}

// Fits reports whether Width(s) <= limit, without reading all of a long s:
// a character takes one to four bytes and counts one or two units, so the
// width lies between len(s)/3 and len(s).
func Fits(s string, limit int) bool {
	switch {
	case len(s) <= limit:
		return true
	case len(s) > 3*limit:
		return false
	}
	return Width(s) <= limit
}

// Truncate cuts plain text to at most limit units, ending it with the
// Ellipsis when it had to cut. It never splits a character, and what it
// keeps of a cut text is valid UTF-8.
func Truncate(s string, limit int) string {
	if Fits(s, limit) {
		return s
	}
	n := 0
	for i, r := range s {
		if n+RuneWidth(r) > limit-1 {
			return strings.TrimRight(strings.ToValidUTF8(s[:i], "\uFFFD"), " \n") + Ellipsis
		}
		n += RuneWidth(r)
	}
	return s // not reached: s does not fit
}

// Pasted joins the texts of a message someone asks to explain (its text,
// then the text of its attachments or embeds), one or more lines each,
// skipping empty ones. It keeps no more than limit bytes and one more, so
// that the reader can tell it had to cut.
func Pasted(limit int, texts ...string) string {
	var b strings.Builder
	for _, s := range texts {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if b.Len() > limit {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s[:min(len(s), limit+1-b.Len())])
	}
	return b.String()
}
