package slack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// Answers to Block Kit: a pure function of the answer.

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

// privateMessage is an ephemeral reply carrying ans, and a share button that
// answers share (see answerShared) in public; none when share is empty.
func privateMessage(ans *bot.Answer, share string) responseMessage {
	var extra []slack.BlockElement
	if !ans.Private && share != "" && len(share) <= maxButtonValue {
		extra = append(extra, slack.NewButtonBlockElement(actionShare, share, plain("Share in channel", maxButtonText)))
	}
	return responseMessage{ResponseType: "ephemeral", Text: Text(ans), Blocks: render(ans, extra)}
}

// homeView renders the Home tab: the home page (the core's Home), and
// below it, when set, the answer to a code picked there. Its private
// metadata names the home page's version, so that a tab already showing it
// is not published again.
func homeView(home, shown *bot.Answer) slack.HomeTabViewRequest {
	blocks := render(home, nil)
	sum := sha256.New()
	_ = json.NewEncoder(sum).Encode(blocks) // blocks always encode
	version := "statusbot-home:" + hex.EncodeToString(sum.Sum(nil)[:8])
	if shown != nil {
		more := render(shown, nil)
		blocks = append(blocks, slack.NewDividerBlock())
		blocks = append(blocks, more[:min(len(more), maxHomeBlocks-len(blocks))]...)
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}, PrivateMetadata: version}
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
	return lead + fitLines(v, room)
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
