package slack

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/relay"
)

// Slack's mrkdwn and limits: escaping, links, and fitting text.

// Slack's Block Kit limits (../shared/reference/platform_limits.json).
// Lengths are counted in UTF-16 code units, which is never less than the count
// of code points, so a text within the limit fits whichever Slack counts.
const (
	maxBlocks          = 50
	maxHomeBlocks      = 100 // in a Home tab view
	maxHeaderText      = 150
	maxSectionText     = 3000
	maxFields          = 10
	maxFieldText       = 2000
	maxContextElements = 10
	maxContextText     = 3000
	maxActionElements  = 25
	maxButtonText      = 75
	maxActionID        = 255
	maxButtonValue     = 2000
	maxButtonURL       = 3000
	maxImageURL        = 3000
	maxAltText         = 2000
	maxMessageText     = 40000
	// maxBodyText bounds the text of all body sections together: Slack
	// rejects messages whose blocks hold much more than ~13,000 characters
	// (msg_blocks_too_long, slackapi/bolt-js#2509), below the sum of the
	// documented per-block limits.
	maxBodyText = 12000
)

// plain is a plain_text object, shortened to limit. Slack does not parse
// mentions or links in plain_text, so it is not escaped.
func plain(s string, limit int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, relay.Truncate(s, limit), false, false)
}

// mrkdwn is a mrkdwn object for already escaped text. Verbatim stops Slack
// from turning bare words such as @here or #channel into mentions and links.
func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, true)
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes plain text safe for mrkdwn: Slack's control sequences
// (<!channel>, <@U123>, <url|text>) all need '<', so none survives.
func escape(s string) string { return escaper.Replace(s) }

// unescape reverses Slack's escaping of message text, for reading what a
// user typed.
var unescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace

// escapedWidth is the width of r once escaped.
func escapedWidth(r rune) int {
	switch r {
	case '&':
		return 5
	case '<', '>':
		return 4
	}
	return relay.RuneWidth(r)
}

// prefix returns the length in bytes of the longest prefix of plain text s
// whose escaped form is at most limit units wide.
func prefix(s string, limit int) int {
	w := 0
	for i, r := range s {
		if w += escapedWidth(r); w > limit {
			return i
		}
	}
	return len(s)
}

// fit escapes plain text s and shortens it to at most limit units, ending
// with an ellipsis when shortened. It never splits a character or an entity.
func fit(s string, limit int) string {
	if limit <= 0 {
		return ""
	}
	if n := prefix(s, limit); n == len(s) {
		return escape(s)
	}
	return escape(strings.TrimRight(s[:prefix(s, limit-1)], " \n")) + relay.Ellipsis
}

// fitLines is fit for text of several lines, such as the headers of a
// pasted response: when it does not fit in limit, it keeps as many whole
// lines as do, then a line with the ellipsis. A first line too long alone
// is cut.
func fitLines(s string, limit int) string {
	if prefix(s, limit) == len(s) || !strings.Contains(s, "\n") {
		return fit(s, limit)
	}
	var lines []string
	room := limit - 1 - relay.Width(relay.Ellipsis) // "\n…" still to come
	for line := range strings.Lines(s) {
		line = strings.TrimSuffix(line, "\n")
		if len(lines) > 0 {
			room-- // the newline before it
		}
		if room < 0 || prefix(line, room) < len(line) {
			break
		}
		e := escape(line)
		room -= relay.Width(e)
		lines = append(lines, e)
	}
	if len(lines) == 0 {
		return fit(s, limit)
	}
	return strings.Join(lines, "\n") + "\n" + relay.Ellipsis
}

// fitEscaped shortens already escaped text to at most limit units without
// splitting an entity.
func fitEscaped(s string, limit int) string {
	if relay.Width(s) <= limit {
		return s
	}
	w, cut := 0, len(s)
	for i, r := range s {
		// Not len(string(r)): broken UTF-8 reads as U+FFFD, one byte long.
		if w+relay.RuneWidth(r) > limit-1 {
			cut = i
			break
		}
		w += relay.RuneWidth(r)
	}
	s = s[:cut]
	if amp := strings.LastIndexByte(s, '&'); amp >= 0 && !strings.Contains(s[amp:], ";") {
		s = s[:amp]
	}
	return strings.TrimRight(s, " \n") + relay.Ellipsis
}

// split escapes plain text s into pieces of at most limit units, cutting at
// a paragraph break, else a line break, else a space, where one falls in the
// second half of a piece.
func split(s string, limit int) []string {
	var out []string
	for s != "" {
		n := prefix(s, limit)
		if n == len(s) {
			out = append(out, escape(s))
			break
		}
		cut := n
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(s[:n], sep); i > 0 && i >= n/2 {
				cut = i
				break
			}
		}
		if cut == 0 { // limit is narrower than the first character
			break
		}
		if piece := strings.TrimRight(s[:cut], " \n"); piece != "" {
			out = append(out, escape(piece))
		}
		s = strings.TrimLeft(s[cut:], " \n")
	}
	return out
}

// pack joins escaped lines into texts of at most limit units, one line per
// row; a line too long on its own is shortened.
func pack(lines []string, limit int) []string {
	var out []string
	var cur string
	for _, l := range lines {
		l = fitEscaped(l, limit)
		switch {
		case cur == "":
			cur = l
		case relay.Width(cur)+1+relay.Width(l) <= limit:
			cur += "\n" + l
		default:
			out = append(out, cur)
			cur = l
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// linkURL returns u escaped for use inside <u|text>, if it is an http(s) URL
// short enough to link.
func linkURL(u string) (string, bool) {
	u, ok := webURL(u, 1000)
	if !ok {
		return "", false
	}
	esc := strings.ReplaceAll(escape(u), "|", "%7C")
	if relay.Width(esc) > 1000 {
		return "", false
	}
	return esc, true
}

// webURL returns u, with spaces and invisible characters percent-encoded,
// if it is an http(s) URL of at most limit units. Slack ends a link at a
// space, and may refuse a button whose URL holds one.
func webURL(u string, limit int) (string, bool) {
	// A character of UTF-8 is at most three bytes per UTF-16 unit, and
	// encoding only lengthens: refuse long URLs before reading them.
	if len(u) > 3*limit {
		return "", false
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return "", false
	}
	// The scheme in lower case (url.Parse accepts HTTPS:), as Slack expects.
	u = p.Scheme + u[len(p.Scheme):]
	if strings.ContainsFunc(u, unsafeInURL) {
		const hex = "0123456789ABCDEF"
		var sb strings.Builder
		for i, r := range u {
			_, size := utf8.DecodeRuneInString(u[i:])
			if !unsafeInURL(r) {
				sb.WriteString(u[i : i+size])
				continue
			}
			for _, b := range []byte(u[i : i+size]) {
				sb.Write([]byte{'%', hex[b>>4], hex[b&15]})
			}
		}
		u = sb.String()
	}
	return u, relay.Width(u) <= limit
}

// unsafeInURL reports whether r must be percent-encoded in a URL shown to
// Slack: spaces, control and other invisible characters, broken UTF-8.
func unsafeInURL(r rune) bool {
	return unicode.IsSpace(r) || !unicode.IsGraphic(r) || r == utf8.RuneError
}
