package discord

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
)

// hostileInputs are what a user may type to break a bot: bytes that are not
// UTF-8, control characters, 100 KB, invisible and right-to-left
// characters, markdown and mentions.
var hostileInputs = []struct{ name, text string }{
	{"invalid UTF-8", "\xff\xfe\xfd 429 \xc3\x28 \xed\xa0\x80"},
	{"control characters", "4\x0029\x1b[31m\r\n\t\x07\x7f\u0085"},
	{"100 KB", strings.Repeat("a", 100<<10)},
	{"100 KB of emoji and zero widths", strings.Repeat("🙂\u200b", 100<<10/7)},
	{"zero width", "\u200b4\u200c2\u200d9\ufeff"},
	{"right to left", "\u202e924\u202c \u2067gone\u2069 \u200f\u061c"},
	{"everyone", "@everyone @here 429"},
	{"role mention", "<@&400000000000000001> 429"},
	{"user and channel mentions", "<@123> <@!123> <#300000000000000001> <t:1:R>"},
	{"markdown", "**x** __y__ ~~z~~ ||s|| # h\n> q\n- i"},
	{"backticks", "```go\npanic()\n``` `x` ``y``"},
	{"links", "[link](http://x) <http://x> https://x"},
	{"everything", "\xff@everyone<@&1>**x**`\u202e\u200b[l](http://x)\x00" + strings.Repeat("<@1>", 5000)},
}

// unescapedMention finds mention and timestamp syntax Discord would render:
// "<@", "<#" or "<t:" not preceded by a backslash.
var unescapedMention = regexp.MustCompile(`(^|[^\\])<(@|#|t:)`)

// rawDispatch is d as JSON with the placeholder string replaced by text,
// escaped as JSON needs but with its invalid UTF-8 left as it is (which
// json.Marshal would have replaced).
func rawDispatch(t *testing.T, d any, text string) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var esc []byte
	for len(text) > 0 {
		r, size := utf8.DecodeRuneInString(text)
		if r == utf8.RuneError && size == 1 {
			esc = append(esc, text[0])
		} else {
			q, _ := json.Marshal(text[:size])
			esc = append(esc, q[1:len(q)-1]...)
		}
		text = text[size:]
	}
	return bytes.Replace(b, []byte("RAW-PLACEHOLDER"), esc, 1)
}

// checkHostileReply checks one reply to hostile input: within Discord's
// limits, pinging no one, rendering no mention.
func checkHostileReply(t *testing.T, name string, m wireMessage) {
	t.Helper()
	checkWire(t, name, m)
	for _, e := range m.Embeds {
		texts := []string{e.Title, e.Description}
		for _, f := range e.Fields {
			texts = append(texts, f.Name, f.Value)
		}
		for _, s := range texts {
			if loc := unescapedMention.FindStringIndex(s); loc != nil {
				t.Errorf("%s: mention syntax survives: %q", name, s[loc[0]:min(len(s), loc[1]+20)])
			}
		}
	}
}

// TestGatewayHostileInput sends every hostile input through the fake
// gateway as a message command and as a slash command: each gets a reply
// within Discord's limits that pings no one, and the bot still answers
// afterwards.
func TestGatewayHostileInput(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	for i, in := range hostileInputs {
		id := "59000000000000" + string(rune('1'+i/10)) + string(rune('0'+i%10)) + "001"
		g.conn.Dispatch("MESSAGE_CREATE", rawDispatch(t, discordtest.Message(id, "!http RAW-PLACEHOLDER", nil), in.text))
		checkHostileReply(t, in.name+" (message)", replyTo(t, g.f.WaitWrite(t), id))

		g.conn.Dispatch("INTERACTION_CREATE", rawDispatch(t, discordtest.SlashCommand(id, "RAW-PLACEHOLDER"), in.text))
		r := decodeCallback(t, g.f.WaitWrite(t), id)
		if r.Type != 4 {
			t.Errorf("%s (slash): callback type %d, want 4", in.name, r.Type)
		}
		checkHostileReply(t, in.name+" (slash)", r.Data)

		typing := id[:len(id)-1] + "2" // an interaction is answered once: another ID
		g.conn.Dispatch("INTERACTION_CREATE", rawDispatch(t, discordtest.Autocomplete(typing, "RAW-PLACEHOLDER"), in.text))
		r = decodeCallback(t, g.f.WaitWrite(t), typing)
		if r.Type != 8 || len(r.Data.Choices) > 25 {
			t.Errorf("%s (autocomplete): type %d with %d choices", in.name, r.Type, len(r.Data.Choices))
		}
		for _, c := range r.Data.Choices {
			v, _ := c.Value.(string)
			limit(t, in.name+" (autocomplete) name", c.Name, 1, 100)
			limit(t, in.name+" (autocomplete) value", v, 1, 100)
		}
	}
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("599999999999999999", "!http 429", nil))
	if m := replyTo(t, g.f.WaitWrite(t), "599999999999999999"); len(m.Embeds) != 1 || m.Embeds[0].Title != "429 Too Many Requests" {
		t.Errorf("after hostile input: %+v, want the 429 answer", m.Embeds)
	}
	g.stop()
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if len(g.obs.errors) != 0 || len(g.obs.recovered) != 0 {
		t.Errorf("observer: errors %v, panics %v; want none", g.obs.errors, g.obs.recovered)
	}
}
