package slack

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/bot"
)

// panicCore is the real core, except that it panics on the query "boom".
type panicCore struct{ answerer }

func (p panicCore) Answer(q string) *bot.Answer {
	if q == "boom" {
		panic("boom: a bug in the core")
	}
	return p.answerer.Answer(q)
}

func TestPanicRecovered(t *testing.T) {
	t.Parallel()
	core := func(a *Adapter) { a.bot = panicCore{testBot(t)} }
	t.Run("socket", func(t *testing.T) {
		t.Parallel()
		h := start(t, ModeSocket, core)
		// In a background reply (a DM), and in the Socket Mode loop itself
		// (a slash command, answered in its ack).
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback("EvBoom", slacktest.DirectMessage("D1", "U1", "1700000800.000001", "boom"))))
		// Acknowledged all the same, or Slack would send it again.
		if ack := h.fake.WaitAck(t, h.fake.Send(t, "slash_commands", slacktest.SlashCommand("C1", "U1", "boom", h.fake.ResponseURL("boom")))); len(ack.Payload) != 0 {
			t.Errorf("slash command that panics: ack %s, want an empty ack", ack.Payload)
		}
		// Later questions of both kinds are still answered.
		id := h.fake.Send(t, "slash_commands", slacktest.SlashCommand("C1", "U1", "429", h.fake.ResponseURL("ok")))
		if ack := h.fake.WaitAck(t, id); !strings.Contains(string(ack.Payload), "429 Too Many Requests") {
			t.Errorf("slash command after a panic: ack %s, want the 429 answer", ack.Payload)
		}
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback("EvAfter", slacktest.DirectMessage("D1", "U1", "1700000800.000002", "404"))))
		c := h.fake.WaitCalls(t, "chat.postMessage", 1)[0]
		if got := headerText(c.Blocks); got != "404 Not Found" {
			t.Errorf("DM after a panic: header %q, want 404 Not Found", got)
		}
		h.stop(t)
		checkRecovered(t, h, "message", "slash_commands")
	})
	t.Run("http", func(t *testing.T) {
		t.Parallel()
		h := startHTTP(t, core)
		command := func(text string) (int, []byte) {
			form := slacktest.SlashCommandForm("C1", "U1", text, h.fake.ResponseURL("c")).Encode()
			return h.post(t, "/slack/commands", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now())
		}
		if code, body := command("boom"); code != 200 || len(body) != 0 {
			t.Errorf("slash command that panics = %d %q, want an empty 200", code, body)
		}
		ev := jsonBody(t, slacktest.EventCallback("EvBoomHTTP", slacktest.DirectMessage("D1", "U1", "1700000801.000001", "boom")))
		if code, _ := h.post(t, "/slack/events", "application/json", ev, testSecret, time.Now()); code != 200 {
			t.Errorf("event whose reply panics = %d, want 200", code)
		}
		if code, body := command("429"); code != 200 || !strings.Contains(string(body), "429 Too Many Requests") {
			t.Errorf("slash command after a panic = %d %s, want the 429 answer", code, body)
		}
		h.stop(t)
		checkRecovered(t, h.harness, "slash_commands", "message")
	})
}

// checkRecovered checks that h's adapter recovered one panic for each kind,
// counted and logged them with the platform and kind.
func checkRecovered(t *testing.T, h *harness, kinds ...string) {
	t.Helper()
	h.obs.mu.Lock()
	got := strings.Join(h.obs.panics, " ")
	h.obs.mu.Unlock()
	var want []string
	for _, k := range kinds {
		want = append(want, "slack/"+k)
		if !strings.Contains(h.logs.String(), "platform=slack event="+k) {
			t.Errorf("no log of the panic in %s with platform and kind:\n%s", k, h.logs.String())
		}
	}
	slices.Sort(want)
	gotList := strings.Fields(got)
	slices.Sort(gotList)
	if !slices.Equal(gotList, want) {
		t.Errorf("recovered panics %q, want %q", gotList, want)
	}
}

// hostile is input a user might type to break the bot.
var hostile = map[string]string{
	"invalid utf-8":    "429 \xff\xfe\xc3 \xed\xa0\x80",
	"control chars":    "4\x00\x01\x1b[31m29\r\n\t\x7f\u0085",
	"100 KB":           strings.Repeat("429 too many requests ", 100<<10/22),
	"100 KB one word":  strings.Repeat("x", 100<<10),
	"zero-width":       "4\u200b2\u200c9\u200d\ufeff\u2060",
	"right-to-left":    "\u202e924\u202c \u200f\u05e9\u05dc\u05d5\u05dd 429 \u0645\u0631\u062d\u0628\u0627",
	"mentions":         "<!channel> <!here> <!everyone> <@U1> <#C1> <!subteam^S1> 429",
	"escaped mentions": "&lt;!channel&gt; &amp;lt;!here&amp;gt; 404",
	"markdown":         "*bold* _it_ ~strike~ `code` ```block``` > quote 404",
	"links":            "<https://evil.example|click here> <mailto:a@b.c> 404",
	"combining":        "4\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308" + strings.Repeat("\u0309", 5000),
	"emoji":            strings.Repeat("🙂👩‍👩‍👧‍👦🏳️‍🌈", 3000),
	"only spaces":      "   \u3000\u00a0  ",
	"empty":            "",
}

func TestHostileInput(t *testing.T) {
	t.Parallel()
	t.Run("socket", func(t *testing.T) {
		t.Parallel()
		h := start(t, ModeSocket)
		n := 0
		for name, q := range hostile {
			// As a DM, a mention in a channel, and a slash command.
			n++
			ts := "1700000900." + strings.Repeat("0", 5) + string(rune('a'+n))
			h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback("EvDM"+name, slacktest.DirectMessage("D1", "U1", ts, q))))
			ts = "1700000901." + strings.Repeat("0", 5) + string(rune('a'+n))
			h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback("EvM"+name, slacktest.Mention("C1", "U1", ts, "", "<@"+slacktest.BotUserID+"> "+q))))
			ack := h.fake.WaitAck(t, h.fake.Send(t, "slash_commands", slacktest.SlashCommand("C1", "U1", q, h.fake.ResponseURL(strings.ReplaceAll(name, " ", "-")))))
			var res struct {
				Text   string `json:"text"`
				Blocks []any  `json:"blocks"`
			}
			if len(ack.Payload) == 0 {
				// Too big for the ack: sent to the response URL instead.
				c := h.fake.WaitCalls(t, "response", 1)
				res.Text, res.Blocks = c[len(c)-1].Text, c[len(c)-1].Blocks
			} else if err := json.Unmarshal(ack.Payload, &res); err != nil {
				t.Fatalf("%s: slash command ack %s: %v", name, ack.Payload, err)
			}
			checkLimits(t, name+" (slash command)", rendered{Text: res.Text, Blocks: res.Blocks})
		}
		// Every question is answered, in public or privately, within the limits.
		h.stop(t)
		replies := append(h.fake.Calls("chat.postMessage"), h.fake.Calls("chat.postEphemeral")...)
		if len(replies) != 2*len(hostile) {
			t.Errorf("%d replies to %d questions", len(replies), 2*len(hostile))
		}
		for _, c := range replies {
			checkLimits(t, "reply in "+c.Form.Get("channel"), rendered{Text: c.Text, Blocks: c.Blocks})
		}
		if _, errs, _, _ := h.obs.counts(); errs != 0 {
			t.Errorf("%d platform errors", errs)
		}
	})
	t.Run("http", func(t *testing.T) {
		t.Parallel()
		h := startHTTP(t)
		for name, q := range hostile {
			// Form encoding carries any bytes, invalid UTF-8 included.
			form := slacktest.SlashCommandForm("C1", "U1", q, h.fake.ResponseURL("h")).Encode()
			code, body := h.post(t, "/slack/commands", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now())
			if len(form) > maxCommandBody {
				// Past the cap: refused unread, as the core would refuse
				// a question that long (Socket Mode above answers it).
				if code != http.StatusRequestEntityTooLarge {
					t.Errorf("%s: %d-byte command = %d, want 413", name, len(form), code)
				}
				continue
			}
			var res struct {
				Text   string `json:"text"`
				Blocks []any  `json:"blocks"`
			}
			if code != 200 || json.Unmarshal(body, &res) != nil {
				t.Errorf("%s: %d %q", name, code, body)
				continue
			}
			checkLimits(t, name+" (HTTP slash command)", rendered{Text: res.Text, Blocks: res.Blocks})
			if !utf8.Valid(body) {
				t.Errorf("%s: response is not UTF-8", name)
			}
		}
		ev := jsonBody(t, slacktest.EventCallback("EvHostile", slacktest.DirectMessage("D1", "U1", "1700000902.000001", hostile["mentions"])))
		if code, _ := h.post(t, "/slack/events", "application/json", ev, testSecret, time.Now()); code != 200 {
			t.Errorf("event = %d, want 200", code)
		}
		c := h.fake.WaitCalls(t, "chat.postMessage", 1)[0]
		checkLimits(t, "HTTP event", rendered{Text: c.Text, Blocks: c.Blocks})
	})
	t.Run("echoing core", func(t *testing.T) {
		// A core quoting the query in every text it has: what any future
		// answer might do with what the user typed.
		t.Parallel()
		h := start(t, ModeSocket, func(a *Adapter) { a.bot = echoCore{} })
		n := 0
		for name, q := range hostile {
			n++
			ts := "1700000903." + strings.Repeat("0", 5) + string(rune('a'+n))
			h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback("EvE"+name, slacktest.DirectMessage("D1", "U1", ts, q))))
		}
		h.fake.WaitCalls(t, "chat.postMessage", len(hostile))
		h.stop(t)
		for _, c := range h.fake.Calls("chat.postMessage") {
			checkRendered(t, "echoed reply", rendered{Text: c.Text, Blocks: c.Blocks}, true)
		}
	})
}
