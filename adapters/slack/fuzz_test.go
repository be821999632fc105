package slack

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/statusbot/statusbot/bot"
)

// FuzzBlocks: any answer renders, as a message and as a private message with
// a share button, within Slack's limits (the checks of TestRenderLimits), and
// so does the explanation of any text.
// Each fuzzed string fills several presentation fields, and the numbers say
// how many fields, items, links and choices there are and which flags are set.
func FuzzBlocks(f *testing.F) {
	long := strings.Repeat("a&b<c>d 🙂 é ", 400)
	for _, s := range []struct {
		title, url, text, note, name, value, link string
		n                                         uint16
		flags                                     uint8
	}{
		{"429 Too Many Requests", "https://developer.mozilla.org/429", "The user has sent too many requests.", "RFC 6585", "Class", "4xx", "https://www.rfc-editor.org/rfc/rfc6585", 0x1234, 0x5b},
		{"", "", "", "", "", "", "", 0, 0},
		{long, "https://example.com/?a=1&b=<2>|x", long, long, long, long, "https://example.com/" + long, 0xffff, 0xff},
		{"<!channel>", "javascript:alert(1)", "<!here> <@U1> *bold* `code`", "&amp;", "<@U1>", "<!everyone>", "https://evil.example|x", 0x0f3a, 0x2c},
		{"\xff\xfe", "https://\xff", "\xed\xa0\x80", "\ufffd", "\x00\x1b", "\u202e\u200b", "http://a", 0x8001, 0x81},
		{"   ", "https:// ", "\n\n\n", " \n ", " ", "\t", "https://a.b", 0x7777, 0x77},
		{strings.Repeat("🙂", 80), "", strings.Repeat("\u0301", 5000), "", strings.Repeat("&", 3000), strings.Repeat("<", 3000), "", 0x3f3f, 0xf0},
	} {
		f.Add(s.title, s.url, s.text, s.note, s.name, s.value, s.link, s.n, s.flags)
	}
	f.Fuzz(func(t *testing.T, title, titleURL, text, note, name, value, link string, n uint16, flags uint8) {
		a := fuzzAnswer(title, titleURL, text, note, name, value, link, n, flags)
		replacement := false
		for _, s := range []string{title, titleURL, text, note, name, value, link} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
				replacement = true
			}
		}
		blocks, _ := asJSON(t, Blocks(a)).([]any)
		checkRendered(t, "message", rendered{Text: Text(a), Blocks: blocks}, replacement)
		msg := privateMessage(a, "q:"+a.Query)
		blocks, _ = asJSON(t, msg.Blocks).([]any)
		checkRendered(t, "private message", rendered{Text: msg.Text, Blocks: blocks}, replacement)
		// The fuzzed text as a message to explain, with headers too.
		for _, pasted := range []string{text, "HTTP/1.1 429 x\nRetry-After: " + value + "\nX-RateLimit-Reset: " + name} {
			msg = privateMessage(testBot(t).Explain(pasted), explainShare(pasted))
			blocks, _ = asJSON(t, msg.Blocks).([]any)
			checkRendered(t, "explanation", rendered{Text: msg.Text, Blocks: blocks}, replacement)
		}
	})
}

// fuzzAnswer builds an answer that uses every presentation field.
func fuzzAnswer(title, titleURL, text, note, name, value, link string, n uint16, flags uint8) *bot.Answer {
	a := &bot.Answer{
		Result:   bot.Result{Query: value, Kind: bot.KindSearch},
		Title:    title,
		TitleURL: titleURL,
		Text:     text,
		Note:     note,
		Private:  flags&0x80 != 0,
		Tone:     bot.Tone(flags % 7),
	}
	nFields, nItems, nLinks, nChoices := int(n%32), int(n>>5%128), int(n>>12), int(flags>>4%8)
	for i := range nFields {
		f := bot.Field{Name: name, Value: value, Inline: flags&1 != 0 && i >= nFields/2, Minor: flags&2 != 0 && i%3 == 0}
		if i%2 == 0 {
			f.URL = link
		}
		if i%4 == 3 {
			f.Name, f.Value = value, text
		}
		a.Fields = append(a.Fields, f)
	}
	for i := range nItems {
		it := bot.Item{Label: name, Detail: text}
		if flags&4 == 0 || i%2 == 1 {
			it.Code = 100 + i
		}
		a.Items = append(a.Items, it)
	}
	for i := range nLinks {
		a.Links = append(a.Links, bot.Link{Label: name, URL: link + strconv.Itoa(i)})
	}
	if flags&8 != 0 {
		a.Image = &bot.Image{URL: link, Alt: note}
	}
	for i := range nChoices {
		a.Choices = append(a.Choices, bot.Choice{Code: 100 + i*int(n%7), Label: title})
	}
	return a
}
