package slack

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

func TestSocketMentionAnsweredInThread(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	tests := []struct {
		name, ts, threadTS, wantThread string
	}{
		{"top-level mention", "1700000001.000100", "", "1700000001.000100"},
		{"mention inside a thread", "1700000002.000200", "1700000000.000050", "1700000000.000050"},
	}
	for i, tt := range tests {
		h.mention(t, "Ev"+tt.ts, "C1", tt.ts, tt.threadTS, "<@"+slacktest.BotUserID+"> 429")
		c := h.fake.WaitCalls(t, "chat.postMessage", i+1)[i]
		if got := c.Form.Get("channel"); got != "C1" {
			t.Errorf("%s: channel = %q, want C1", tt.name, got)
		}
		if got := c.Form.Get("thread_ts"); got != tt.wantThread {
			t.Errorf("%s: thread_ts = %q, want %q", tt.name, got, tt.wantThread)
		}
		want := testBot(t).AnswerCode(429)
		if got := headerText(c.Blocks); got != "429 Too Many Requests" {
			t.Errorf("%s: header = %q, want 429 Too Many Requests", tt.name, got)
		}
		if !reflect.DeepEqual(c.Blocks, asJSON(t, Blocks(want))) {
			t.Errorf("%s: blocks differ from Blocks(AnswerCode(429)):\n got %v\nwant %v", tt.name, c.Blocks, asJSON(t, Blocks(want)))
		}
		if c.Text != Text(want) || c.Text == "" {
			t.Errorf("%s: text = %q, want %q", tt.name, c.Text, Text(want))
		}
	}
	h.stop(t)
	if answered, errs, _, _ := h.obs.counts(); answered != 2 || errs != 0 {
		t.Errorf("observer: answered %d, errors %d; want 2, 0", answered, errs)
	}
}

func TestSocketDirectMessageAnsweredInDM(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	ev := slacktest.EventCallback("EvDM1", slacktest.DirectMessage("D1", "U1", "1700000003.000300", "too many requests"))
	h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
	c := h.fake.WaitCalls(t, "chat.postMessage", 1)[0]
	if got := c.Form.Get("channel"); got != "D1" {
		t.Errorf("channel = %q, want D1", got)
	}
	if got := c.Form.Get("thread_ts"); got != "" {
		t.Errorf("thread_ts = %q, want none: a DM is answered in the DM", got)
	}
	if got := headerText(c.Blocks); got != "429 Too Many Requests" {
		t.Errorf("header = %q, want 429 Too Many Requests", got)
	}
}

func TestSocketPrivateAnswerToMentionIsEphemeral(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	h.mention(t, "EvHelp", "C1", "1700000004.000400", "", "<@"+slacktest.BotUserID+"> help")
	c := h.fake.WaitCalls(t, "chat.postEphemeral", 1)[0]
	if c.Form.Get("user") != "U1" || c.Form.Get("channel") != "C1" {
		t.Errorf("ephemeral to user %q in %q, want U1 in C1", c.Form.Get("user"), c.Form.Get("channel"))
	}
	if c.Form.Get("thread_ts") != "" {
		t.Errorf("thread_ts = %q, want none for a top-level mention", c.Form.Get("thread_ts"))
	}
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 0 {
		t.Errorf("%d public posts for a private answer, want 0", n)
	}
}

func TestSocketSlashCommandAnsweredEphemeral(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	id := h.fake.Send(t, "slash_commands", slacktest.SlashCommand("C1", "U1", "429", h.fake.ResponseURL("cmd1")))
	ack := h.fake.WaitAck(t, id)
	var res struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
		Blocks       []any  `json:"blocks"`
	}
	if err := json.Unmarshal(ack.Payload, &res); err != nil {
		t.Fatalf("ack payload %s: %v", ack.Payload, err)
	}
	if res.ResponseType != "ephemeral" {
		t.Errorf("response_type = %q, want ephemeral", res.ResponseType)
	}
	if got := headerText(res.Blocks); got != "429 Too Many Requests" {
		t.Errorf("header = %q, want 429 Too Many Requests", got)
	}
	if res.Text == "" {
		t.Error("ack payload has no text")
	}
	if v, ok := buttons(res.Blocks)[actionShare]; !ok || v != "q:429" {
		t.Errorf("share button value = %q (present %v), want q:429", v, ok)
	}
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")) + len(h.fake.Calls("response")); n != 0 {
		t.Errorf("%d further posts, want 0: the ack carries the answer", n)
	}
}

func TestSocketSlashCommandTooBigForAckUsesResponseURL(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket, func(a *Adapter) { a.bot = stressCore{} })
	id := h.fake.Send(t, "slash_commands", slacktest.SlashCommand("C1", "U1", "429", h.fake.ResponseURL("big")))
	if ack := h.fake.WaitAck(t, id); len(ack.Payload) != 0 && string(ack.Payload) != "null" {
		t.Errorf("ack payload = %s, want none", ack.Payload)
	}
	c := h.fake.WaitCalls(t, "response", 1)[0]
	if c.Path != "/response/big" || c.JSON["response_type"] != "ephemeral" {
		t.Errorf("response %s type %v, want /response/big ephemeral", c.Path, c.JSON["response_type"])
	}
	if got, want := headerText(c.Blocks), relay.Truncate(stress().Title, maxHeaderText); got != want {
		t.Errorf("header = %q, want %q", got, want)
	}
	if b, _ := json.Marshal(c.JSON); len(b) < 20*1024 {
		t.Errorf("the answer is %d bytes: too small to test the fallback", len(b))
	}
	h.stop(t)
	if answered, _, _, _ := h.obs.counts(); answered != 1 {
		t.Errorf("observer: answered %d, want 1", answered)
	}
}

func TestSocketRetriedEventAnsweredOnce(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	ev := slacktest.EventCallback("EvRetry", slacktest.Mention("C1", "U1", "1700000020.000001", "", "<@"+slacktest.BotUserID+"> 503"))
	h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
	h.fake.WaitAck(t, h.fake.SendRetry(t, "events_api", ev, 1))
	h.fake.WaitAck(t, h.fake.SendRetry(t, "events_api", ev, 2))
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d replies to one event delivered three times, want 1", n)
	}
}

func TestSocketMentionAlsoDeliveredAsMessageAnsweredOnce(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	text := "<@" + slacktest.BotUserID + "> 418"
	ts := "1700000030.000001"
	for _, ev := range []map[string]any{
		slacktest.EventCallback("EvA", slacktest.Mention("D7", "U1", ts, "", text)),
		slacktest.EventCallback("EvB", slacktest.DirectMessage("D7", "U1", ts, text)),
	} {
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
	}
	h.stop(t)
	calls := h.fake.Calls("chat.postMessage")
	if len(calls) != 1 {
		t.Fatalf("%d replies to one message delivered as app_mention and message, want 1", len(calls))
	}
	if calls[0].Form.Get("channel") != "D7" || calls[0].Form.Get("thread_ts") != "" {
		t.Errorf("reply in %q thread %q, want D7 without thread", calls[0].Form.Get("channel"), calls[0].Form.Get("thread_ts"))
	}
}

func TestSocketIgnoresBotsAndItself(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	botMsg := slacktest.DirectMessage("D1", "U2", "1700000040.000001", "429")
	botMsg["bot_id"] = "B2"
	botSub := slacktest.DirectMessage("D1", "", "1700000040.000002", "429")
	botSub["subtype"] = "bot_message"
	botSub["bot_id"] = "B3"
	self := slacktest.DirectMessage("D1", slacktest.BotUserID, "1700000040.000003", "429")
	edited := slacktest.DirectMessage("D1", "U1", "1700000040.000004", "429")
	edited["subtype"] = "message_changed"
	joined := slacktest.DirectMessage("D1", "U1", "1700000040.000005", "429")
	joined["subtype"] = "channel_join"
	channelMsg := slacktest.DirectMessage("C1", "U1", "1700000040.000006", "429")
	channelMsg["channel_type"] = "channel"
	botMention := slacktest.Mention("C1", "U2", "1700000040.000007", "", "<@"+slacktest.BotUserID+"> 429")
	botMention["bot_id"] = "B2"
	for i, ev := range []map[string]any{botMsg, botSub, self, edited, joined, channelMsg, botMention} {
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback("EvIgnore"+string(rune('a'+i)), ev)))
	}
	// One real question afterwards, to show the adapter was listening.
	h.fake.WaitAck(t, h.fake.Send(t, "events_api", slacktest.EventCallback("EvReal", slacktest.DirectMessage("D1", "U1", "1700000040.000008", "429"))))
	h.stop(t)
	calls := h.fake.Calls("chat.postMessage")
	if len(calls) != 1 || calls[0].Form.Get("channel") != "D1" {
		t.Errorf("%d replies, want exactly 1 (to the person)", len(calls))
	}
	if n := len(h.fake.Calls("chat.postEphemeral")); n != 0 {
		t.Errorf("%d ephemeral replies, want 0", n)
	}
}

func TestSocketChannelPingEscaped(t *testing.T) {
	t.Parallel()
	query := "<!channel> <!here> <@U999> <https://evil.example|click> zzqxj &amp;"
	for _, core := range []struct {
		name string
		core answerer
	}{{"real core", testBot(t)}, {"echoing core", echoCore{}}} {
		h := start(t, ModeSocket, func(a *Adapter) { a.bot = core.core })
		ev := slacktest.EventCallback("EvEsc", slacktest.DirectMessage("D1", "U1", "1700000050.000001", query))
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
		c := h.fake.WaitCalls(t, "chat.postMessage", 1)[0]
		h.stop(t)
		mrkdwn := []string{c.Text}
		for _, txt := range textObjects(c.Blocks) {
			if txt["type"] == "mrkdwn" {
				mrkdwn = append(mrkdwn, txt["text"].(string))
			}
		}
		for _, s := range mrkdwn {
			for _, bad := range []string{"<!channel>", "<!here>", "<@U999>", "<https://evil"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s: mrkdwn contains %q: %q", core.name, bad, s)
				}
			}
		}
		if core.name == "echoing core" {
			if want := "&lt;!channel&gt; &lt;!here&gt; &lt;@U999&gt;"; !strings.Contains(c.Text, want) {
				t.Errorf("%s: text %q does not quote the query escaped (%q)", core.name, c.Text, want)
			}
			if n := len(mrkdwn); n < 6 {
				t.Errorf("%s: only %d mrkdwn texts checked, want the text, body, fields, items and note", core.name, n)
			}
		}
	}
}

func TestSocketRateLimitedThenDelivered(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	h.fake.Fail("chat.postMessage", slacktest.Fault{Status: 429, RetryAfter: "1"})
	h.mention(t, "EvRL", "C1", "1700000060.000001", "", "<@"+slacktest.BotUserID+"> 429")
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d messages delivered, want 1", n)
	}
	if n := len(h.fake.Calls("chat.postMessage:failed")); n != 1 {
		t.Errorf("%d rate-limited attempts, want 1", n)
	}
	if answered, errs, limited, _ := h.obs.counts(); answered != 1 || errs != 0 || limited != 1 {
		t.Errorf("observer: answered %d, errors %d, rate limited %d; want 1, 0, 1", answered, errs, limited)
	}
}

func TestSocketServerErrorsRetriedThenLogged(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	// Two failures then success: delivered once.
	h.fake.Fail("chat.postMessage", slacktest.Fault{Status: 500}, slacktest.Fault{Status: 502})
	h.mention(t, "Ev5xx", "C5", "1700000070.000001", "", "<@"+slacktest.BotUserID+"> 500")
	h.fake.WaitCalls(t, "chat.postMessage", 1)
	// Failures past the attempts: given up, counted, and logged with the channel.
	h.fake.Fail("chat.postMessage", slacktest.Fault{Status: 503}, slacktest.Fault{Status: 503}, slacktest.Fault{Status: 503})
	h.mention(t, "Ev5xxB", "C9", "1700000071.000001", "", "<@"+slacktest.BotUserID+"> 503")
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d messages delivered, want 1", n)
	}
	if n := len(h.fake.Calls("chat.postMessage:failed")); n != 5 {
		t.Errorf("%d failed attempts, want 5 (2 then 3)", n)
	}
	if answered, errs, _, _ := h.obs.counts(); answered != 1 || errs != 1 {
		t.Errorf("observer: answered %d, platform errors %d; want 1, 1", answered, errs)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "channel=C9") || !strings.Contains(logs, "op=post_message") {
		t.Errorf("the failure log lacks the channel or op:\n%s", logs)
	}
}

func TestSocketReconnect(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	h.fake.Disconnect()
	h.fake.WaitConnected(t, 2)
	// An envelope on the new connection is answered, so the adapter is back.
	h.mention(t, "EvAfter", "C1", "1700000080.000001", "", "<@"+slacktest.BotUserID+"> 200")
	h.fake.WaitCalls(t, "chat.postMessage", 1)
	if !h.a.Ready() {
		t.Error("Ready() = false after reconnecting")
	}
	h.stop(t)
	if _, _, _, reconns := h.obs.counts(); reconns != 1 {
		t.Errorf("observer: %d reconnections, want 1", reconns)
	}
	if h.a.Ready() {
		t.Error("Ready() = true after Run returned")
	}
}

func TestSocketUnreadableEnvelopeAcked(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	// An inner event type slackevents does not know: slack-go cannot parse
	// it, and an envelope never acked is sent again and again.
	ev := slacktest.EventCallback("EvOdd", map[string]any{"type": "no_such_event", "channel": "C1"})
	h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
}

func TestRunRefusedToken(t *testing.T) {
	t.Parallel()
	fake := slacktest.NewServer(t, "xoxb-other", testAppToken)
	a, err := New(testBot(t), Config{BotToken: testBotToken, AppToken: testAppToken, APIURL: fake.APIURL})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Errorf("Run with a refused token = %v, want an invalid_auth error", err)
	}
	if strings.Contains(err.Error(), testBotToken) {
		t.Errorf("error carries the token: %v", err)
	}
}
