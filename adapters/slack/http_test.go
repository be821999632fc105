package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

func TestHTTPSignatures(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	ev := jsonBody(t, slacktest.EventCallback("EvSig", slacktest.Mention("C1", "U1", "1700000100.000001", "", "<@"+slacktest.BotUserID+"> 429")))
	now := time.Now()
	tests := []struct {
		name   string
		secret string
		ts     time.Time
		want   int
	}{
		{"wrong secret", "not-the-secret", now, http.StatusUnauthorized},
		{"stale timestamp", testSecret, now.Add(-6 * time.Minute), http.StatusUnauthorized},
		{"future timestamp", testSecret, now.Add(6 * time.Minute), http.StatusUnauthorized},
		{"valid", testSecret, now, http.StatusOK},
	}
	for _, tt := range tests {
		for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactions"} {
			if tt.want == http.StatusOK && path != "/slack/events" {
				continue
			}
			if got, _ := h.post(t, path, "application/json", ev, tt.secret, tt.ts); got != tt.want {
				t.Errorf("%s: POST %s = %d, want %d", tt.name, path, got, tt.want)
			}
		}
	}

	// No signature at all.
	res, err := http.Post(h.srv.URL+"/slack/events", "application/json", bytes.NewReader(ev))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned POST = %d, want 401", res.StatusCode)
	}
	// A body signed, then changed.
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/slack/events", bytes.NewReader(append(ev, ' ')))
	req.Header = slacktest.Sign(testSecret, now, ev)
	if res, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("tampered body = %d, want 401", res.StatusCode)
	}

	c := h.fake.WaitCalls(t, "chat.postMessage", 1)[0]
	if c.Form.Get("channel") != "C1" || c.Form.Get("thread_ts") != "1700000100.000001" || headerText(c.Blocks) != "429 Too Many Requests" {
		t.Errorf("valid event: posted %v, want 429 in C1's thread", c.Form)
	}
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d posts, want 1: only the valid request is answered", n)
	}
}

func TestHTTPURLVerification(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	body := jsonBody(t, map[string]any{"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"})
	code, got := h.post(t, "/slack/events", "application/json", body, testSecret, time.Now())
	var res struct{ Challenge string }
	if code != http.StatusOK || json.Unmarshal(got, &res) != nil || res.Challenge != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("url_verification = %d %s, want 200 with the challenge", code, got)
	}
}

func TestHTTPRetriedEventAnsweredOnce(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	ev := jsonBody(t, slacktest.EventCallback("EvHTTPRetry", slacktest.DirectMessage("D2", "U1", "1700000110.000001", "404")))
	for i, retry := range []string{"", "1", "2"} {
		extra := []string{}
		if retry != "" {
			extra = []string{"X-Slack-Retry-Num", retry, "X-Slack-Retry-Reason", "http_timeout"}
		}
		if code, _ := h.post(t, "/slack/events", "application/json", ev, testSecret, time.Now(), extra...); code != http.StatusOK {
			t.Errorf("delivery %d: %d, want 200", i, code)
		}
	}
	h.stop(t)
	calls := h.fake.Calls("chat.postMessage")
	if len(calls) != 1 || calls[0].Form.Get("channel") != "D2" {
		t.Errorf("%d replies to one event delivered three times, want 1 in D2", len(calls))
	}
}

func TestHTTPSlashCommand(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	form := slacktest.SlashCommandForm("C1", "U1", "too many requests", h.fake.ResponseURL("c1")).Encode()
	code, body := h.post(t, "/slack/commands", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now())
	var res struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
		Blocks       []any  `json:"blocks"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &res) != nil {
		t.Fatalf("slash command = %d %s, want 200 JSON", code, body)
	}
	if res.ResponseType != "ephemeral" || res.Text == "" || headerText(res.Blocks) != "429 Too Many Requests" {
		t.Errorf("slash command answer %s, want an ephemeral 429", body)
	}
	if v := buttons(res.Blocks)[actionShare]; v != "q:too many requests" {
		t.Errorf("share value = %q, want q:too many requests", v)
	}
}

func TestHTTPInteraction(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	payload := jsonBody(t, slacktest.BlockAction("C3", "U1", actionCode+"401", "401", h.fake.ResponseURL("i1"), "1700000120.000001", "", false))
	form := url.Values{"payload": {string(payload)}}.Encode()
	if code, _ := h.post(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now()); code != http.StatusOK {
		t.Errorf("interaction = %d, want 200", code)
	}
	c := h.fake.WaitCalls(t, "chat.postMessage", 1)[0]
	if c.Form.Get("channel") != "C3" || c.Form.Get("thread_ts") != "1700000120.000001" || headerText(c.Blocks) != "401 Unauthorized" {
		t.Errorf("button answer %v, want 401 in C3's thread", c.Form)
	}
}

func TestHTTPBodyCaps(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	for _, c := range []struct {
		path string
		cap  int
	}{{PathEvents, maxEventBody}, {PathCommands, maxCommandBody}, {PathInteractions, maxInteractionBody}} {
		// Signed, so that only the size is wrong.
		over := []byte(`{"pad":"` + strings.Repeat("x", c.cap) + `"}`)
		if code, _ := h.post(t, c.path, "application/json", over, testSecret, time.Now()); code != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with %d bytes = %d, want 413", c.path, len(over), code)
		}
		fits := []byte(`{"pad":"` + strings.Repeat("x", c.cap-20) + `"}`)
		if code, _ := h.post(t, c.path, "application/json", fits, testSecret, time.Now()); code == http.StatusRequestEntityTooLarge || code == http.StatusUnauthorized {
			t.Errorf("POST %s with %d bytes = %d, want it read and judged", c.path, len(fits), code)
		}
	}
}

// spyBody is a request body that notes whether anything read it.
type spyBody struct {
	io.Reader
	read atomic.Bool
}

func (b *spyBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.Reader.Read(p)
}

func (b *spyBody) Close() error { return nil }

func TestHTTPSignatureHeadersCheckedBeforeTheBody(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	body := jsonBody(t, slacktest.EventCallback("EvUnread", slacktest.DirectMessage("D1", "U1", "1.1", "429")))
	now := time.Now()
	signedAt := func(at time.Time) http.Header { return slacktest.Sign(testSecret, at, body) }
	tests := []struct {
		name   string
		header http.Header
	}{
		{"no headers", http.Header{}},
		{"no signature", http.Header{"X-Slack-Request-Timestamp": {strconv.FormatInt(now.Unix(), 10)}}},
		{"no timestamp", http.Header{"X-Slack-Signature": signedAt(now)["X-Slack-Signature"]}},
		{"signature not v0", http.Header{"X-Slack-Request-Timestamp": {strconv.FormatInt(now.Unix(), 10)}, "X-Slack-Signature": {"v1=" + strings.Repeat("ab", 32)}}},
		{"signature not hex", http.Header{"X-Slack-Request-Timestamp": {strconv.FormatInt(now.Unix(), 10)}, "X-Slack-Signature": {"v0=" + strings.Repeat("zz", 32)}}},
		{"signature too short", http.Header{"X-Slack-Request-Timestamp": {strconv.FormatInt(now.Unix(), 10)}, "X-Slack-Signature": {"v0=abcd"}}},
		{"timestamp not a number", http.Header{"X-Slack-Request-Timestamp": {"soon"}, "X-Slack-Signature": signedAt(now)["X-Slack-Signature"]}},
		{"stale timestamp", signedAt(now.Add(-6 * time.Minute))},
		{"future timestamp", signedAt(now.Add(6 * time.Minute))},
	}
	hs := h.a.Handlers()
	for _, tt := range tests {
		for path, handler := range map[string]http.Handler{PathEvents: hs.Events, PathCommands: hs.Commands, PathInteractions: hs.Interactions} {
			spy := &spyBody{Reader: bytes.NewReader(body)}
			req := httptest.NewRequest(http.MethodPost, path, nil)
			req.Body, req.ContentLength, req.Header = spy, int64(len(body)), tt.header
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, req)
			if w.Code != http.StatusUnauthorized || spy.read.Load() {
				t.Errorf("%s: POST %s = %d, body read %v; want 401 with the body unread", tt.name, path, w.Code, spy.read.Load())
			}
			if w.Header().Get("Connection") != "close" {
				t.Errorf("%s: POST %s keeps the connection, and so its unread body, open", tt.name, path)
			}
		}
	}
	if n := h.obs.refusals("signature"); n != 3*len(tests) {
		t.Errorf("%d refusals counted, want %d", n, 3*len(tests))
	}
}

func TestHTTPRefusalsLogThrottled(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	h.logs.Reset()
	ev := jsonBody(t, slacktest.EventCallback("EvFlood", slacktest.DirectMessage("D1", "U1", "1.1", "429")))
	const flood = 50
	for range flood {
		if code, _ := h.post(t, PathEvents, "application/json", ev, "not-the-secret", time.Now()); code != http.StatusUnauthorized {
			t.Fatalf("badly signed POST = %d, want 401", code)
		}
	}
	if lines := strings.Count(h.logs.String(), "request signature refused"); lines != 1 {
		t.Errorf("%d refused requests logged %d lines, want 1 (the rest counted):\n%s", flood, lines, h.logs.String())
	}
	if n := h.obs.refusals("signature"); n != flood {
		t.Errorf("%d refusals counted, want %d", n, flood)
	}
}

func TestHTTPEventBeforeSignIn(t *testing.T) {
	t.Parallel()
	a, err := New(testBot(t), Config{BotToken: testBotToken, SigningSecret: testSecret, Mode: ModeHTTP, APIURL: "http://127.0.0.1:1/api"})
	if err != nil {
		t.Fatal(err)
	}
	body := jsonBody(t, slacktest.EventCallback("EvEarly", slacktest.DirectMessage("D1", "U1", "1.1", "429")))
	req := httptest.NewRequest(http.MethodPost, "/slack/events", bytes.NewReader(body))
	req.Header = slacktest.Sign(testSecret, time.Now(), body)
	w := httptest.NewRecorder()
	a.Handlers().Events.ServeHTTP(w, req)
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("event before auth.test = %d, want 503 so Slack retries", w.Code)
	}
	if a.Ready() {
		t.Error("Ready() = true before Run")
	}
}

func TestHTTPUnknownEventAccepted(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	body := jsonBody(t, slacktest.EventCallback("EvOddHTTP", map[string]any{"type": "no_such_event"}))
	if code, _ := h.post(t, "/slack/events", "application/json", body, testSecret, time.Now()); code != http.StatusOK {
		t.Errorf("unknown event = %d, want 200 so Slack does not retry it", code)
	}
	if code, _ := h.post(t, "/slack/events", "application/json", []byte("not json"), testSecret, time.Now()); code != http.StatusBadRequest {
		t.Errorf("garbage = %d, want 400", code)
	}
}

// TestSlashCommandReplayedAnsweredOnce: a slash command (one trigger id)
// that comes again, as a signed request sent again or an envelope
// delivered twice, is answered once.
func TestSlashCommandReplayedAnsweredOnce(t *testing.T) {
	t.Parallel()
	t.Run("http", func(t *testing.T) {
		t.Parallel()
		h := startHTTP(t)
		form := []byte(slacktest.SlashCommandForm("C1", "U1", "429", h.fake.ResponseURL("c")).Encode())
		code, first := h.post(t, PathCommands, "application/x-www-form-urlencoded", form, testSecret, time.Now())
		if code != http.StatusOK || !strings.Contains(string(first), "429 Too Many Requests") {
			t.Fatalf("first: %d %s", code, first)
		}
		if code, again := h.post(t, PathCommands, "application/x-www-form-urlencoded", form, testSecret, time.Now()); code != http.StatusOK || len(again) != 0 {
			t.Errorf("the same command again: %d %q, want an empty 200", code, again)
		}
		if answered, _, _, _ := h.obs.counts(); answered != 1 || h.obs.refusals("replay") != 1 {
			t.Errorf("observer: %d answered, %d replays; want 1 and 1", answered, h.obs.refusals("replay"))
		}
	})
	t.Run("socket", func(t *testing.T) {
		t.Parallel()
		h := start(t, ModeSocket)
		cmd := slacktest.SlashCommand("C1", "U1", "429", h.fake.ResponseURL("c"))
		if ack := h.fake.WaitAck(t, h.fake.Send(t, "slash_commands", cmd)); len(ack.Payload) == 0 {
			t.Fatal("first: acknowledged without the answer")
		}
		if ack := h.fake.WaitAck(t, h.fake.Send(t, "slash_commands", cmd)); len(ack.Payload) != 0 {
			t.Errorf("the same command again: acknowledged with %s, want nothing", ack.Payload)
		}
		h.stop(t)
		if answered, _, _, _ := h.obs.counts(); answered != 1 || h.obs.refusals("replay") != 1 {
			t.Errorf("observer: %d answered, %d replays; want 1 and 1", answered, h.obs.refusals("replay"))
		}
	})
}

// TestHTTPAfterShutdownGets503: a request that reaches the adapter once it
// has stopped taking questions gets 503, so that Slack sends it again (to
// another replica), never a 200 with its reply dropped; and the event is
// not recorded as answered.
func TestHTTPAfterShutdownGets503(t *testing.T) {
	t.Parallel()
	h := startHTTP(t)
	h.stop(t) // Run has returned: its replies are drained
	ev := jsonBody(t, slacktest.EventCallback("EvLate", slacktest.DirectMessage("D3", "U1", "1700000600.000001", "429")))
	press := []byte(url.Values{"payload": {string(jsonBody(t, slacktest.BlockAction("C3", "U1", actionCode+"404", "404",
		h.fake.ResponseURL("late"), "1700000600.000002", "", false)))}}.Encode())
	for path, body := range map[string][]byte{PathEvents: ev, PathInteractions: press} {
		if code, _ := h.post(t, path, "application/json", body, testSecret, time.Now()); code != http.StatusServiceUnavailable {
			t.Errorf("POST %s after shutdown = %d, want 503", path, code)
		}
	}
	if !h.a.seen.First(context.Background(), "slack:event:EvLate") {
		t.Error("the refused event was recorded as answered: Slack's next delivery would be dropped")
	}
	if n := h.fake.Count("chat.postMessage"); n != 0 {
		t.Errorf("%d replies after shutdown", n)
	}
}

// TestDrainTimeout: at shutdown, replies still running after
// Config.DrainTimeout are cancelled, and Run says so.
func TestDrainTimeout(t *testing.T) {
	t.Parallel()
	fake := slacktest.NewServer(t, testBotToken, testAppToken)
	h := startConfigured(t, fake, ModeSocket, func(c *Config) { c.DrainTimeout = 50 * time.Millisecond })
	release := fake.Hold("chat.postMessage")
	defer release()
	h.mention(t, "EvStuck", "C1", "1700000610.000001", "", "<@"+slacktest.BotUserID+"> 429")
	fake.WaitCalls(t, "chat.postMessage:held", 1)
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err == nil || !strings.Contains(err.Error(), "cancelled") {
			t.Errorf("Run = %v, want an error saying replies were cancelled", err)
		}
	case <-time.After(slacktest.Wait):
		t.Fatal("Run still waits for a reply the platform holds")
	}
}
