package discord

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// Answers to Discord messages: one embed and its buttons, a pure function
// of the answer.

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

// explainResponse is the answer to the message command for the message
// with ID target: ephemeral, with a "Show everyone" button on a row of its
// own when the answer may be shown (the core marks "no status found"
// private).
func explainResponse(a *bot.Answer, target string) *discordgo.InteractionResponse {
	d := InteractionData(a, true)
	if id, ok := showID(target); ok && !a.Private && len(d.Components) < maxRows {
		d.Components = append(d.Components, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Style: discordgo.PrimaryButton, Label: "Show everyone", CustomID: id},
		}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

// shown is ephemeral message m, an explanation, as everyone is to see it:
// under link (to the message it explains), its embeds and buttons as they
// were rendered, without "Show everyone". Only what the adapter renders is
// copied, not what Discord added (proxy URLs, sizes).
func shown(m *discordgo.Message, link string) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{Content: link, AllowedMentions: noMentions()}
	for _, e := range m.Embeds {
		if e == nil || len(d.Embeds) == 1 { // the adapter renders one
			continue
		}
		c := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: e.Title, URL: e.URL, Description: e.Description, Color: e.Color}
		if e.Footer != nil {
			c.Footer = &discordgo.MessageEmbedFooter{Text: e.Footer.Text}
		}
		if e.Image != nil {
			c.Image = &discordgo.MessageEmbedImage{URL: e.Image.URL}
		}
		for _, f := range e.Fields {
			if f != nil {
				c.Fields = append(c.Fields, &discordgo.MessageEmbedField{Name: f.Name, Value: f.Value, Inline: f.Inline})
			}
		}
		d.Embeds = append(d.Embeds, c)
	}
	for _, row := range m.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		var keep []discordgo.MessageComponent
		for _, c := range r.Components {
			b, ok := c.(*discordgo.Button)
			if !ok || strings.HasPrefix(b.CustomID, showIDPrefix) {
				continue
			}
			keep = append(keep, discordgo.Button{Style: b.Style, Label: b.Label, URL: b.URL, CustomID: b.CustomID})
		}
		if len(keep) > 0 {
			d.Components = append(d.Components, discordgo.ActionsRow{Components: keep})
		}
	}
	return d
}

func messageResponse(ans *bot.Answer, private bool) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: InteractionData(ans, private),
	}
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
		e.Footer = &discordgo.MessageEmbedFooter{Text: relay.Truncate(footer, maxFooter)}
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
	if u := linkTarget(f.URL); u != "" && relay.Width(u)+5 < maxFieldValue {
		value = "[" + escape(f.Value, maxFieldValue-relay.Width(u)-4) + "](" + u + ")"
		if strings.TrimSpace(f.Value) == "" {
			value = u
		}
	} else {
		value = escapeLines(f.Value, maxFieldValue)
	}
	if strings.TrimSpace(value) == "" {
		value = blankFieldValue
	}
	return &discordgo.MessageEmbedField{Name: name, Value: value, Inline: f.Inline}
}

// fixedLength is the embed text counted towards the 6000 total, without the
// description.
func fixedLength(e *discordgo.MessageEmbed) int {
	n := relay.Width(e.Title)
	if e.Footer != nil {
		n += relay.Width(e.Footer.Text)
	}
	for _, f := range e.Fields {
		n += relay.Width(f.Name) + relay.Width(f.Value)
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
		n += relay.Width(l)
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
	if text != "" && budget-relay.Width(text)-2 < budget/2 {
		// Keep room for the list: it is the point of a class listing.
		text = escape(a.Text, budget/2)
	}
	room := budget - relay.Width(text)
	if text != "" {
		room -= 2 // the blank line between text and list
	}
	for _, detailed := range []bool{true, false} {
		lines := itemLines(a.Items, detailed, room)
		if list := strings.Join(lines, "\n"); relay.Width(list) <= room {
			return joinParas(text, list)
		}
	}
	// Even bare labels are too long: as many whole lines as fit, then "…".
	var b strings.Builder
	n := 0
	for _, l := range itemLines(a.Items, false, room) {
		if n+relay.Width(l)+3 > room { // "\n" and "…" still to come
			break
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			n++
		}
		b.WriteString(l)
		n += relay.Width(l)
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
		case it.Code == 0 && it.Label != "" && relay.Fits(it.Label, 200) && !strings.Contains(it.Label, "`"):
			label = "`" + it.Label + "`" // an example to type: code spans show it literally
		default:
			label = "**" + escape(it.Label, 200) + "**"
		}
		if detailed && it.Detail != "" {
			label += " — " + escape(it.Detail, maxFieldValue)
		}
		lines = append(lines, label)
		n += 1 + relay.Width(label)
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
		row = append(row, discordgo.Button{Style: discordgo.LinkButton, Label: relay.Truncate(l.Label, maxButtonLabel), URL: l.URL})
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
		row = append(row, discordgo.Button{Style: discordgo.SecondaryButton, Label: relay.Truncate(label, maxButtonLabel), CustomID: CustomID(c.Code)})
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}
