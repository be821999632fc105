package slack

import (
	"context"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
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
	fake := slacktest.NewServer(t, testBotToken, testAppToken)
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
