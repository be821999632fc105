package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/statusbot/statusbot/internal/redistest"
)

// TestRedisDownAtStart: a Redis that does not answer at start is no reason
// to stop. The bot runs, answers, and says state: degraded in /readyz.
func TestRedisDownAtStart(t *testing.T) {
	t.Parallel()
	fs := newFakeService("fake")
	fs.ready.Store(true)
	tb := startBot(t, []platform{fs.platform}, map[string]string{
		"STATUSBOT_STATE_REDIS_URL": "redis://127.0.0.1:1/0", // nothing listens on port 1
	}, nil)
	code, body := tb.get(t, "/readyz")
	if code != http.StatusOK || !strings.Contains(body, "state: degraded: redis unavailable since") {
		t.Errorf("/readyz = %d %q, want 200 and state: degraded", code, body)
	}
	if !strings.Contains(tb.stderr.String(), "state: redis failed") {
		t.Errorf("no warning logged:\n%s", tb.stderr.String())
	}
	_, metrics := tb.get(t, "/metrics")
	if v := metricValue(metrics, `statusbot_state_errors_total{op="ping"}`); v == "" || v == "0" {
		t.Errorf(`statusbot_state_errors_total{op="ping"} = %q, want above 0`, v)
	}
	close(fs.release)
	fs.events <- "429"
	select {
	case a := <-fs.replied:
		if a.Kind != "status" {
			t.Errorf("answer kind %q, want status", a.Kind)
		}
	case <-time.After(wait):
		t.Fatal("no answer with Redis down")
	}
}

// TestRedisPassword: the password comes from STATUSBOT_STATE_REDIS_PASSWORD
// and works; a wrong one leaves the bot degraded, and out of its logs.
func TestRedisPassword(t *testing.T) {
	t.Parallel()
	const password = "SECRET-redis-password-4242"
	srv := redistest.Start(t, "--requirepass", password)
	for _, tt := range []struct {
		password, want string
	}{
		{password, "state: redis"},
		{"SECRET-wrong-password-1717", "state: degraded"},
	} {
		fs := newFakeService("fake")
		fs.ready.Store(true)
		tb := startBot(t, []platform{fs.platform}, map[string]string{
			"STATUSBOT_STATE_REDIS_URL":      srv.URL,
			"STATUSBOT_STATE_REDIS_PASSWORD": tt.password,
			"STATUSBOT_LOG_LEVEL":            "debug",
		}, nil)
		if code, body := tb.get(t, "/readyz"); code != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("password %s: /readyz = %d %q, want 200 and %s", tt.password, code, body, tt.want)
		}
		tb.cancel()
		_ = tb.wait(t)
		if logs := tb.stderr.String(); strings.Contains(logs, tt.password) || !strings.Contains(logs, "config loaded") {
			t.Errorf("the logs show the password, or no config:\n%s", logs)
		}
	}
}
