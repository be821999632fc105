package relay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRetry(t *testing.T) {
	p := Retry{Attempts: 4, Base: time.Millisecond, Max: 4 * time.Millisecond}
	boom := errors.New("boom")
	never := func(error) (time.Duration, bool) { return 0, false }
	always := func(error) (time.Duration, bool) { return 0, true }
	tests := []struct {
		name      string
		fails     int // calls that fail before one succeeds
		retryable func(error) (time.Duration, bool)
		calls     int
		err       bool
	}{
		{"success", 0, always, 1, false},
		{"two failures", 2, always, 3, false},
		{"fails past the attempts", 10, always, 4, true},
		{"not worth retrying", 10, never, 1, true},
	}
	for _, tt := range tests {
		calls, seen := 0, 0
		err := p.Do(context.Background(), slog.New(slog.DiscardHandler), func(context.Context) error {
			calls++
			if calls <= tt.fails {
				return boom
			}
			return nil
		}, func(err error) (time.Duration, bool) { seen++; return tt.retryable(err) })
		if calls != tt.calls || (err != nil) != tt.err {
			t.Errorf("%s: %d calls, err %v; want %d calls, error %v", tt.name, calls, err, tt.calls, tt.err)
		}
		if want := min(tt.fails, calls); seen != want {
			t.Errorf("%s: retryable saw %d failures, want every one (%d)", tt.name, seen, want)
		}
	}

	// The platform's Retry-After is waited, and a cancelled context ends
	// the wait at once.
	start := time.Now()
	calls := 0
	err := p.Do(context.Background(), nil, func(context.Context) error {
		if calls++; calls == 1 {
			return boom
		}
		return nil
	}, func(error) (time.Duration, bool) { return 30 * time.Millisecond, true })
	if err != nil || time.Since(start) < 30*time.Millisecond {
		t.Errorf("Retry-After: %v after %v, want success after at least 30ms", err, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start, calls = time.Now(), 0
	err = p.Do(ctx, nil, func(context.Context) error { calls++; return boom },
		func(error) (time.Duration, bool) { return time.Hour, true })
	if err == nil || calls != 1 || time.Since(start) > time.Second {
		t.Errorf("cancelled: %d calls, %v, took %v; want one call and its error at once", calls, err, time.Since(start))
	}
}

func TestRetryLogsNoURL(t *testing.T) {
	var logs bytes.Buffer
	p := Retry{Attempts: 2, Base: time.Millisecond, Max: time.Millisecond}
	netErr := &url.Error{Op: "Post", URL: "https://hooks.slack.com/actions/T1/secret-path", Err: errors.New("connection reset")}
	_ = p.Do(context.Background(), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		func(context.Context) error { return netErr }, func(error) (time.Duration, bool) { return 0, true })
	if l := logs.String(); strings.Contains(l, "secret-path") || !strings.Contains(l, "connection reset") {
		t.Errorf("log leaks the URL or lacks the cause:\n%s", l)
	}
	if got := SafeErr(netErr); got != "Post: connection reset" {
		t.Errorf("SafeErr = %q", got)
	}
}

func TestRedactURLs(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Post "https://discord.com/api/v9/interactions/970000000000000001/aW50ZXJhY3Rpb246OTcw.tok-en_1/callback": EOF`,
			`Post "https://discord.com/api/v9/interactions/970000000000000001/[redacted]/callback": EOF`},
		{"PATCH https://discord.com/api/v9/webhooks/100000000000000001/tok.en/messages/@original failed",
			"PATCH https://discord.com/api/v9/webhooks/100000000000000001/[redacted]/messages/@original failed"},
		{"post to https://hooks.slack.com/actions/T1/123/abcSECRET: timeout",
			"post to https://hooks.slack.com/actions/[redacted]: timeout"},
		{"https://hooks.slack.com/commands/T1/456/def?x=1", "https://hooks.slack.com/commands/[redacted]?x=1"},
		{"dial http://user:pa55@proxy.example:3128/ failed", "dial http://[redacted]@proxy.example:3128/ failed"},
		// No credential: unchanged.
		{"GET https://discord.com/api/v9/channels/310000000000000001/messages: 500", "GET https://discord.com/api/v9/channels/310000000000000001/messages: 500"},
		{"connection reset by peer", "connection reset by peer"},
	}
	for _, tt := range tests {
		if got := RedactURLs(tt.in); got != tt.want {
			t.Errorf("RedactURLs(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
	// An error that merely wraps a URL error is rendered without the token too.
	wrapped := fmt.Errorf("discord: callback: %w", &url.Error{Op: "Post", URL: "https://discord.com/api/v9/interactions/1/TOKEN/callback", Err: errors.New("EOF")})
	if got := SafeErr(wrapped); got != "Post: EOF" {
		t.Errorf("SafeErr(wrapped) = %q", got)
	}
	if got := SafeErr(errors.New(`Post "https://discord.com/api/v9/interactions/1/TOKEN/callback": EOF`)); strings.Contains(got, "TOKEN") {
		t.Errorf("SafeErr(text with a callback URL) = %q", got)
	}
}
