package slack

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// Slack's Block Kit limits (../shared/reference/platform_limits.json).
// Lengths are counted in UTF-16 code units, which is never less than the count
// of code points, so a text within the limit fits whichever Slack counts.
const (
	maxBlocks          = 50
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

// Action ids of the buttons the adapter renders. Link buttons need an action
// id too (Slack reports their clicks); the adapter ignores those.
const (
	actionCode  = "statusbot_code_" // + code; the value is the code
	actionLink  = "statusbot_link_" // + index
	actionShare = "statusbot_share" // value: see answerShared
)

// Text is the top-level text of a message for answer a: Slack shows it in
// notifications and to screen readers, and it is never empty. It is mrkdwn,
// escaped, so nothing in it can mention anyone.
func Text(a *bot.Answer) string {
	var parts []string
	for _, s := range []string{a.Title, a.Text} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && strings.TrimSpace(a.Query) != "" {
		parts = append(parts, strings.TrimSpace(a.Query))
	}
	if len(parts) == 0 {
		return relay.Ellipsis
	}
	// Slack takes the text as a form field, where invalid UTF-8 would go as
	// it is; blocks go as JSON, which replaces it.
	return strings.ToValidUTF8(fit(strings.Join(parts, "\n\n"), maxMessageText), "\uFFFD")
}

// Blocks renders answer a as Block Kit blocks: a header, the text and list in
// sections, the fields, the note as context, the image, and link and
// suggestion buttons. Everything is within Slack's limits.
func Blocks(a *bot.Answer) []slack.Block {
	return render(a, nil)
}

// render is Blocks with extra buttons (the adapter's own, such as "Share in
// channel") added to the actions.
func render(a *bot.Answer, extra []slack.BlockElement) []slack.Block {
	var head, body, fields, tail []slack.Block
	if t := strings.TrimSpace(a.Title); t != "" {
		head = append(head, slack.NewHeaderBlock(plain(t, maxHeaderText)))
	}
	for _, s := range bodyTexts(a) {
		body = append(body, slack.NewSectionBlock(mrkdwn(s), nil, nil))
	}
	var major []bot.Field
	var small []slack.MixedElement
	for _, f := range a.Fields {
		if f.Minor && len(small) < maxContextElements-1 {
			if line := fieldLine(f); line != "" {
				small = append(small, mrkdwn(fit(line, maxContextText)))
			}
		} else {
			major = append(major, f)
		}
	}
	fields = fieldSections(major)
	if n := strings.TrimSpace(a.Note); n != "" {
		small = append(small, mrkdwn(fit(n, maxContextText)))
	}
	if len(small) > 0 {
		tail = append(tail, slack.NewContextBlock("", small...))
	}
	if img := imageBlock(a); img != nil {
		tail = append(tail, img)
	}
	tail = append(tail, actionBlocks(a, extra)...)

	// Keep the header, fields and buttons; shorten the body if needed.
	room := maxBlocks - len(head) - len(fields) - len(tail)
	if room < 0 {
		fields = fields[:max(0, len(fields)+room)]
		room = 0
	}
	if len(body) > room {
		body = body[:room]
	}
	out := make([]slack.Block, 0, len(head)+len(body)+len(fields)+len(tail))
	out = append(out, head...)
	out = append(out, body...)
	out = append(out, fields...)
	out = append(out, tail...)
	if len(out) == 0 {
		// Nothing to show but the top-level text: Slack wants a block.
		out = append(out, slack.NewSectionBlock(mrkdwn(fitEscaped(Text(a), maxSectionText)), nil, nil))
	}
	return out
}

// bodyTexts is the answer's text and list as escaped mrkdwn section texts,
// each within the section limit and all together within maxBodyText.
func bodyTexts(a *bot.Answer) []string {
	text := strings.TrimSpace(a.Text)
	// Split no more than can be shown (and a margin, so that a text cut
	// here still ends with an ellipsis below).
	text = text[:prefix(text, maxBodyText+1000)]
	chunks := split(text, maxSectionText)
	var lines []string
	for _, it := range a.Items {
		lines = append(lines, itemLine(it))
	}
	chunks = append(chunks, pack(lines, maxSectionText)...)

	var out []string
	total := 0
	for _, c := range chunks {
		w := relay.Width(c)
		if total+w > maxBodyText {
			if left := maxBodyText - total; left > 100 {
				out = append(out, fitEscaped(c, left))
			}
			break
		}
		out = append(out, c)
		total += w
	}
	return out
}

// itemLine renders one list item: a code with its detail, or an example query.
func itemLine(it bot.Item) string {
	label := strings.TrimSpace(it.Label)
	var lead string
	if it.Code == 0 {
		// An example query: shown as code so it reads as something to type.
		lead = "• `" + fit(strings.ReplaceAll(label, "`", "'"), 200) + "`"
	} else {
		lead = "• *" + fit(label, 200) + "*"
	}
	d := strings.TrimSpace(it.Detail)
	if d == "" {
		return lead
	}
	sep := " – "
	return lead + sep + fit(d, maxSectionText-relay.Width(lead)-relay.Width(sep))
}

// fieldSections renders fields as section fields, at most maxFields a
// section. A run of inline fields gets sections of its own, so compared codes
// sit side by side in one row.
func fieldSections(fs []bot.Field) []slack.Block {
	var out []slack.Block
	var cur []*slack.TextBlockObject
	flush := func() {
		if len(cur) > 0 {
			out = append(out, slack.NewSectionBlock(nil, cur, nil))
			cur = nil
		}
	}
	for i, f := range fs {
		if i > 0 && f.Inline != fs[i-1].Inline {
			flush()
		}
		cur = append(cur, mrkdwn(fieldText(f)))
		if len(cur) == maxFields {
			flush()
		}
	}
	flush()
	return out
}

// fieldLine renders a minor field on one line for the context block.
func fieldLine(f bot.Field) string {
	name, v := strings.TrimSpace(f.Name), strings.TrimSpace(f.Value)
	if name == "" {
		return v
	}
	return name + ": " + v
}

// fieldText renders one field: its name in bold over its value, the value a
// link when the field has a URL.
func fieldText(f bot.Field) string {
	name := fit(strings.TrimSpace(f.Name), 200)
	v := strings.TrimSpace(f.Value)
	if name == "" && v == "" {
		return relay.Ellipsis
	}
	var lead string
	if name != "" {
		lead = "*" + name + "*"
		if v == "" {
			return lead
		}
		lead += "\n"
	}
	room := maxFieldText - relay.Width(lead)
	if u, ok := linkURL(f.URL); ok && v != "" {
		room -= relay.Width(u) + 3 // "<", "|", ">"
		return lead + "<" + u + "|" + fit(v, room) + ">"
	}
	return lead + fit(v, room)
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

// imageBlock renders the answer's picture, if it has one Slack can show.
func imageBlock(a *bot.Answer) slack.Block {
	if a.Image == nil {
		return nil
	}
	u, ok := webURL(a.Image.URL, maxImageURL)
	if !ok {
		return nil
	}
	alt := strings.TrimSpace(a.Image.Alt)
	if alt == "" {
		alt = strings.TrimSpace(a.Title)
	}
	if alt == "" {
		// Slack requires alternative text, and the picture is never needed.
		return nil
	}
	return slack.NewImageBlock(u, relay.Truncate(alt, maxAltText), "", nil)
}

// actionBlocks renders the link buttons (the title's link when no link
// button has it), the suggestion buttons and extra, at most
// maxActionElements to a block.
func actionBlocks(a *bot.Answer, extra []slack.BlockElement) []slack.Block {
	var els []slack.BlockElement
	seen := map[string]bool{}
	addLink := func(label, u string) {
		u, ok := webURL(u, maxButtonURL)
		if label == "" || seen[u] || !ok {
			return
		}
		seen[u] = true
		id := actionLink + strconv.Itoa(len(els))
		els = append(els, slack.NewButtonBlockElement(id, "", plain(label, maxButtonText)).WithURL(u))
	}
	for _, l := range a.Links {
		addLink(strings.TrimSpace(l.Label), l.URL)
	}
	addLink(strings.TrimSpace(a.Title), a.TitleURL)
	codes := map[int]bool{}
	for _, c := range a.Choices {
		if codes[c.Code] {
			continue
		}
		codes[c.Code] = true
		label := strings.TrimSpace(c.Label)
		if label == "" {
			label = strconv.Itoa(c.Code)
		}
		n := strconv.Itoa(c.Code)
		els = append(els, slack.NewButtonBlockElement(actionCode+n, n, plain(label, maxButtonText)))
	}
	els = append(els, extra...)
	var out []slack.Block
	for len(els) > 0 {
		n := min(len(els), maxActionElements)
		out = append(out, slack.NewActionBlock("", els[:n]...))
		els = els[n:]
	}
	return out
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
