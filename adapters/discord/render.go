package discord

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
)

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
	customIDPrefix  = "statusbot:code:"
	blankFieldValue = "\u200b" // Discord rejects empty field names and values
)

// Embed colours by Answer.Tone: one per class, a distinct one for unofficial
// codes, grey for everything else (help, comparisons, errors).
var toneColours = map[bot.Tone]int{
	1:                  0x3498DB, // informational: blue
	2:                  0x2ECC71, // success: green
	3:                  0xF1C40F, // redirection: yellow
	4:                  0xE67E22, // client error: orange
	5:                  0xE74C3C, // server error: red
	bot.ToneUnofficial: 0x9B59B6, // vendor code: purple
	bot.ToneNeutral:    0x95A5A6, // grey
}

// noMentions is the allowed_mentions every message carries: an empty parse
// list, so nothing a user typed (@everyone, roles, users) pings anyone, and
// replies do not ping the asker either. A nil Parse would serialise as null,
// which Discord reads as "use the defaults".
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Message renders an answer as the channel message the adapter posts: one
// embed, its buttons, and no mentions. The caller adds the reply reference.
func Message(a *bot.Answer) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Embeds:          []*discordgo.MessageEmbed{Embed(a)},
		Components:      Components(a),
		AllowedMentions: noMentions(),
	}
}

// MessageJSON is the exact request body the adapter posts to
// /channels/{id}/messages for an answer (without the reply reference),
// encoded as discordgo encodes it.
func MessageJSON(a *bot.Answer) ([]byte, error) {
	return discordgo.Marshal(Message(a))
}

// InteractionData renders an answer as an interaction response's message;
// private answers are ephemeral (only the asker sees them).
func InteractionData(a *bot.Answer, private bool) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{Embed(a)},
		Components:      Components(a),
		AllowedMentions: noMentions(),
	}
	if private {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// Embed renders an answer as one rich embed within Discord's limits: title
// linking to the docs, the text and any list as the description, the fields,
// the note (and the picture's alt text) as the footer, and the picture.
func Embed(a *bot.Answer) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Title: escape(a.Title, maxTitle),
		Color: toneColours[a.Tone],
	}
	if e.Color == 0 {
		e.Color = toneColours[bot.ToneNeutral]
	}
	if isWebURL(a.TitleURL, maxURL) {
		e.URL = a.TitleURL
	}
	// Discord embeds have no alt text for images, so the picture's alt text
	// goes in the footer, where it is read with the rest of the answer.
	footer := a.Note
	if a.Image != nil && isWebURL(a.Image.URL, maxURL) {
		e.Image = &discordgo.MessageEmbedImage{URL: a.Image.URL}
		if a.Image.Alt != "" {
			footer = strings.TrimSpace(footer + "\n" + a.Image.Alt)
		}
	}
	if strings.TrimSpace(footer) != "" {
		// Footers are plain text: no markdown, so nothing to escape.
		e.Footer = &discordgo.MessageEmbedFooter{Text: truncate(footer, maxFooter)}
	}
	for _, f := range a.Fields {
		if len(e.Fields) == maxFields {
			break
		}
		e.Fields = append(e.Fields, field(f))
	}

	// The description takes what the 6000-character total leaves, but no
	// field is worth losing the explanation: drop trailing fields first
	// while the description would get less than it needs (up to 1024).
	want := descriptionNeed(a, maxFieldValue)
	for len(e.Fields) > 0 && maxEmbedTotal-fixedLength(e) < want {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if len(e.Fields) == 0 {
		e.Fields = nil
	}
	e.Description = description(a, min(maxDescription, maxEmbedTotal-fixedLength(e)))
	return e
}

// field renders one labelled fact; a field with a URL becomes a masked link.
func field(f bot.Field) *discordgo.MessageEmbedField {
	name := escape(f.Name, maxFieldName)
	if strings.TrimSpace(name) == "" {
		name = blankFieldValue
	}
	var value string
	if u := linkTarget(f.URL); u != "" && length(u)+5 < maxFieldValue {
		value = "[" + escape(f.Value, maxFieldValue-length(u)-4) + "](" + u + ")"
		if strings.TrimSpace(f.Value) == "" {
			value = u
		}
	} else {
		value = escape(f.Value, maxFieldValue)
	}
	if strings.TrimSpace(value) == "" {
		value = blankFieldValue
	}
	return &discordgo.MessageEmbedField{Name: name, Value: value, Inline: f.Inline}
}

// fixedLength is the embed text counted towards the 6000 total, without the
// description.
func fixedLength(e *discordgo.MessageEmbed) int {
	n := length(e.Title)
	if e.Footer != nil {
		n += length(e.Footer.Text)
	}
	for _, f := range e.Fields {
		n += length(f.Name) + length(f.Value)
	}
	return n
}

// descriptionNeed is the length of the whole description (the text and
// the detailed list), or limit if it is longer: what the description needs.
// It reads no more of the text than that takes.
func descriptionNeed(a *bot.Answer, limit int) int {
	n := 0
	if strings.TrimSpace(a.Text) != "" {
		n = escapedLength(a.Text, limit)
	}
	for i, l := range itemLines(a.Items, true, limit) {
		if n > limit {
			break
		}
		switch {
		case i > 0:
			n++ // "\n"
		case n > 0:
			n += 2 // the blank line between text and list
		}
		n += length(l)
	}
	return min(n, limit)
}

// description renders the text and the list in at most budget characters.
// When the list does not fit it drops the items' details, then cuts lines.
func description(a *bot.Answer, budget int) string {
	if budget <= 0 {
		return ""
	}
	text := escape(a.Text, budget)
	if len(a.Items) == 0 {
		return text
	}
	if text != "" && budget-length(text)-2 < budget/2 {
		// Keep room for the list: it is the point of a class listing.
		text = escape(a.Text, budget/2)
	}
	room := budget - length(text)
	if text != "" {
		room -= 2 // the blank line between text and list
	}
	for _, detailed := range []bool{true, false} {
		lines := itemLines(a.Items, detailed, room)
		if list := strings.Join(lines, "\n"); length(list) <= room {
			return joinParas(text, list)
		}
	}
	// Even bare labels are too long: as many whole lines as fit, then "…".
	var b strings.Builder
	n := 0
	for _, l := range itemLines(a.Items, false, room) {
		if n+length(l)+3 > room { // "\n" and "…" still to come
			break
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			n++
		}
		b.WriteString(l)
		n += length(l)
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	b.WriteString("…")
	return joinParas(text, b.String())
}

// itemLines renders a list: codes in bold, example queries as inline code.
// It stops once the lines (joined by newlines) pass room characters, so a
// list too long to show costs no more than one that fits.
func itemLines(items []bot.Item, detailed bool, room int) []string {
	var lines []string
	n := -1 // no newline before the first line
	for _, it := range items {
		if n > room {
			break
		}
		var label string
		switch {
		case it.Code == 0 && it.Label != "" && fits(it.Label, 200) && !strings.Contains(it.Label, "`"):
			label = "`" + it.Label + "`" // an example to type: code spans show it literally
		default:
			label = "**" + escape(it.Label, 200) + "**"
		}
		if detailed && it.Detail != "" {
			label += " — " + escape(it.Detail, maxFieldValue)
		}
		lines = append(lines, label)
		n += 1 + length(label)
	}
	return lines
}

// Components renders the answer's buttons: documentation links (style 5)
// and, on their own row, up to five suggestion buttons that answer a code.
func Components(a *bot.Answer) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	linkRows := maxRows
	if len(a.Choices) > 0 {
		linkRows-- // keep the last row for suggestions
	}
	for _, l := range a.Links {
		if !isWebURL(l.URL, maxButtonURL) || strings.TrimSpace(l.Label) == "" {
			continue
		}
		row = append(row, discordgo.Button{Style: discordgo.LinkButton, Label: truncate(l.Label, maxButtonLabel), URL: l.URL})
		if len(row) == maxRowButtons {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
			if len(rows) == linkRows {
				break
			}
		}
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	row = nil
	for _, c := range a.Choices {
		if len(row) == maxRowButtons {
			break
		}
		label := c.Label
		if strings.TrimSpace(label) == "" {
			label = strconv.Itoa(c.Code)
		}
		row = append(row, discordgo.Button{Style: discordgo.SecondaryButton, Label: truncate(label, maxButtonLabel), CustomID: CustomID(c.Code)})
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

// CustomID is the custom_id of the suggestion button that answers code n.
func CustomID(n int) string { return customIDPrefix + strconv.Itoa(n) }

// parseCustomID returns the code a suggestion button answers.
func parseCustomID(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, customIDPrefix)
	if !ok || len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// Choices are the autocomplete choices for what the user has typed so far,
// as the core ranks them (bot.Suggest), within Discord's limits: a choice's
// value is at most 100 characters, so typed text longer than that is not
// offered as it is.
func Choices(b *bot.Bot, typed string) []*discordgo.ApplicationCommandOptionChoice {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	// One more than fits, in case the typed text, offered first, is too long.
	for _, c := range b.Suggest(typed, maxChoices+1) {
		if len(choices) == maxChoices {
			break
		}
		value := strconv.Itoa(c.Code)
		if c.Code == 0 {
			if !fits(c.Label, maxChoiceValue) {
				continue
			}
			value = c.Label
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(c.Label, maxChoiceName), Value: value})
	}
	return choices
}

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
		l := runeLength(r)
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
		if n += runeLength(r); n > stop {
			break
		}
	}
	return n
}

// truncate cuts plain text to at most limit characters, ending it with "…".
func truncate(s string, limit int) string {
	if fits(s, limit) {
		return s
	}
	n := 0
	for i, r := range s {
		if n+runeLength(r) > limit-1 {
			return strings.TrimRight(strings.ToValidUTF8(s[:i], "\uFFFD"), " \n") + "…"
		}
		n += runeLength(r)
	}
	return s // not reached: s does not fit
}

// length counts characters as Discord's limits do. It counts UTF-16 code
// units, which is never less than the number of code points: text within a
// limit by this count is within it whichever way Discord counts.
func length(s string) int {
	n := 0
	for _, r := range s {
		n += runeLength(r)
	}
	return n
}

// runeLength is r's length in UTF-16 code units; invalid UTF-8 decodes as
// U+FFFD, one unit.
func runeLength(r rune) int {
	if l := utf16.RuneLen(r); l > 0 {
		return l
	}
	return 1
}

// fits reports whether length(s) <= limit, without reading all of a long s:
// a character takes one to four bytes and counts one or two, so length(s)
// lies between len(s)/3 and len(s).
func fits(s string, limit int) bool {
	switch {
	case len(s) <= limit:
		return true
	case len(s) > 3*limit:
		return false
	}
	return length(s) <= limit
}

// isWebURL reports whether s is an absolute http(s) URL Discord will accept.
func isWebURL(s string, limit int) bool {
	if s == "" || !fits(s, limit) {
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
