package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

// waitReadyz polls /readyz until it answers want, or fails the test.
func waitReadyz(t *testing.T, tb *testBot, want int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		code, body := tb.get(t, "/readyz")
		if code == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /readyz = %d %q, want %d", code, body, want)
		}
		<-tick.C
	}
}

// TestReadyzFollowsSlackSocketMode runs the real Slack adapter against the
// fake: not ready until Socket Mode connects, ready after, not ready while
// it reconnects, ready again once it has.
func TestReadyzFollowsSlackSocketMode(t *testing.T) {
	t.Parallel()
	fake := slacktest.NewServer(t, "xoxb-ready", "xapp-ready")
	// Hold the first connection back for a second (Retry-After: 1).
	fake.Fail("apps.connections.open", slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"})
	tb := startBot(t, []platform{slackPlatform}, map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-ready",
		"STATUSBOT_SLACK_APP_TOKEN": "xapp-ready",
		"STATUSBOT_SLACK_API_URL":   fake.APIURL,
	}, nil)
	if code, body := tb.get(t, "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("before Socket Mode connects: GET /readyz = %d %q, want 503", code, body)
	}
	fake.WaitConnected(t, 1)
	waitReadyz(t, tb, http.StatusOK)

	// Drop the connection and hold the reconnection back again.
	fake.Fail("apps.connections.open", slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"})
	fake.Disconnect()
	waitReadyz(t, tb, http.StatusServiceUnavailable)
	fake.WaitConnected(t, 2)
	waitReadyz(t, tb, http.StatusOK)
}
