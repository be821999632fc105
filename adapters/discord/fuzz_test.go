package discord

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
)

// fuzzKinds are the kinds an answer may have.
var fuzzKinds = []bot.Kind{bot.KindStatus, bot.KindSearch, bot.KindClass, bot.KindCompare, bot.KindNonstandard,
	bot.KindInvalid, bot.KindNotFound, bot.KindHelp, bot.KindRateLimited}

// fuzzAnswer builds an answer that uses every presentation field from
// fuzzed parts: n* say how many fields, items, links and choices (each
// capped past Discord's limits), flags the booleans.
func fuzzAnswer(title, titleURL, text, note, name, value, url, label, detail, imageURL, alt string,
	nFields, nItems, nLinks, nChoices uint8, code, tone int, flags uint8) *bot.Answer {
	a := &bot.Answer{
		Result: bot.Result{Query: text, Kind: fuzzKinds[int(flags>>4)%len(fuzzKinds)], Codes: []int{code}},
		Title:  title, TitleURL: titleURL, Text: text, Note: note,
		Private: flags&1 != 0, Tone: bot.Tone(tone),
	}
	if imageURL != "" || alt != "" {
		a.Image = &bot.Image{URL: imageURL, Alt: alt}
	}
	for i := range int(nFields) % 41 {
		f := bot.Field{Name: name, Value: value, URL: url, Inline: flags&2 != 0, Minor: flags&4 != 0}
		if i%2 == 1 {
			f = bot.Field{Name: value, Value: name, Inline: !f.Inline}
		}
		a.Fields = append(a.Fields, f)
	}
	for i := range int(nItems) % 301 {
		it := bot.Item{Code: code + i, Label: label, Detail: detail}
		if i%2 == 1 {
			it.Code = 0 // an example query: rendered as code, not bold
		}
		a.Items = append(a.Items, it)
	}
	for i := range int(nLinks) % 41 {
		l := bot.Link{Label: label, URL: url}
		if i%2 == 1 {
			l = bot.Link{Label: name, URL: titleURL}
		}
		a.Links = append(a.Links, l)
	}
	for i := range int(nChoices) % 11 {
		a.Choices = append(a.Choices, bot.Choice{Code: code + i, Label: label})
	}
	return a
}

// FuzzMessage: any answer renders as a channel message and as an
// interaction response within Discord's limits (the checks of
// TestRenderLimits), any typed text as autocomplete choices within theirs,
// and its explanation as the message command's answer. The seeds run with every `go test`; search for more with
//
//	go test -run XXX -fuzz FuzzMessage -fuzztime 3m ./adapters/discord/
func FuzzMessage(f *testing.F) {
	long := func(unit string, n int) string { return strings.Repeat(unit, n) }
	f.Add("429 Too Many Requests", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Status/429",
		"The user has sent too many requests.", "Unofficial: used by Twitter.", "Class", "4xx: Client error responses",
		"https://www.rfc-editor.org/rfc/rfc6585#section-4", "429 Too Many Requests", "Wait and retry.",
		"https://http.cat/429.jpg", "A cat", uint8(4), uint8(2), uint8(2), uint8(1), 429, 4, uint8(0))
	f.Add("", "", "", "", "", "", "", "", "", "", "", uint8(0), uint8(0), uint8(0), uint8(0), 0, 0, uint8(0))
	f.Add(long("*_~`|", 300), "https://example.com/"+long("a", 3000), long("🙂 @everyone <@&1> **x** ", 900),
		long("n", 5000), long("Ñ", 500), long("v🙂", 1000), "https://example.com/(1)", long("L", 300), long("d", 2000),
		"https://http.cat/429.jpg", long("alt ", 1000), uint8(40), uint8(255), uint8(40), uint8(10), 400, 6, uint8(0xff))
	f.Add("\xff\xfe", "javascript:alert(1)", "\x00\u202e\u200b", "\\", "`", "\\`", "http://x y", " ", "\n\n",
		"ftp://x", "\xed\xa0\x80", uint8(25), uint8(100), uint8(6), uint8(6), -1, -7, uint8(0x12))
	f.Add(long("\\", 257), "https://x", long("\\", 5000), long("\\", 2049), long("<", 300), long(">", 1100),
		"https://x/"+long(")", 600), long("`", 201), long("#", 1025), "https://x", "", uint8(26), uint8(50), uint8(26), uint8(5), 1<<40, 3, uint8(0x31))
	b := newTestBot(f, bot.ImagesNone)
	f.Fuzz(func(t *testing.T, title, titleURL, text, note, name, value, url, label, detail, imageURL, alt string,
		nFields, nItems, nLinks, nChoices uint8, code, tone int, flags uint8) {
		a := fuzzAnswer(title, titleURL, text, note, name, value, url, label, detail, imageURL, alt,
			nFields, nItems, nLinks, nChoices, code, tone, flags)
		name = fmt.Sprintf("%s answer", a.Kind)
		checkMessage(t, name, Message(a))
		for _, private := range []bool{false, true} {
			checkInteraction(t, name, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: InteractionData(a, private),
			}, private)
		}
		checkChoices(t, text, choices(b, text))
		// The fuzzed text as a message to explain, with a header too.
		for _, pasted := range []string{text, "HTTP/1.1 429 x\nRetry-After: " + value + "\nX-RateLimit-Reset: " + detail} {
			checkInteraction(t, "explain", explainResponse(b.Explain(pasted), "610000000000000001"), true)
		}
	})
}

// checkChoices checks autocomplete choices against Discord's limits.
func checkChoices(t *testing.T, typed string, cs []*discordgo.ApplicationCommandOptionChoice) {
	t.Helper()
	if len(cs) > 25 {
		t.Errorf("Choices(%q): %d choices, limit 25", typed, len(cs))
	}
	for _, c := range cs {
		limit(t, fmt.Sprintf("Choices(%q) name", typed), c.Name, 1, 100)
		v, ok := c.Value.(string)
		if !ok {
			t.Errorf("Choices(%q): value %v is not a string", typed, c.Value)
		}
		limit(t, fmt.Sprintf("Choices(%q) value", typed), v, 1, 100)
	}
}
