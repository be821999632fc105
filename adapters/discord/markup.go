package discord

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/statusbot/statusbot/adapters/relay"
)

// Discord's markdown and limits: escaping and fitting text.

// Discord's documented limits (../shared/reference/platform_limits.json).
const (
	maxTitle        = 256
	maxDescription  = 4096
	maxFields       = 25
	maxFieldName    = 256
	maxFieldValue   = 1024
	maxFooter       = 2048
	maxEmbedTotal   = 6000
	maxURL          = 2048
	maxButtonURL    = 512
	maxButtonLabel  = 80
	maxRowButtons   = 5
	maxRows         = 5
	maxChoices      = 25
	maxChoiceName   = 100
	maxChoiceValue  = 100
	blankFieldValue = "\u200b" // Discord rejects empty field names and values
)

// escape makes plain text safe for Discord markdown and cuts it to at most
// limit characters (limit < 0: no limit), ending a cut text with "…". It never
// splits a character or an escape sequence, and reads no further into s than
// the limit needs, so that its cost follows the output, not the input.
func escape(s string, limit int) string {
	if (limit < 0 || len(s) <= limit) && plain(s) {
		return s // the usual case: nothing to escape, and it fits
	}
	var b strings.Builder
	b.Grow(min(len(s), 4*limit) + 16)
	lineStart := true
	total := 0 // the length of the escaped text so far
	keep := -1 // b.Len() before the first unit that leaves no room for "…"
	for _, r := range s {
		esc := special(r, lineStart)
		lineStart = startsLine(r, lineStart)
		l := relay.RuneWidth(r)
		if esc {
			l++
		}
		if limit >= 0 {
			if keep < 0 && total+l > limit-1 {
				keep = b.Len()
			}
			if total+l > limit {
				return strings.TrimRight(b.String()[:keep], " \n") + "…"
			}
		}
		total += l
		if esc {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// markdownChars are escaped anywhere: emphasis, code, spoilers, masked
// links, mentions and timestamps. lineChars are escaped where a line starts
// (after any spaces): headings, list items and quotes.
var markdownChars, lineChars = asciiSet("\\*_~`|[]<"), asciiSet("#->")

func asciiSet(chars string) (set [128]bool) {
	for _, c := range chars {
		set[c] = true
	}
	return set
}

// escapeLines is escape for text of several lines, such as the headers of
// a pasted response: when it does not fit in limit, it keeps as many whole
// lines as do, then a line "…". A first line too long alone is cut.
func escapeLines(s string, limit int) string {
	if escapedLength(s, limit) <= limit || !strings.Contains(s, "\n") {
		return escape(s, limit)
	}
	var lines []string
	n := 0
	for line := range strings.Lines(s) {
		line = strings.TrimSuffix(line, "\n")
		w := escapedLength(line, limit)
		if len(lines) > 0 {
			w++ // the newline before it
		}
		if n+w+2 > limit { // "\n…" still to come
			break
		}
		lines = append(lines, escape(line, -1))
		n += w
	}
	if len(lines) == 0 {
		return escape(s, limit)
	}
	return strings.Join(lines, "\n") + "\n…"
}

// special reports whether r needs a backslash, lineStart saying whether
// only spaces precede it on its line.
func special(r rune, lineStart bool) bool {
	return r < 128 && (markdownChars[r] || lineStart && lineChars[r])
}

// startsLine reports whether the next character starts a line, after r.
func startsLine(r rune, lineStart bool) bool {
	switch r {
	case '\n':
		return true
	case ' ', '\t':
		return lineStart
	}
	return false
}

// plain reports whether escape would leave s as it is: valid UTF-8 with
// nothing to escape.
func plain(s string) bool {
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return utf8.ValidString(s[i:]) && plainTail(s[i:])
		}
		if special(rune(c), lineStart) {
			return false
		}
		lineStart = startsLine(rune(c), lineStart)
	}
	return true
}

// plainTail is plain for the rest of a text once a multi-byte character
// has been seen (so not at a line start until the next newline).
func plainTail(s string) bool {
	lineStart := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			lineStart = false
			continue
		}
		if special(rune(c), lineStart) {
			return false
		}
		lineStart = startsLine(rune(c), lineStart)
	}
	return true
}

// escapedLength is the length of escape(s, -1), or more than stop if it is
// longer than stop; it reads no further into s than that.
func escapedLength(s string, stop int) int {
	n := 0
	lineStart := true
	for _, r := range s {
		if special(r, lineStart) {
			n++
		}
		lineStart = startsLine(r, lineStart)
		if n += relay.RuneWidth(r); n > stop {
			break
		}
	}
	return n
}

// isWebURL reports whether s is an absolute http(s) URL Discord will accept.
func isWebURL(s string, limit int) bool {
	if s == "" || !relay.Fits(s, limit) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// linkTarget is u made safe as the target of a markdown link, or "".
func linkTarget(u string) string {
	if !isWebURL(u, maxURL) {
		return ""
	}
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(u)
}

func joinParas(parts ...string) string {
	var nonEmpty []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	return strings.Join(nonEmpty, "\n\n")
}
