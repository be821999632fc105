package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

// TestResponseURLFailureLogged: a response URL is a credential, so a post
// to one that fails, with a 5xx or on the network, is logged with its
// operation, channel and cause, never with the URL.
func TestResponseURLFailureLogged(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]slacktest.Fault{"500": {Status: 500}, "connection lost": {HangUp: true}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := start(t, ModeSocket)
			h.fake.Fail("response", fault, fault, fault)
			h.fake.WaitAck(t, h.fake.Send(t, "interactive",
				slacktest.BlockAction("C8", "U1", actionShare, "q:429", h.fake.ResponseURL("secret-capability"), "1700000300.000001", "", true)))
			h.stop(t)
			if n := len(h.fake.Calls("response")); n != 0 {
				t.Errorf("%d responses delivered, want 0", n)
			}
			logs := h.logs.String()
			if strings.Contains(logs, "secret-capability") || !strings.Contains(logs, "channel=C8") || !strings.Contains(logs, "op=response_url") {
				t.Errorf("log leaks the response URL or lacks channel and op:\n%s", logs)
			}
			if _, errs, _, _ := h.obs.counts(); errs != 1 {
				t.Errorf("observer: %d platform errors, want 1", errs)
			}
		})
	}
}

// TestPostedOnceWhateverFails: a reply whose post fails is posted again
// only when Slack certainly did not take it. After a failure that leaves it
// in doubt (the fake stores the message, then answers 500 or drops the
// connection), the bot looks for the message it tried to post before
// posting again; when it cannot look, it does not post again.
func TestPostedOnceWhateverFails(t *testing.T) {
	t.Parallel()
	late500 := slacktest.Fault{Status: 500, Late: true}
	tests := []struct {
		name     string
		dm       bool
		faults   []slacktest.Fault // of chat.postMessage
		check    []slacktest.Fault // of the read-back
		checks   int               // conversations.* calls
		answered int
	}{
		{"stored, then 500: found in the thread", false, []slacktest.Fault{late500}, nil, 1, 1},
		{"stored, then connection lost: found in the DM", true, []slacktest.Fault{{HangUp: true, Late: true}}, nil, 1, 1},
		{"500 before storing: not found, posted again", false, []slacktest.Fault{{Status: 500}}, nil, 1, 1},
		{"503, 500, then stored and 502: found at the end", true, []slacktest.Fault{{Status: 503}, {Status: 500}, {Status: 502, Late: true}}, nil, 3, 1},
		{"429 with Retry-After: posted again unchecked", false, []slacktest.Fault{{Status: 429, RetryAfter: "0"}}, nil, 0, 1},
		{"stored, then 500, and no scope to look", false, []slacktest.Fault{late500}, []slacktest.Fault{{Error: "missing_scope"}}, 1, 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, ModeSocket)
			h.fake.Fail("chat.postMessage", tt.faults...)
			read := "conversations.replies"
			if tt.dm {
				read = "conversations.history"
			}
			h.fake.Fail(read, tt.check...)
			ts := fmt.Sprintf("1700000400.%06d", i)
			ev := slacktest.EventCallback("EvOnce"+ts, slacktest.Mention("C9", "U1", ts, "", "<@"+slacktest.BotUserID+"> 429"))
			if tt.dm {
				ev = slacktest.EventCallback("EvOnce"+ts, slacktest.DirectMessage("D9", "U1", ts, "429"))
			}
			h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
			h.stop(t)
			if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
				t.Errorf("%d messages posted, want exactly 1", n)
			}
			checks := h.fake.Count("conversations.replies") + h.fake.Count("conversations.history") +
				h.fake.Count("conversations.replies:failed") + h.fake.Count("conversations.history:failed")
			if checks != tt.checks {
				t.Errorf("%d read-backs, want %d", checks, tt.checks)
			}
			answered, errs, _, _ := h.obs.counts()
			if answered != tt.answered || errs != 1-tt.answered {
				t.Errorf("observer: %d answered, %d platform errors; want %d and %d", answered, errs, tt.answered, 1-tt.answered)
			}
			if tt.answered == 0 && !strings.Contains(h.logs.String(), "cannot be checked; not posting again") {
				t.Errorf("the reply that may be lost is not logged:\n%s", h.logs.String())
			}
		})
	}
}

// TestPostRepeatedWhenNeverSent: a post whose connection failed before the
// request was written is certainly not taken, and is repeated at once,
// without looking first.
func TestPostRepeatedWhenNeverSent(t *testing.T) {
	t.Parallel()
	var refuse atomic.Int32
	dialer := &net.Dialer{}
	client := &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true, // every request dials
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if refuse.Add(-1) >= 0 {
				return nil, errors.New("connection refused by the test")
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}}
	h := startConfigured(t, slacktest.NewServer(t, testBotToken, testAppToken), ModeHTTP, func(c *Config) { c.HTTPClient = client })
	hh := serveHTTP(t, h)
	refuse.Store(1)
	ev := jsonBody(t, slacktest.EventCallback("EvUnsent", slacktest.DirectMessage("D7", "U1", "1700000410.000001", "404")))
	if code, _ := hh.post(t, PathEvents, "application/json", ev, testSecret, time.Now()); code != http.StatusOK {
		t.Fatalf("event = %d", code)
	}
	h.stop(t)
	if n, reads := len(h.fake.Calls("chat.postMessage")), h.fake.Count("conversations.history"); n != 1 || reads != 0 {
		t.Errorf("%d messages posted after %d read-backs; want 1, posted again at once", n, reads)
	}
	if refuse.Load() >= 0 {
		t.Error("no dial was refused: the test tested nothing")
	}
}

// TestResponseAndEphemeralPostedAtMostOnce: a new message through a
// response URL (the share) and an ephemeral message cannot be read back,
// so after a failure that leaves it in doubt they are not posted again.
func TestResponseAndEphemeralPostedAtMostOnce(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	h.fake.Fail("response", slacktest.Fault{Status: 500, Late: true})
	h.fake.WaitAck(t, h.fake.Send(t, "interactive",
		slacktest.BlockAction("C8", "U1", actionShare, "q:429", h.fake.ResponseURL("share"), "1700000420.000001", "", true)))
	h.fake.Fail("chat.postEphemeral", slacktest.Fault{HangUp: true, Late: true})
	h.mention(t, "EvHelpOnce", "C8", "1700000421.000001", "", "<@"+slacktest.BotUserID+"> help")
	h.stop(t)
	if n := len(h.fake.Calls("response")); n != 1 {
		t.Errorf("%d shared messages, want the 1 that failed late, never posted again", n)
	}
	if n := len(h.fake.Calls("chat.postEphemeral")); n != 1 {
		t.Errorf("%d ephemeral messages, want the 1 that failed late", n)
	}
}

func TestSlackURL(t *testing.T) {
	t.Parallel()
	a, err := New(testBot(t), Config{BotToken: testBotToken, AppToken: testAppToken, APIURL: "http://127.0.0.1:8999/api/"})
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]bool{
		"https://hooks.slack.com/actions/T1/1/abc":          true,
		"https://hooks.slack.com:443/commands/T1/1/abc":     true,
		"http://127.0.0.1:8999/response/x":                  true, // the API base's host and scheme: a fake
		"http://hooks.slack.com/actions/T1/1/abc":           false,
		"https://hooks.slack.com:8443/actions/T1/1/abc":     false,
		"https://hooks.slack.com.evil.example/actions/T1/1": false,
		"https://evil.example/hooks.slack.com/actions":      false,
		"https://127.0.0.1:8999/response/x":                 false, // not the base's scheme
		"http://127.0.0.1:9000/response/x":                  false, // another port
		"http://user:pw@127.0.0.1:8999/response/x":          false,
		"https://user@hooks.slack.com/actions/T1/1/abc":     false,
		"/actions/T1/1/abc":                                 false,
		"":                                                  false,
		"%zz":                                               false,
	} {
		if _, got := a.slackURL(raw); got != want {
			t.Errorf("slackURL(%q) = %v, want %v", raw, got, want)
		}
	}
}

// TestResponseURLOnSlackHostsOnly: the bot posts to a response URL only on
// Slack's hosts. One elsewhere is refused, counted and logged (its host,
// not its path), and never reached.
func TestResponseURLOnSlackHostsOnly(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	t.Cleanup(evil.Close)
	h := start(t, ModeSocket)
	refused := []string{
		evil.URL + "/actions/T1/1/evil-capability",
		strings.Replace(h.fake.ResponseURL("userinfo"), "://", "://user:pw@", 1),
		"http://hooks.slack.com/actions/T1/1/plain-http",
	}
	for i, u := range append(refused, h.fake.ResponseURL("ok")) {
		// A suggestion pressed on a private answer replaces it through the
		// press's response URL.
		ts := fmt.Sprintf("1700000430.%06d", i)
		h.fake.WaitAck(t, h.fake.Send(t, "interactive", slacktest.BlockAction("C5", "U1", actionCode+"404", "404", u, ts, "", true)))
	}
	h.stop(t)
	if n := reached.Load(); n != 0 {
		t.Errorf("the bot posted %d times to a host that is not Slack's", n)
	}
	if c := h.fake.Calls("response"); len(c) != 1 || c[0].Path != "/response/ok" {
		t.Errorf("responses %v, want the one on the fake Slack", c)
	}
	if n := h.obs.refusals("response_url"); n != len(refused) {
		t.Errorf("%d refusals counted, want %d", n, len(refused))
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "response URL refused") || strings.Contains(logs, "evil-capability") {
		t.Errorf("the refusal is not logged, or logged with the URL's path:\n%s", logs)
	}
}
