package slack

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/internal/explaintest"
)

// The message shortcut "Explain HTTP status", and sharing its answer, end
// to end over Socket Mode and HTTP mode.

// sectionTexts joins the text of every section block.
func sectionTexts(blocks []any) string {
	var sb strings.Builder
	for _, b := range blocks {
		m, _ := b.(map[string]any)
		if m["type"] != "section" {
			continue
		}
		for _, o := range textObjects(m) {
			sb.WriteString(o["text"].(string) + "\n")
		}
	}
	return sb.String()
}

// checkExplained checks a private explanation of text: its header, the
// lines it must show, its buttons (codes, and share when wantShare), and
// Slack's limits.
func checkExplained(t *testing.T, name string, c slacktest.Call, text, header string, lines []string, wantShare bool) {
	t.Helper()
	checkLimits(t, name, rendered{Text: c.Text, Blocks: c.Blocks})
	if got := headerText(c.Blocks); got != header {
		t.Errorf("%s: header %q, want %q", name, got, header)
	}
	body := sectionTexts(c.Blocks)
	for _, l := range lines {
		if !strings.Contains(body, l) {
			t.Errorf("%s: sections\n%s\nlack %q", name, body, l)
		}
	}
	ans := testBot(t).Explain(text)
	bs := buttons(c.Blocks)
	for _, ch := range ans.Choices {
		if n := strconv.Itoa(ch.Code); bs[actionCode+n] != n {
			t.Errorf("%s: no button for %d in %v", name, ch.Code, bs)
		}
	}
	share, ok := bs[actionShare]
	if ok != wantShare {
		t.Fatalf("%s: share button %v, want %v", name, ok, wantShare)
	}
	if wantShare {
		// The share value makes the same answer again.
		a := &Adapter{bot: testBot(t)}
		again, ok := a.answerShared(share)
		if !ok || again.Title != ans.Title || !slices.Equal(again.Codes, ans.Codes) {
			t.Errorf("%s: share value %.40q answers %+v, want the explanation", name, share, again)
		}
	}
}

var logLines = []string{"*200 OK* – 22 times", "*502 Bad Gateway* – 8 times", "*504 Gateway Timeout* – 5 times", "*404 Not Found* – 3 times", "*301 Moved Permanently* – 2 times"}

// TestShortcutSocket: over Socket Mode, the shortcut on a log excerpt gets
// the explanation, privately, in the message's thread, with the codes and
// share as buttons; share posts it in the channel and removes the private
// copy; a response head gets its headers read; a message with no status
// gets a private note and nothing to share.
func TestShortcutSocket(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	send := func(payload map[string]any) {
		t.Helper()
		if ack := h.fake.WaitAck(t, h.fake.Send(t, "interactive", payload)); len(ack.Payload) != 0 && string(ack.Payload) != "null" {
			t.Errorf("shortcut ack carries %s, want nothing", ack.Payload)
		}
	}
	log := explaintest.Read(t, "nginx_access.log")
	send(slacktest.MessageShortcut(CallbackExplain, "C1", "U1", "1700000300.000002", "1700000300.000001", escape(log), h.fake.ResponseURL("s1")))
	c := h.fake.WaitCalls(t, "chat.postEphemeral", 1)[0]
	if c.Form.Get("channel") != "C1" || c.Form.Get("user") != "U1" || c.Form.Get("thread_ts") != "1700000300.000001" {
		t.Errorf("explanation to %q in %q thread %q, want U1 in C1's thread 1700000300.000001", c.Form.Get("user"), c.Form.Get("channel"), c.Form.Get("thread_ts"))
	}
	checkExplained(t, "log", c, log, "5 HTTP statuses in this message", logLines, true)
	share := buttons(c.Blocks)[actionShare]
	if !strings.HasPrefix(share, "z:") {
		t.Errorf("share value of a %d-byte log %.20q, want it deflated (z:)", len(log), share)
	}

	send(slacktest.BlockAction("C1", "U1", actionShare, share, h.fake.ResponseURL("share"), "1700000301.000001", "", true))
	rs := h.fake.WaitCalls(t, "response", 2)
	if rs[0].JSON["response_type"] != "in_channel" || rs[1].JSON["delete_original"] != true {
		t.Errorf("share: responses %v then %v, want in_channel, then delete_original", rs[0].JSON, rs[1].JSON)
	}
	if want := asJSON(t, Blocks(testBot(t).Explain(log))); !jsonEqual(t, rs[0].Blocks, want) {
		t.Errorf("share: blocks are not the explanation's")
	}

	head := explaintest.Read(t, "curl_429.txt")
	alert := slacktest.MessageShortcut(CallbackExplain, "C1", "U1", "1700000302.000001", "", "", h.fake.ResponseURL("s2"))
	alert["message"].(map[string]any)["attachments"] = []any{map[string]any{"title": "Check failed", "text": escape(head)}}
	send(alert)
	c = h.fake.WaitCalls(t, "chat.postEphemeral", 2)[1]
	checkExplained(t, "head", c, "Check failed\n"+head, "429 Too Many Requests", []string{"*In this response*\nRetry-After: 120 (wait 2 minutes before retrying)"}, true)

	send(slacktest.MessageShortcut(CallbackExplain, "C1", "U1", "1700000303.000001", "", "lunch at 12:30? I'll bring 200 cookies", h.fake.ResponseURL("s3")))
	c = h.fake.WaitCalls(t, "chat.postEphemeral", 3)[2]
	checkExplained(t, "nothing", c, "lunch at 12:30? I'll bring 200 cookies", "No HTTP status in this message", nil, false)

	// Another app's shortcut, and a delivery retried: nothing more.
	send(slacktest.MessageShortcut("someone_else", "C1", "U1", "1700000304.000001", "", "502", h.fake.ResponseURL("s4")))
	send(slacktest.MessageShortcut(CallbackExplain, "C1", "U1", "1700000303.000001", "", "lunch at 12:30? I'll bring 200 cookies", h.fake.ResponseURL("s3")))
	h.stop(t)
	if n := len(h.fake.Calls("chat.postEphemeral")); n != 3 {
		t.Errorf("%d private answers, want 3", n)
	}
	h.obs.mu.Lock()
	defer h.obs.mu.Unlock()
	if n := len(h.obs.answered); n != 4 || len(h.obs.errors) != 0 {
		t.Errorf("observer: %d answers (%v), errors %v; want 4 (3 explanations and 1 shared), no errors", n, h.obs.answered, h.obs.errors)
	}
}

func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	return string(jsonBody(t, a)) == string(jsonBody(t, b))
}

// TestShortcutHTTP: in HTTP mode the shortcut is acknowledged at once and
// answered after; where the bot is not in the channel, Slack refuses
// chat.postEphemeral and the answer goes through the response URL.
func TestShortcutHTTP(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	post := func(payload map[string]any) {
		t.Helper()
		form := url.Values{"payload": {string(jsonBody(t, payload))}}.Encode()
		if code, body := h.post(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now()); code != http.StatusOK || len(body) != 0 {
			t.Errorf("shortcut = %d %q, want an empty 200", code, body)
		}
	}
	log := explaintest.Read(t, "nginx_access.log")
	post(slacktest.MessageShortcut(CallbackExplain, "C2", "U1", "1700000400.000001", "", escape(log), h.fake.ResponseURL("h1")))
	c := h.fake.WaitCalls(t, "chat.postEphemeral", 1)[0]
	if c.Form.Get("channel") != "C2" || c.Form.Get("user") != "U1" || c.Form.Has("thread_ts") {
		t.Errorf("explanation %v, want U1 in C2, not in a thread", c.Form)
	}
	checkExplained(t, "http log", c, log, "5 HTTP statuses in this message", logLines, true)

	for _, refusal := range []string{"not_in_channel", "channel_not_found"} {
		h.fake.Fail("chat.postEphemeral", slacktest.Fault{Error: refusal})
		post(slacktest.MessageShortcut(CallbackExplain, "C9", "U1", "1700000401.00000"+refusal[:1], "", "HTTP/1.1 503 Service Unavailable", h.fake.ResponseURL(refusal)))
	}
	rs := h.fake.WaitCalls(t, "response", 2)
	for i, r := range rs {
		if r.JSON["response_type"] != "ephemeral" || headerText(r.Blocks) != "503 Service Unavailable" || !strings.HasPrefix(buttons(r.Blocks)[actionShare], "x:") {
			t.Errorf("response %d %s: %v, want the ephemeral 503 with a share button", i, r.Path, r.JSON)
		}
		checkLimits(t, "response "+r.Path, rendered{Text: r.Text, Blocks: r.Blocks})
	}
	h.stop(t)
	if _, errors, _, _ := h.obs.counts(); errors != 0 {
		t.Errorf("observer counted %d platform errors, want none: not being in the channel is no error", errors)
	}
}

// TestShortcutLimited: the shortcut counts against the abuse limits; past
// them, the notice once, privately, with nothing to share, then silence.
func TestShortcutLimited(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket, withLimits)
	for i := range 7 {
		ts := "1700000500.00000" + string(rune('1'+i))
		h.fake.WaitAck(t, h.fake.Send(t, "interactive", slacktest.MessageShortcut(CallbackExplain, "C1", "U1", ts, "", "HTTP/1.1 502 Bad Gateway", h.fake.ResponseURL("l"))))
	}
	cs := h.fake.WaitCalls(t, "chat.postEphemeral", 6)
	h.stop(t)
	if n := len(h.fake.Calls("chat.postEphemeral")); n != 6 {
		t.Errorf("%d private messages, want 6 (5 answers, 1 notice)", n)
	}
	notice := testBot(t).RateLimitedAnswer("")
	notices := 0
	for _, c := range cs {
		if headerText(c.Blocks) == notice.Title {
			notices++
			if _, ok := buttons(c.Blocks)[actionShare]; ok {
				t.Error("the notice has a share button")
			}
		}
	}
	if notices != 1 {
		t.Errorf("%d notices, want 1", notices)
	}
}

// TestExplainShare: the share value carries the text the core reads, as it
// is when it fits a button, deflated when that fits, else there is no
// share button; a deflated value never inflates past what the core reads.
func TestExplainShare(t *testing.T) {
	t.Parallel()
	if v := explainShare("HTTP/1.1 502 Bad Gateway"); v != "x:HTTP/1.1 502 Bad Gateway" {
		t.Errorf("short text: %q", v)
	}
	log := strings.Repeat(explaintest.Read(t, "nginx_access.log"), 3)
	v := explainShare(log)
	text, ok := inflate(strings.TrimPrefix(v, "z:"))
	if !strings.HasPrefix(v, "z:") || len(v) > maxButtonValue || !ok || text != log[:bot.MaxExplainLen+1] {
		t.Errorf("long log: value of %d bytes %.10q inflates to %d bytes (%v), want the first %d bytes of the text", len(v), v, len(text), ok, bot.MaxExplainLen+1)
	}
	noise := make([]byte, 3000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(' ' + r.IntN(95))
	}
	if v := explainShare(string(noise)); v != "" {
		t.Errorf("3000 bytes of noise: share value of %d bytes, want none (it fits no button)", len(v))
	}
	var bomb bytes.Buffer
	w, _ := flate.NewWriter(&bomb, flate.BestCompression)
	w.Write(make([]byte, 10<<20))
	w.Close()
	if text, ok := inflate(base64.RawURLEncoding.EncodeToString(bomb.Bytes())); !ok || len(text) != bot.MaxExplainLen+1 {
		t.Errorf("10 MB deflated: inflates to %d bytes (%v), want %d", len(text), ok, bot.MaxExplainLen+1)
	}
	if _, ok := inflate("not base64!"); ok {
		t.Error("inflate accepted a value that is not base64")
	}
}

// TestRenderExplainLimits: explanations of pasted texts, with their share
// button, are within Slack's limits, and a pasted response whose headers do
// not fit a field keeps whole lines.
func TestRenderExplainLimits(t *testing.T) {
	t.Parallel()
	b := testBot(t)
	var every strings.Builder
	for _, c := range b.Catalog().Codes() {
		every.WriteString("HTTP/1.1 " + c.Title() + "\n")
	}
	hostile := "<!channel> " + strings.Repeat("&", 200) // escaped, five times as wide
	head := "HTTP/1.1 429 Too Many Requests\n"
	for _, h := range b.Catalog().Code(429).Headers {
		head += h.Name + ": " + hostile + "\n"
	}
	texts := map[string]string{
		"log": explaintest.Read(t, "nginx_access.log"), "head": explaintest.Read(t, "curl_401.txt"),
		"every code": every.String(), "hostile head": head,
		"4 KB of markup": strings.Repeat("<!here> <@U1> *x* <http://x|l> upstream returned 502\n", 100),
	}
	for name, text := range texts {
		a := b.Explain(text)
		msg := privateMessage(a, explainShare(text))
		checkLimits(t, name, rendered{Text: msg.Text, Blocks: asJSON(t, msg.Blocks).([]any)})
	}
	f := fieldText(b.Explain(head).Fields[0])
	if !strings.HasPrefix(f, "*In this response*\n") || !strings.HasSuffix(f, "\n…") || strings.Contains(f, "<") {
		t.Errorf("hostile head: field %q, want the response's headers, escaped, cut after a whole line", f)
	}
}

// TestShortcutHostile: a message to explain holding anything a user may
// type gets a private answer within Slack's limits, with nothing unescaped.
func TestShortcutHostile(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	n := 0
	for _, q := range hostile {
		n++
		payload := slacktest.MessageShortcut(CallbackExplain, "C1", "U1", "1700000600."+strconv.Itoa(100000+n), "", q, h.fake.ResponseURL("x"))
		form := url.Values{"payload": {string(jsonBody(t, payload))}}.Encode()
		if code, _ := h.post(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now()); code != http.StatusOK {
			t.Errorf("shortcut = %d, want 200", code)
		}
	}
	h.fake.WaitCalls(t, "chat.postEphemeral", len(hostile))
	h.stop(t)
	for _, c := range h.fake.Calls("chat.postEphemeral") {
		checkRendered(t, "explained", rendered{Text: c.Text, Blocks: c.Blocks}, true)
	}
}
