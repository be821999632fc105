package slack

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestRetry(t *testing.T) {
	t.Parallel()
	netErr := &url.Error{Op: "Post", URL: "https://hooks.slack.com/actions/T1/secret-path", Err: errors.New("connection reset by peer")}
	unsent := notSent{&url.Error{Op: "Post", URL: "https://slack.com/api/chat.postMessage", Err: errors.New("connection refused")}}
	tests := []struct {
		name      string
		mode      repeat
		errs      []error // returned by successive attempts; then success
		wantCalls int
		wantErr   bool
		limited   int
	}{
		{"success", idempotent, nil, 1, false, 0},
		{"network error then success", idempotent, []error{netErr}, 2, false, 0},
		{"5xx then success", idempotent, []error{slack.StatusCodeError{Code: 502, Status: "502 Bad Gateway"}}, 2, false, 0},
		{"429 without Retry-After then success", idempotent, []error{slack.StatusCodeError{Code: 429, Status: "429"}}, 2, false, 1},
		{"429 with Retry-After 0 then success", idempotent, []error{&slack.RateLimitedError{}}, 2, false, 1},
		{"network errors past the attempts", idempotent, []error{netErr, netErr, netErr, netErr}, 3, true, 0},
		{"refused for good", idempotent, []error{slack.SlackErrorResponse{Err: "channel_not_found"}}, 1, true, 0},
		{"4xx", idempotent, []error{slack.StatusCodeError{Code: 404, Status: "404"}}, 1, true, 0},

		// A post is repeated only when it certainly did not take effect.
		{"post: 429 with Retry-After", once, []error{&slack.RateLimitedError{}}, 2, false, 1},
		{"post: never sent", once, []error{unsent, unsent}, 3, false, 0},
		{"post: network error once sent", once, []error{netErr}, 1, true, 0},
		{"post: 5xx", once, []error{slack.StatusCodeError{Code: 500, Status: "500"}}, 1, true, 0},
		{"post: 429 without Retry-After", once, []error{slack.StatusCodeError{Code: 429, Status: "429"}}, 1, true, 1},
		{"post: refused", once, []error{slack.SlackErrorResponse{Err: "not_in_channel"}}, 1, true, 0},
	}
	for _, tt := range tests {
		obs := &recorder{}
		logs := &logBuffer{}
		a, err := New(testBot(t), Config{BotToken: testBotToken, AppToken: testAppToken, Observer: obs,
			Logger: logs.logger()})
		if err != nil {
			t.Fatal(err)
		}
		a.retryPolicy.Base = time.Millisecond
		calls := 0
		err = a.retry(context.Background(), "post_message", "C77", tt.mode, func(context.Context) error {
			calls++
			if calls <= len(tt.errs) {
				return tt.errs[calls-1]
			}
			return nil
		})
		if calls != tt.wantCalls || (err != nil) != tt.wantErr {
			t.Errorf("%s: %d calls, err %v; want %d calls, error %v", tt.name, calls, err, tt.wantCalls, tt.wantErr)
		}
		_, errs, limited, _ := obs.counts()
		if limited != tt.limited || (errs == 1) != tt.wantErr {
			t.Errorf("%s: observer rate limited %d, platform errors %d", tt.name, limited, errs)
		}
		if l := logs.String(); strings.Contains(l, "secret-path") || (tt.wantErr && !strings.Contains(l, "channel=C77")) {
			t.Errorf("%s: log leaks the URL or lacks the channel:\n%s", tt.name, l)
		}
	}

	// A cancelled reply stops waiting.
	a, _ := New(testBot(t), Config{BotToken: testBotToken, AppToken: testAppToken})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	calls := 0
	err := a.retry(ctx, "post_message", "C1", idempotent, func(context.Context) error {
		calls++
		return &slack.RateLimitedError{RetryAfter: time.Hour}
	})
	if err == nil || calls != 1 || time.Since(start) > time.Second {
		t.Errorf("retry after cancel: %d calls, %v, took %v", calls, err, time.Since(start))
	}
}
