package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/slack/fakeslack"
)

func TestNewConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"socket", Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, ""},
		{"http", Config{BotToken: "xoxb-1", SigningSecret: "s", Mode: ModeHTTP}, ""},
		{"no token", Config{}, "BotToken: is required"},
		{"no bot token", Config{AppToken: "xapp-1"}, "bot token"},
		{"socket without app token", Config{BotToken: "xoxb-1", SigningSecret: "s"}, "app-level token"},
		{"http without secret", Config{BotToken: "xoxb-1", AppToken: "xapp-1", Mode: ModeHTTP}, "signing secret"},
		{"unknown mode", Config{BotToken: "xoxb-1", AppToken: "xapp-1", Mode: "rtm"}, "unknown mode"},
		{"relative api url", Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "slack.com/api"}, "APIURL: invalid URL"},
		{"signing secret without bot token", Config{SigningSecret: "s", Mode: ModeHTTP}, "no bot token"},
	}
	for _, tt := range tests {
		_, err := New(testBot(t), tt.cfg)
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: New = %v, want error containing %q", tt.name, err, tt.wantErr)
		}
	}
	if err := (Config{AppToken: "xapp-1", Mode: ModeSocket, APIURL: DefaultAPIURL}).Validate(); err != nil {
		t.Errorf("an app token alone: Validate = %v; want New, not Validate, to refuse it", err)
	}
	if err := Defaults().Validate(); err != nil || Defaults().Enabled() {
		t.Errorf("Defaults(): Validate = %v, Enabled = %v; want valid and off", err, Defaults().Enabled())
	}
}

// TestAPIURLWithoutSlash: slack-go needs the Web API base to end in a
// slash; the adapter adds it.
func TestAPIURLWithoutSlash(t *testing.T) {
	t.Parallel()
	fake := fakeslack.New(t, testBotToken, testAppToken)
	a, err := New(testBot(t), Config{BotToken: testBotToken, SigningSecret: testSecret, Mode: ModeHTTP, APIURL: strings.TrimSuffix(fake.APIURL, "/")})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Routes(); len(got) != 3 {
		t.Errorf("HTTP mode serves %d routes, want 3", len(got))
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	fake.WaitCalls(t, "auth.test", 1)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

func TestRetry(t *testing.T) {
	t.Parallel()
	netErr := &url.Error{Op: "Post", URL: "https://hooks.slack.com/actions/T1/secret-path", Err: errors.New("connection reset by peer")}
	tests := []struct {
		name      string
		errs      []error // returned by successive attempts; then success
		wantCalls int
		wantErr   bool
		limited   int
	}{
		{"success", nil, 1, false, 0},
		{"network error then success", []error{netErr}, 2, false, 0},
		{"5xx then success", []error{slack.StatusCodeError{Code: 502, Status: "502 Bad Gateway"}}, 2, false, 0},
		{"429 without Retry-After then success", []error{slack.StatusCodeError{Code: 429, Status: "429"}}, 2, false, 1},
		{"429 with Retry-After 0 then success", []error{&slack.RateLimitedError{}}, 2, false, 1},
		{"network errors past the attempts", []error{netErr, netErr, netErr, netErr}, 3, true, 0},
		{"refused for good", []error{slack.SlackErrorResponse{Err: "channel_not_found"}}, 1, true, 0},
		{"4xx", []error{slack.StatusCodeError{Code: 404, Status: "404"}}, 1, true, 0},
	}
	for _, tt := range tests {
		obs := &recorder{}
		logs := &logBuffer{}
		a, err := New(testBot(t), Config{BotToken: testBotToken, AppToken: testAppToken, Observer: obs,
			Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		if err != nil {
			t.Fatal(err)
		}
		a.retryPolicy.Base = time.Millisecond
		calls := 0
		err = a.retry(context.Background(), "post_message", "C77", func(context.Context) error {
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
	err := a.retry(ctx, "post_message", "C1", func(context.Context) error {
		calls++
		return &slack.RateLimitedError{RetryAfter: time.Hour}
	})
	if err == nil || calls != 1 || time.Since(start) > time.Second {
		t.Errorf("retry after cancel: %d calls, %v, took %v", calls, err, time.Since(start))
	}
}

func TestSocketUnreadableEnvelopeAcked(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	// An inner event type slackevents does not know: slack-go cannot parse
	// it, and an envelope never acked is sent again and again.
	ev := fakeslack.EventCallback("EvOdd", map[string]any{"type": "no_such_event", "channel": "C1"})
	h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
}

func TestResponseURLFailureLogged(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	h.fake.Fail("response", fakeslack.Fault{Status: 500}, fakeslack.Fault{Status: 500}, fakeslack.Fault{Status: 500})
	h.fake.WaitAck(t, h.fake.Send(t, "interactive",
		fakeslack.BlockAction("C8", "U1", actionShare, "q:429", h.fake.ResponseURL("secret-capability"), "1700000300.000001", "", true)))
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
}
